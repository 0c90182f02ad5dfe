import type { RouteRecordInfo, RouteRecordRaw } from 'vue-router'
import HomeView from '@/views/HomeView.vue'
import { loadSessionStore } from '@/stores/sessionLoader'

/** Every route by name, so `router.push({ name })` and `<RouterLink :to="{ name }">` are checked by the compiler. */
export interface RouteNamedMap {
  home: RouteRecordInfo<'home', '/', Record<never, never>, Record<never, never>>
  'sign-up': RouteRecordInfo<'sign-up', '/sign-up', Record<never, never>, Record<never, never>>
  'confirm-sign-up': RouteRecordInfo<'confirm-sign-up', '/confirm', Record<never, never>, Record<never, never>>
  'sign-in': RouteRecordInfo<'sign-in', '/sign-in', Record<never, never>, Record<never, never>>
  'forgot-password': RouteRecordInfo<'forgot-password', '/forgot-password', Record<never, never>, Record<never, never>>
  profile: RouteRecordInfo<'profile', '/profile', Record<never, never>, Record<never, never>>
  'not-found': RouteRecordInfo<'not-found', '/:pathMatch(.*)*', { pathMatch: string | string[] }, { pathMatch: string[] }>
}

export type RouteName = keyof RouteNamedMap

declare module 'vue-router' {
  interface TypesConfig {
    RouteNamedMap: RouteNamedMap
  }

  interface RouteMeta {
    /** The page's name in the document title. */
    title: string
    /** Only for a signed-in rider: others are sent to sign in, then brought back. */
    requiresAuth?: boolean
    /** Only for riders who are signed out: a signed-in rider goes to their profile instead. */
    isForGuestsOnly?: boolean
    /** Starts downloading what the page needs besides its view, while the stored session is being restored. */
    preload?: () => void
  }
}

/** The profile photo's URL keeper, which its view imports too (no extra chunk). */
const loadPhotoUrlKeeper = () => import('@/lib/photo/photoUrlKeeper')
/** The photo's head start and the credential code it starts, which the landing page does not carry. */
const loadPhotoPreload = () => import('@/lib/photo/preloadPhoto')

/** Nobody awaits a head start: an unexpected failure is logged, and the page's own load tries again. */
function logFailure(what: string): (error: unknown) => void {
  return (error) => console.error(`Could not ${what}`, error)
}

/**
 * Views load lazily, but the landing page's, which comes with the app (its own chunk was one more request before `/`
 * showed): the first load carries none of the account pages or the AWS clients.
 */
export const routes = [
  { path: '/', name: 'home', component: HomeView, meta: { title: 'Unicorn rides on demand' } },
  {
    path: '/sign-up',
    name: 'sign-up',
    component: () => import('@/views/SignUpView.vue'),
    meta: { title: 'Create your account', isForGuestsOnly: true },
  },
  {
    path: '/confirm',
    name: 'confirm-sign-up',
    component: () => import('@/views/ConfirmSignUpView.vue'),
    meta: { title: 'Confirm your email', isForGuestsOnly: true },
  },
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('@/views/SignInView.vue'),
    meta: { title: 'Sign in', isForGuestsOnly: true },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => import('@/views/ForgotPasswordView.vue'),
    meta: { title: 'Reset your password', isForGuestsOnly: true },
  },
  {
    path: '/profile',
    name: 'profile',
    component: () => import('@/views/ProfileView.vue'),
    meta: {
      title: 'Your profile',
      requiresAuth: true,
      preload: () => void loadPhotoPreload().then(({ preloadProfilePhoto }) => preloadProfilePhoto(), logFailure('start loading the photo')),
    },
    // The session is known now: the photo's URL (credentials, signature) starts before the view renders.
    beforeEnter: async () => {
      const { claims } = await loadSessionStore()
      const picture = claims?.picture
      if (claims && picture) {
        void loadPhotoUrlKeeper().then((photos) => photos.startShowingPhoto(claims.sub, picture), logFailure('start showing the photo'))
      }
    },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: 'Page not found' },
  },
] satisfies (RouteRecordRaw & { name: RouteName })[]
