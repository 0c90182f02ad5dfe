import { describe, expect, it } from 'vitest'
import { whenSettled } from './run.ts'

function refusal(name: string): Error {
  return Object.assign(new Error(`${name} from the service`), { name })
}

describe('whenSettled: calls a new stack can refuse while IAM settles', () => {
  it('retries InvalidIdentityPoolConfigurationException and AccessDenied after each delay, saying it waits', async () => {
    const log: string[] = []
    const slept: number[] = []
    const answers = [refusal('InvalidIdentityPoolConfigurationException'), refusal('AccessDenied')]
    const result = await whenSettled(
      "A's upload",
      async () => {
        const next = answers.shift()
        if (next) throw next
        return 'uploaded'
      },
      { delaysMs: [10, 20, 40], log: (line) => log.push(line), sleep: async (ms) => void slept.push(ms) },
    )
    expect(result).toBe('uploaded')
    expect(slept).toEqual([10, 20])
    expect(log).toEqual([
      "  … A's upload refused with InvalidIdentityPoolConfigurationException: waiting 0.01 s for the new stack's roles to settle",
      "  … A's upload refused with AccessDenied: waiting 0.02 s for the new stack's roles to settle",
    ])
  })

  it('gives up after the last delay with the refusal as it is', async () => {
    const slept: number[] = []
    const call = whenSettled('credentials', async () => Promise.reject(refusal('AccessDenied')), { delaysMs: [1, 2], log: () => {}, sleep: async (ms) => void slept.push(ms) })
    await expect(call).rejects.toMatchObject({ name: 'AccessDenied', message: 'AccessDenied from the service' })
    expect(slept).toEqual([1, 2])
  })

  it('reports the first failure it cannot retry at once', async () => {
    const slept: number[] = []
    const call = whenSettled('credentials', async () => Promise.reject(refusal('NotAuthorizedException')), { log: () => {}, sleep: async (ms) => void slept.push(ms) })
    await expect(call).rejects.toMatchObject({ name: 'NotAuthorizedException' })
    expect(slept).toEqual([])
  })
})
