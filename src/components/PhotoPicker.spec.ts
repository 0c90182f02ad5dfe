import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import PhotoPicker from './PhotoPicker.vue'

const photo = () => new File(['jpeg'], 'IMG_0001.jpg', { type: 'image/jpeg' })
const PREVIEW = { url: 'blob:preview', bytes: 61_440, width: 1024, height: 768 }

function buttonNamed(wrapper: ReturnType<typeof mount>, name: string) {
  return wrapper.findAll('button').find((button) => button.text() === name)
}

let attached: ReturnType<typeof mount> | undefined

afterEach(() => {
  attached?.unmount()
  attached = undefined
})

describe('PhotoPicker', () => {
  it('emits the file chosen with the file dialog', async () => {
    const wrapper = mount(PhotoPicker)
    expect(buttonNamed(wrapper, 'Add a photo')?.exists()).toBe(true)
    const input = wrapper.get('input[type="file"]')
    expect(input.attributes('accept')).toBe('image/jpeg,image/png,image/webp,image/gif')
    const file = photo()
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    expect(wrapper.emitted('pick')).toEqual([[file]])
  })

  it('emits a dropped file', async () => {
    const wrapper = mount(PhotoPicker)
    const file = photo()
    await wrapper.get('.drop-zone').trigger('dragover')
    expect(wrapper.get('.drop-zone').classes()).toContain('is-drag-over')
    await wrapper.get('.drop-zone').trigger('drop', { dataTransfer: { files: [file] } })
    expect(wrapper.emitted('pick')).toEqual([[file]])
    expect(wrapper.get('.drop-zone').classes()).not.toContain('is-drag-over')
  })

  it('emits a pasted image, but leaves pastes into text fields alone', async () => {
    attached = mount(PhotoPicker, { attachTo: document.body })
    const file = photo()
    const paste = (target: EventTarget) => {
      const event = new Event('paste', { bubbles: true, cancelable: true })
      Object.defineProperty(event, 'clipboardData', { value: { files: [file] } })
      target.dispatchEvent(event)
    }
    const nameField = document.body.appendChild(document.createElement('input'))
    paste(nameField)
    expect(attached.emitted('pick')).toBeUndefined()
    paste(document.body)
    expect(attached.emitted('pick')).toEqual([[file]])
    nameField.remove()
  })

  it('ignores new files while an upload is under way', async () => {
    const wrapper = mount(PhotoPicker, { props: { isPending: true, isCancellable: true, preview: PREVIEW } })
    await wrapper.get('.drop-zone').trigger('drop', { dataTransfer: { files: [photo()] } })
    expect(wrapper.emitted('pick')).toBeUndefined()
  })

  it('shows the processed preview with its size, the progress and a cancel button while uploading', async () => {
    const wrapper = mount(PhotoPicker, { props: { isPending: true, isCancellable: true, preview: PREVIEW, progress: 42 } })
    expect(wrapper.get('figure img').attributes('src')).toBe('blob:preview')
    expect(wrapper.get('figcaption').text()).toBe('1024 × 768 px, 60 KB')
    const progressBar = wrapper.get('[role="progressbar"]')
    expect(progressBar.attributes()).toMatchObject({ 'aria-valuenow': '42', 'aria-valuemin': '0', 'aria-valuemax': '100' })
    expect(buttonNamed(wrapper, 'Add a photo')?.attributes('aria-disabled')).toBe('true')
    await buttonNamed(wrapper, 'Cancel upload')?.trigger('click')
    expect(wrapper.emitted('cancel')).toHaveLength(1)
  })

  it('keeps the focused choose button in the page, busy, while the photo uploads', async () => {
    attached = mount(PhotoPicker, { attachTo: document.body, props: { hasPhoto: true } })
    const chooseButton = buttonNamed(attached, 'Change photo')!
    const openChooser = vi.spyOn(attached.get<HTMLInputElement>('input[type="file"]').element, 'click')
    ;(chooseButton.element as HTMLButtonElement).focus()

    await attached.setProps({ isPending: true, isCancellable: true, preview: PREVIEW })
    expect(document.activeElement).toBe(chooseButton.element)
    expect(chooseButton.attributes('aria-disabled')).toBe('true')
    await chooseButton.trigger('click')
    expect(openChooser).not.toHaveBeenCalled()

    await attached.setProps({ isPending: false, isCancellable: false, preview: null, status: 'Your new photo is saved.' })
    expect(document.activeElement).toBe(chooseButton.element)
    expect(chooseButton.attributes('aria-disabled')).toBeUndefined()
    expect(attached.get('[role="status"]').text()).toBe('Your new photo is saved.')
  })

  it.each([
    ['Cancel upload', { isPending: true, isCancellable: true, hasPhoto: true, preview: PREVIEW }, { isPending: false, isCancellable: false, preview: null }],
    ['Remove photo…', { hasPhoto: true }, { isPending: true }],
  ])('moves focus to the choose button when "%s" leaves the page', async (name, before, after) => {
    attached = mount(PhotoPicker, { attachTo: document.body, props: before })
    ;(buttonNamed(attached, name)!.element as HTMLButtonElement).focus()

    await attached.setProps(after)

    expect(buttonNamed(attached, name)).toBeUndefined()
    expect(document.activeElement).toBe(buttonNamed(attached, 'Change photo')!.element)
  })

  it('leaves focus alone when it is outside the picker', async () => {
    attached = mount(PhotoPicker, { attachTo: document.body, props: { hasPhoto: true } })
    const elsewhere = document.body.appendChild(document.createElement('button'))
    elsewhere.focus()

    await attached.setProps({ isPending: true })

    expect(document.activeElement).toBe(elsewhere)
    elsewhere.remove()
  })

  it('offers no cancel once the photo is being saved', () => {
    const wrapper = mount(PhotoPicker, { props: { isPending: true, isCancellable: false, preview: PREVIEW, progress: 100 } })
    expect(buttonNamed(wrapper, 'Cancel upload')).toBeUndefined()
  })

  it('offers to change or remove an existing photo', async () => {
    const wrapper = mount(PhotoPicker, { props: { hasPhoto: true } })
    expect(buttonNamed(wrapper, 'Change photo')?.exists()).toBe(true)
    await buttonNamed(wrapper, 'Remove photo…')?.trigger('click')
    expect(wrapper.emitted('remove')).toHaveLength(1)
  })

  it('announces errors and outcomes', () => {
    const wrapper = mount(PhotoPicker, {
      props: { error: { code: 'ImageTooLarge', message: 'This file is larger than 25 MB.' }, status: 'Your new photo is saved.' },
    })
    expect(wrapper.get('[role="alert"]').text()).toBe('This file is larger than 25 MB.')
    expect(wrapper.get('[role="status"]').text()).toBe('Your new photo is saved.')
  })

  it('says quietly that a photo could not be loaded, and offers only a new upload', () => {
    const unavailable = { code: 'PhotoUnavailable', message: "Your photo couldn't be loaded. You can upload it again." }
    const wrapper = mount(PhotoPicker, { props: { error: unavailable, hasPhoto: false } })
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.get('.alert-info').text()).toBe(unavailable.message)
    expect(buttonNamed(wrapper, 'Add a photo')?.exists()).toBe(true)
    expect(buttonNamed(wrapper, 'Remove photo…')).toBeUndefined()
  })
})
