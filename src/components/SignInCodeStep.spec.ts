import { createTestingPinia } from '@pinia/testing'
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CodeStep } from '@/stores/session'
import { useSessionStore } from '@/stores/session'
import { alertTexts, click, fillIn, getByRole } from '../../tests/support/renderApp'
import SignInCodeStep from './SignInCodeStep.vue'

afterEach(() => {
  document.body.innerHTML = ''
})

function mountStep(codeStep: CodeStep) {
  const wrapper = mount(SignInCodeStep, {
    global: { plugins: [createTestingPinia({ createSpy: vi.fn, initialState: { session: { codeStep } } })] },
    attachTo: document.body,
  })
  return { wrapper, session: useSessionStore() }
}

function paragraphs(wrapper: ReturnType<typeof mountStep>['wrapper']): string[] {
  return wrapper.findAll('p').map((paragraph) => paragraph.text().replace(/\s+/g, ' '))
}

describe('SignInCodeStep', () => {
  it('names the masked number a texted code went to, and signs in with that code', async () => {
    const { wrapper, session } = mountStep({ email: 'ada@example.com', textedTo: '+*******1234' })
    vi.mocked(session.sendSignInCode).mockResolvedValue(true)

    expect(paragraphs(wrapper)).toContain(
      'Two-step sign-in is on for ada@example.com. We texted a code to +*******1234. Enter the 6-digit code from the message.',
    )
    expect(wrapper.text()).not.toContain('authenticator')

    await fillIn(wrapper, { '6-digit code': '12345' })
    await click(getByRole(wrapper, 'button', 'Sign in'))
    expect(wrapper.text()).toContain('Enter the 6-digit code we texted you.')
    expect(session.sendSignInCode).not.toHaveBeenCalled()

    await fillIn(wrapper, { '6-digit code': '123456' })
    await click(getByRole(wrapper, 'button', 'Sign in'))
    expect(session.sendSignInCode).toHaveBeenCalledWith('123456')
    expect(wrapper.emitted('signed-in')).toHaveLength(1)
  })

  it('words a wrong texted code as a code we sent, not one from an authenticator app', async () => {
    const { wrapper, session } = mountStep({ email: 'ada@example.com', textedTo: '+*******1234' })
    vi.mocked(session.sendSignInCode).mockImplementation(async () => {
      session.actionState.sendSignInCode.error = { code: 'CodeMismatchException', message: "That code isn't right. Check the latest code we sent and try again." }
      return false
    })

    await fillIn(wrapper, { '6-digit code': '000000' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    expect(alertTexts(wrapper)).toEqual(["That code isn't right. Check the latest code we sent and try again."])
  })

  it('asks an authenticator user for the code their app shows', async () => {
    const { wrapper, session } = mountStep({ email: 'ada@example.com', authenticatorName: 'Pixel' })
    vi.mocked(session.sendSignInCode).mockImplementation(async () => {
      session.actionState.sendSignInCode.error = { code: 'CodeMismatchException', message: "That code isn't right. Check the latest code we sent and try again." }
      return false
    })

    expect(paragraphs(wrapper)).toContain('Two-step sign-in is on for ada@example.com. Open Pixel and enter the 6-digit code it shows for Wild Rydes.')
    await fillIn(wrapper, { '6-digit code': '000000' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    expect(alertTexts(wrapper)).toEqual(["That code isn't right. Enter the 6-digit code your authenticator app shows now."])
  })
})
