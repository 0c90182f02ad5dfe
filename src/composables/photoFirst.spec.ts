import { mount } from '@vue/test-utils'
import { defineComponent, h, nextTick, ref, type Component } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { providePhotoFirst, runAfterPhoto, settlePhotoFirstWhen } from './photoFirst'

/** The loads sent so far, in order, by the page ("passkeys") and its section ("GetUser"). */
let sent: string[]

/** A component that runs `setup` and renders `children`. */
function component(setup: () => void, children: Component[] = []): Component {
  return defineComponent({
    setup() {
      setup()
      return () => h('div', children.map((child) => h(child)))
    },
  })
}

const DetailsSection = component(() => runAfterPhoto(() => sent.push('GetUser')))

/** A page with a photo section (settled by `isPhotoSettled`), a section loading after it, and a load of its own. */
function mountPage({ limitMs = 4000, isPhotoSettled = ref(false) } = {}) {
  const PhotoSection = component(() => settlePhotoFirstWhen(isPhotoSettled))
  const ProfilePage = component(() => providePhotoFirst({ limitMs })(() => sent.push('passkeys')), [PhotoSection, DetailsSection])
  return { wrapper: mount(ProfilePage), isPhotoSettled }
}

beforeEach(() => {
  sent = []
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('photo first', () => {
  it('holds the page’s and its sections’ loads until the photo is settled, then sends each once', async () => {
    const { isPhotoSettled } = mountPage()
    expect(sent).toEqual([])

    isPhotoSettled.value = true
    await nextTick()
    expect(sent.toSorted()).toEqual(['GetUser', 'passkeys'])

    isPhotoSettled.value = false
    await nextTick()
    isPhotoSettled.value = true
    await vi.runAllTimersAsync()
    expect(sent.toSorted()).toEqual(['GetUser', 'passkeys'])
  })

  it('sends them at the page’s limit when the photo never settles', async () => {
    mountPage({ limitMs: 4000 })

    await vi.advanceTimersByTimeAsync(3999)
    expect(sent).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(sent.toSorted()).toEqual(['GetUser', 'passkeys'])
  })

  it('sends them at mount when the photo is settled from the start (no photo to show)', () => {
    mountPage({ isPhotoSettled: ref(true) })
    expect(sent.toSorted()).toEqual(['GetUser', 'passkeys'])
  })

  it('is off with a limit of 0: every load goes at mount, and no timer is left', () => {
    mountPage({ limitMs: 0 })
    expect(sent.toSorted()).toEqual(['GetUser', 'passkeys'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('sends nothing once the page is gone, and leaves no timer behind', async () => {
    const { wrapper, isPhotoSettled } = mountPage()
    wrapper.unmount()
    expect(vi.getTimerCount()).toBe(0)

    isPhotoSettled.value = true
    await vi.runAllTimersAsync()
    expect(sent).toEqual([])
  })

  it('lets a section on a page without it load at mount', () => {
    mount(DetailsSection)
    expect(sent).toEqual(['GetUser'])
  })
})
