import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { riderClaims } from '../../tests/support/fixtures'
import { renderApp } from '../../tests/support/renderApp'

afterEach(() => {
  document.body.innerHTML = ''
})

async function signedInAt(path: string) {
  const app = await renderApp(path, { initialState: { session: { claims: riderClaims() } } })
  const button = app.wrapper.get<HTMLButtonElement>('button[aria-haspopup="menu"]')
  const menu = app.wrapper.get<HTMLElement>('[role="menu"]')
  const items = () => menu.findAll<HTMLElement>('[role="menuitem"]').map((item) => item.element)
  return { ...app, button, menu, items }
}

async function press(key: string): Promise<void> {
  ;(document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  await flushPromises()
}

describe('AccountMenu', () => {
  it('is a closed menu button named after the rider, with their initials', async () => {
    const { button, menu } = await signedInAt('/')

    expect(button.text()).toContain('Account menu for Ada Lovelace')
    expect(button.get('.avatar').text()).toBe('AL')
    expect(button.attributes('aria-expanded')).toBe('false')
    expect(button.attributes('aria-controls')).toBe(menu.attributes('id'))
    expect(menu.isVisible()).toBe(false)
  })

  it('opens with the arrow keys, moves between items, and gives focus back to the button on Escape', async () => {
    const { button, menu, items } = await signedInAt('/')
    button.element.focus()

    await press('ArrowDown')
    expect(button.attributes('aria-expanded')).toBe('true')
    expect(menu.isVisible()).toBe(true)
    expect(document.activeElement?.textContent?.trim()).toBe('Your profile')
    await press('ArrowDown')
    expect(document.activeElement).toBe(items()[1])
    expect(document.activeElement?.textContent?.trim()).toBe('Sign out')
    await press('ArrowDown')
    expect(document.activeElement).toBe(items()[0])
    await press('End')
    expect(document.activeElement).toBe(items()[1])

    await press('Escape')
    expect(button.attributes('aria-expanded')).toBe('false')
    expect(document.activeElement).toBe(button.element)

    await press('ArrowUp')
    expect(document.activeElement).toBe(items()[1])
  })

  it('signs out from any page and opens sign-in with the signed-out notice', async () => {
    const { button, items, session, router } = await signedInAt('/')
    vi.mocked(session.signOut).mockImplementation(async () => {
      session.claims = null
      return true
    })
    await button.trigger('click')
    items()[1]!.click()
    await flushPromises()

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query.notice).toBe('signed-out')
  })
})
