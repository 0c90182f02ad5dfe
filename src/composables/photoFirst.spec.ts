import { mount } from '@vue/test-utils'
import { defineComponent, h, nextTick, ref, type Component, type VNodeChild } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { providePhotoFirst, reportPhotoProgress, runAfterPhoto } from './photoFirst'

/** The loads sent so far, in order, by the page ("passkeys") and its section ("GetUser"). */
let sent: string[]

/** A component that runs `setup` and renders `children`, then what the render function `setup` may return renders. */
function component(setup: () => (() => VNodeChild) | void, children: Component[] = []): Component {
  return defineComponent({
    setup() {
      const renderMore = setup()
      return () => h('div', [...children.map((child) => h(child)), renderMore?.()])
    },
  })
}

const DetailsSection = component(() => runAfterPhoto(() => sent.push('GetUser')))

/**
 * A page with a photo section (its photo requested by `isPhotoRequested`, settled by `isPhotoSettled`), a section
 * loading after it, a load of its own, and a part it renders once the photo is requested.
 */
function mountPage({ limitMs = 4000, isPhotoRequested = ref(false), isPhotoSettled = ref(false) } = {}) {
  const PhotoSection = component(() => reportPhotoProgress({ isRequested: isPhotoRequested, isSettled: isPhotoSettled }))
  const ProfilePage = component(() => {
    const { runAfterPhoto: runPageLoadAfterPhoto, isPhotoRequested: isRequested } = providePhotoFirst({ limitMs })
    runPageLoadAfterPhoto(() => sent.push('passkeys'))
    return () => (isRequested.value ? h('p', { class: 'below' }, 'Change password') : null)
  }, [PhotoSection, DetailsSection])
  const wrapper = mount(ProfilePage)
  return { wrapper, isPhotoRequested, isPhotoSettled, showsBelow: () => wrapper.find('.below').exists() }
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

  it('renders what waits for the photo’s request a task after the request, before the photo is settled', async () => {
    const { isPhotoRequested, showsBelow } = mountPage()
    expect(showsBelow()).toBe(false)

    isPhotoRequested.value = true
    await nextTick()
    // The render that gave the <img> its URL has to finish before the image is asked for.
    expect(showsBelow()).toBe(false)
    await vi.advanceTimersByTimeAsync(0)
    expect(showsBelow()).toBe(true)
    expect(sent).toEqual([])
  })

  it('renders it at once when the photo is settled first (no photo to show), and at the limit when neither comes', async () => {
    const settledAtOnce = mountPage({ isPhotoSettled: ref(true) })
    await nextTick()
    expect(settledAtOnce.showsBelow()).toBe(true)

    const { showsBelow } = mountPage({ limitMs: 4000 })
    await vi.advanceTimersByTimeAsync(3999)
    expect(showsBelow()).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(showsBelow()).toBe(true)
  })

  it('leaves no timer behind when the page goes between the request and the render', async () => {
    const { wrapper, isPhotoRequested } = mountPage()
    isPhotoRequested.value = true
    await nextTick()
    wrapper.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('lets a section on a page without it load at mount', () => {
    mount(DetailsSection)
    expect(sent).toEqual(['GetUser'])
  })
})
