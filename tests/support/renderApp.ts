import { vi } from 'vitest'
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import type { Component } from 'vue'
import { createTestingPinia } from '@pinia/testing'
import type { StateTree } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import App from '@/App.vue'
import { afterNextPaint } from '@/lib/scheduling'
import { createAppRouter } from '@/router'
import { routes } from '@/router/routes'
import { useProfileStore } from '@/stores/profile'
import { useSessionStore } from '@/stores/session'
import { loadSessionStore } from '@/stores/sessionLoader'
import { TEST_ENV } from './fixtures'

for (const [variable, value] of Object.entries(TEST_ENV)) vi.stubEnv(variable, value)

export interface RenderOptions {
  /** Store state by store id, e.g. `{ session: { claims } }`. */
  initialState?: StateTree
  /** Components replaced by empty stubs, e.g. `{ ProfilePhotoSection: true }`, or by a stand-in component. */
  stubs?: Record<string, boolean | Component>
}

/** Settles what the app starts once the page has painted (the header's account menu). */
export async function afterPaint(): Promise<void> {
  await flushPromises()
  await new Promise<void>((resolve) => afterNextPaint(resolve))
  await flushPromises()
}

/** A route's view loader; the landing page's view is bundled with the app instead, a component object. */
function isLazy(component: unknown): component is () => Promise<unknown> {
  return typeof component === 'function'
}

/**
 * The whole app (header, main, the router's guards and lazy views) at `path`, with a testing pinia whose actions are
 * spies (give them `mockResolvedValue` / `mockImplementation`) and a memory-history router.
 */
export async function renderApp(path: string, { initialState = {}, stubs = {} }: RenderOptions = {}) {
  // Loaded up front, so a navigation a test triggers settles within one flushPromises().
  // So do the modules forms load on their own (the phone number rules), and the header's account menu.
  await Promise.all([...routes.map(({ component }) => isLazy(component) && component()), import('@/lib/phoneNumber'), import('@/components/AccountMenu.vue')])
  const pinia = createTestingPinia({ createSpy: vi.fn, initialState })
  // The app loads the session store after the first paint; here it is there from the start.
  await loadSessionStore(pinia)
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(App, { global: { plugins: [pinia, router], stubs }, attachTo: document.body })
  await afterPaint()
  return { wrapper, router, session: useSessionStore(pinia), profile: useProfileStore(pinia) }
}

function accessibleText(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/** The input a `<label>` with this text names (as a screen reader pairs them). */
export function getByLabel(wrapper: VueWrapper, label: string): DOMWrapper<HTMLInputElement> {
  const labels = wrapper.findAll('label').filter((candidate) => accessibleText(candidate.element) === label)
  const id = labels[0]?.attributes('for')
  if (labels.length !== 1 || !id) throw new Error(`Expected one label "${label}", found ${labels.length}`)
  return wrapper.find<HTMLInputElement>(`[id="${id}"]`)
}

/** The one button (or link) whose text is `name`. */
export function getByRole(wrapper: VueWrapper, role: 'button' | 'link', name: string): DOMWrapper<HTMLElement> {
  const selector = role === 'button' ? 'button' : 'a'
  const matches = wrapper.findAll<HTMLElement>(selector).filter((candidate) => accessibleText(candidate.element) === name)
  if (matches.length !== 1) throw new Error(`Expected one ${role} "${name}", found ${matches.length}`)
  return matches[0]!
}

/** What the page's alerts (errors) currently say. */
export function alertTexts(wrapper: VueWrapper): string[] {
  return wrapper.findAll('[role="alert"]').map((alert) => accessibleText(alert.element)).filter(Boolean)
}

/** What the page's status messages (successes, notices) currently say. */
export function statusTexts(wrapper: VueWrapper): string[] {
  return wrapper.findAll('[role="status"]').map((status) => accessibleText(status.element)).filter(Boolean)
}

/** Types into the labelled fields. */
export async function fillIn(wrapper: VueWrapper, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await getByLabel(wrapper, label).setValue(value)
}

/** Clicks and waits for what follows (store actions, navigation, lazy views). */
export async function click(element: DOMWrapper<Element>): Promise<void> {
  await element.trigger('click')
  await flushPromises()
}
