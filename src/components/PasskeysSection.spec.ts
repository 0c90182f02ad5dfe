import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { addPasskey, listPasskeys, PasskeyError, removePasskey, type Passkey } from '@/lib/aws/passkeys'
import { alertTexts, click, getByRole } from '../../tests/support/renderApp'
import { cognitoError } from '../../tests/support/fixtures'
import PasskeysSection from './PasskeysSection.vue'

vi.mock('@/lib/aws/passkeys', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/aws/passkeys')>()),
  addPasskey: vi.fn(),
  listPasskeys: vi.fn(),
  removePasskey: vi.fn(),
}))

/** The rider's passkeys as the mocked ListWebAuthnCredentials holds them. */
let stored: Passkey[] = []
const laptop: Passkey = { id: 'cred-1', name: 'Chrome on Mac', createdAt: new Date('2026-11-02T10:00:00Z') }

beforeEach(() => {
  stored = [laptop]
  vi.mocked(listPasskeys).mockImplementation(async () => [...stored])
  vi.mocked(removePasskey).mockImplementation(async (id) => void (stored = stored.filter((passkey) => passkey.id !== id)))
})

afterEach(() => {
  document.body.innerHTML = ''
})

async function renderSection() {
  // jsdom has no <dialog> methods: open and close as a browser would.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) { this.open = true }
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) { this.open = false }
  const wrapper = mount(PasskeysSection, { global: { plugins: [createTestingPinia({ createSpy: vi.fn })] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const passkeyNames = (wrapper: Awaited<ReturnType<typeof renderSection>>) => wrapper.findAll('.passkey strong').map((name) => name.text())

describe('PasskeysSection', () => {
  it('lists each passkey with its name and the day it was added', async () => {
    const wrapper = await renderSection()

    expect(passkeyNames(wrapper)).toEqual(['Chrome on Mac'])
    expect(wrapper.find('.passkey').text()).toContain(`added ${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(laptop.createdAt)}`)
  })

  it('adds a passkey and shows the new list', async () => {
    vi.mocked(addPasskey).mockImplementation(async () => void stored.push({ id: 'cred-2', name: 'iCloud Keychain' }))
    const wrapper = await renderSection()

    await click(getByRole(wrapper, 'button', 'Add a passkey'))

    expect(passkeyNames(wrapper)).toEqual(['Chrome on Mac', 'iCloud Keychain'])
    expect(alertTexts(wrapper)).toEqual([])
  })

  it('says why a passkey was not added, in the rider’s words', async () => {
    vi.mocked(addPasskey).mockRejectedValue(new PasskeyError('PasskeyAlreadyAdded'))
    const wrapper = await renderSection()

    await click(getByRole(wrapper, 'button', 'Add a passkey'))

    // The error table loads with the first failure.
    await vi.waitFor(() => expect(alertTexts(wrapper)).toEqual(['This device already holds a passkey for your account.']))
    expect(passkeyNames(wrapper)).toEqual(['Chrome on Mac'])
  })

  it('removes a passkey only after the rider confirms', async () => {
    const wrapper = await renderSection()

    await click(wrapper.find('button[aria-label="Remove passkey Chrome on Mac"]'))
    expect(removePasskey).not.toHaveBeenCalled()
    expect(wrapper.get('dialog').text()).toContain('Chrome on Mac will no longer sign you in.')
    await click(getByRole(wrapper, 'button', 'Remove passkey'))

    expect(removePasskey).toHaveBeenCalledWith('cred-1')
    expect(wrapper.text()).toContain('You have no passkeys yet.')
  })

  it('keeps the dialog open with the reason when the removal fails', async () => {
    vi.mocked(removePasskey).mockRejectedValue(cognitoError('TooManyRequestsException', 'Rate exceeded'))
    const wrapper = await renderSection()

    await click(wrapper.find('button[aria-label="Remove passkey Chrome on Mac"]'))
    await click(getByRole(wrapper, 'button', 'Remove passkey'))

    expect(wrapper.get('dialog').text()).toContain("We're getting a lot of requests right now.")
    expect(passkeyNames(wrapper)).toEqual(['Chrome on Mac'])
  })
})
