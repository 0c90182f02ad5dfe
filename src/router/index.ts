import { nextTick } from 'vue'
import { getActivePinia, type Pinia } from 'pinia'
import { createRouter, loadRouteLocation, START_LOCATION, type RouteLocationNormalized, type RouterHistory } from 'vue-router'
import { afterPaintWhenIdle } from '@/lib/scheduling'
import { hasStoredTokens } from '@/lib/aws/tokenStorage'
import { loadSessionStore } from '@/stores/sessionLoader'
import { routes } from './routes'

export type { RouteName } from './routes'

const SITE_NAME = 'Wild Rydes'

/**
 * Moves focus to the new page's main heading, so keyboard and screen-reader users start at the top of what changed
 * (a single-page app otherwise leaves focus on the link that was clicked).
 */
function focusMainHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1')
  if (!heading) return
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
  heading.focus()
}

/** Nobody awaits a background restore: an unexpected failure is logged, and the next guarded route tries again. */
async function restoreInBackground(pinia: Pinia | undefined): Promise<void> {
  try {
    const session = await loadSessionStore(pinia)
    if (!session.isRestored) await session.restore()
  } catch (error) {
    console.error('Could not restore the stored session', error)
  }
}

/**
 * Starts downloading a page's `meta.preload`, then its view, while the session is restored; the navigation reports a
 * failure. docs/performance.md#head-starts-while-the-session-is-restored
 */
function preloadRoute(to: RouteLocationNormalized): void {
  to.meta.preload?.()
  loadRouteLocation(to).catch(() => undefined)
}

/**
 * The app's router: lazy views (but the landing page's); `/profile` only for a signed-in rider (others sign in first
 * and come back); signed-in riders skip the sign-in and sign-up pages. Those routes wait for the stored session to be
 * restored; public pages restore it after their paint (docs/performance.md#the-landing-page-carries-no-session-code).
 */
export function createAppRouter(history: RouterHistory) {
  // The app's Pinia, installed before the router: the one active when a guard runs may be another (in tests).
  const pinia = getActivePinia()
  const router = createRouter({
    history,
    routes,
    // A page just loaded is at its top already: scrolling there would only force a layout, 77 ms on the bench's phone.
    scrollBehavior: (_to, from, savedPosition) => savedPosition ?? (from === START_LOCATION ? false : { top: 0 }),
  })

  router.beforeEach(async (to) => {
    if (!to.meta.requiresAuth && !to.meta.isForGuestsOnly) return true
    // The code of the page the rider will likely see starts downloading with the session store's, not after it.
    if (to.meta.requiresAuth ? hasStoredTokens() : !hasStoredTokens()) preloadRoute(to)
    const session = await loadSessionStore(pinia)
    await session.restore()
    if (to.meta.requiresAuth && !session.isSignedIn) {
      // The sign-in page says why the rider is there (`notice`) and brings them back after (`redirect`).
      return { name: 'sign-in', query: { notice: 'sign-in-required', redirect: to.fullPath } }
    }
    if (to.meta.isForGuestsOnly && session.isSignedIn) return { name: 'profile' }
    return true
  })

  router.afterEach((to, from, failure) => {
    if (failure) return
    document.title = to.name === 'home' ? `${SITE_NAME}: ${to.meta.title}` : `${to.meta.title} · ${SITE_NAME}`
    // On the first page load the browser's own focus start is right; only later navigations move focus.
    if (from.matched.length > 0) void nextTick(focusMainHeading)
    afterPaintWhenIdle(() => void restoreInBackground(pinia))
  })

  return router
}
