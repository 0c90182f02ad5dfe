import { describe, expect, it } from 'vitest'
import { computeSharedSecret, createServerEphemeral } from './srp.ts'
import { TOP_BYTE_ZERO_LIMIT, newLogin, signIn } from '../../tests/support/srpReferenceClient.ts'

// The long SRP runs: many sign-ins, and the one-in-256 leading-zero cases forced
// (docs/aws-behaviour.md#srp-sign-in).

describe('SRP against amazon-cognito-identity-js, at length', () => {
  // Each sign-in costs about 0.23 s, nearly all in the client's pure-JS BigInteger (0.02 s on the server), so 500
  // take about two minutes: the price of meeting one in 256 leading-zero cases many times over.
  it('accepts 500 sign-ins with random passwords, each with a fresh client, user, salt and server secret', async () => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const login = newLogin()
      expect(await signIn(login), `sign-in ${attempt} with password ${JSON.stringify(login.clientPassword)}`).toBe(true)
    }
  }, 400_000)

  it('works when B has a leading zero byte', async () => {
    const login = newLogin()
    let server = login.server
    while (server.publicValue >= TOP_BYTE_ZERO_LIMIT) server = createServerEphemeral(login.verifier.verifier)
    expect(await signIn({ ...login, server })).toBe(true)
  }, 30_000)

  it('works when S has a leading zero byte', async () => {
    const login = newLogin()
    const clientA = login.client.publicValue()
    let server = login.server
    while (computeSharedSecret(clientA, server, login.verifier.verifier)!.sharedSecret >= TOP_BYTE_ZERO_LIMIT) {
      server = createServerEphemeral(login.verifier.verifier)
    }
    expect(await signIn({ ...login, server })).toBe(true)
  }, 60_000)
})
