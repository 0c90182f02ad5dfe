import { describe, expect, it } from 'vitest'
import { safeRedirect } from './redirect'

describe('safeRedirect', () => {
  it('keeps a path inside the app', () => {
    expect(safeRedirect('/profile')).toBe('/profile')
    expect(safeRedirect(['/profile?tab=photo', '/other'])).toBe('/profile?tab=photo')
  })

  it.each(['https://evil.example/profile', '//evil.example', '/\\evil.example', 'profile', '', null, undefined])(
    'drops %s',
    (value) => {
      expect(safeRedirect(value)).toBeUndefined()
    },
  )
})
