import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, h, ref, shallowRef, type Component } from 'vue'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { providePhotoFirst } from '@/composables/photoFirst'
import type { RiderError } from '@/lib/aws/errors'
import ProfilePhotoSection from './ProfilePhotoSection.vue'

const photo = vi.hoisted(() => ({ current: undefined as unknown }))

vi.mock('@/composables/useProfilePhoto', () => ({ useProfilePhoto: () => photo.current }))

function fakePhoto() {
  return {
    photoUrl: ref<string | null>('https://photos.test/protected/id/profile/a.webp?signature=1'),
    isLoading: ref(false),
    preview: shallowRef(null),
    progress: ref(0),
    isPending: ref(false),
    isCancellable: ref(false),
    hasPhoto: ref(true),
    error: ref<RiderError | null>(null),
    isFirstPhotoSettled: ref(false),
    upload: vi.fn(async () => true),
    cancel: vi.fn(),
    remove: vi.fn(async () => true),
    onImageLoad: vi.fn(),
    onImageError: vi.fn(),
  }
}

let fake: ReturnType<typeof fakePhoto>

function mountSection(component: Component = ProfilePhotoSection) {
  return mount(component, {
    global: {
      plugins: [
        createTestingPinia({
          createSpy: vi.fn,
          initialState: { session: { claims: { sub: 'sub-a', email: 'ada@example.com', name: 'Ada Lovelace' } } },
        }),
      ],
    },
  })
}

beforeEach(() => {
  fake = fakePhoto()
  photo.current = fake
})

describe('ProfilePhotoSection', () => {
  it('shows the photo with the rider’s name from the ID token claims', () => {
    const wrapper = mountSection()
    expect(wrapper.get('h2').text()).toBe('Profile photo')
    const image = wrapper.get('img')
    expect(image.attributes('src')).toBe(fake.photoUrl.value)
    expect(image.attributes('alt')).toBe('Profile photo of Ada Lovelace')
  })

  it('lets the page’s loads that wait for the photo go once the first photo is settled', async () => {
    const load = vi.fn()
    const ProfilePage = defineComponent({
      setup() {
        providePhotoFirst({ limitMs: 60_000 }).runAfterPhoto(load)
        return () => h(ProfilePhotoSection)
      },
    })
    mountSection(ProfilePage)
    await flushPromises()
    expect(load).not.toHaveBeenCalled()

    fake.isFirstPhotoSettled.value = true
    await flushPromises()
    expect(load).toHaveBeenCalledOnce()
  })

  it('uploads a picked file and says when it is saved', async () => {
    const wrapper = mountSection()
    const file = new File(['jpeg'], 'IMG_0001.jpg', { type: 'image/jpeg' })
    await wrapper.get('.drop-zone').trigger('drop', { dataTransfer: { files: [file] } })
    await flushPromises()
    expect(fake.upload).toHaveBeenCalledWith(file)
    expect(wrapper.get('[role="status"]').text()).toBe('Your new photo is saved.')
  })

  it('says nothing is saved when the upload fails, and shows why', async () => {
    fake.upload.mockImplementation(async () => {
      fake.error.value = { code: 'NetworkError', message: "We can't reach Wild Rydes." }
      return false
    })
    const wrapper = mountSection()
    await wrapper.get('.drop-zone').trigger('drop', { dataTransfer: { files: [new File(['x'], 'x.jpg')] } })
    await flushPromises()
    expect(wrapper.get('[role="status"]').text()).toBe('')
    expect(wrapper.get('[role="alert"]').text()).toBe("We can't reach Wild Rydes.")
  })

  it('removes the photo once the rider confirms', async () => {
    const wrapper = mountSection()
    await wrapper.findAll('button').find((button) => button.text() === 'Remove photo…')?.trigger('click')
    await flushPromises()
    expect(fake.remove).not.toHaveBeenCalled()
    expect(wrapper.get('dialog').text()).toContain('Remove your photo?')
    await wrapper.get('dialog').findAll('button').find((button) => button.text() === 'Remove photo')?.trigger('click')
    await flushPromises()
    expect(fake.remove).toHaveBeenCalled()
    expect(wrapper.get('[role="status"]').text()).toBe('Your photo was removed.')
  })

  it('passes the image’s load and error events to the composable, which re-signs', async () => {
    const wrapper = mountSection()
    await wrapper.get('img').trigger('load')
    await wrapper.get('img').trigger('error')
    expect(fake.onImageLoad).toHaveBeenCalledTimes(1)
    expect(fake.onImageError).toHaveBeenCalledTimes(1)
  })
})
