import type { LocationQueryValue } from 'vue-router'

/**
 * The `redirect` query value when it is a path inside this app, else undefined: a link like
 * `/sign-in?redirect=https://evil.example` or `//evil.example` must not send a rider off-site after signing in.
 */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string | undefined {
  const path = Array.isArray(value) ? value[0] : value
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return undefined
  return path
}
