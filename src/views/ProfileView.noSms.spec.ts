import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderApp } from '../../tests/support/renderApp'
import { riderClaims } from '../../tests/support/fixtures'

// A stack deployed without SMS: the app reads its configuration once per module graph, so this file has its own.
vi.stubEnv('VITE_SMS_VERIFICATION', 'false')

afterEach(() => {
  document.body.innerHTML = ''
})

describe('ProfileView on a user pool that cannot send SMS', () => {
  it('does not offer "Verify phone" and tells the rider why', async () => {
    const { wrapper } = await renderApp('/profile', {
      initialState: { session: { claims: riderClaims() } },
      stubs: { ProfilePhotoSection: true },
    })

    const phone = wrapper.findAll('.attribute').find((row) => row.find('dt').text() === 'Phone')
    expect(phone?.find('dd').text().replace(/\s+/g, ' ')).toBe(
      "+1 415 555 0123! Not verified Wild Rydes can't send text messages yet, so your phone number can't be verified for now. We keep it for your rides.",
    )
    expect(wrapper.findAll('button').map((button) => button.text())).not.toContain('Verify phone')
  })
})
