// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
import { randomInt } from 'node:crypto'
import type { AdminCreateUserCommandInput, AdminCreateUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { AwsError, invalidParameter } from '../../errors.ts'
import type { Outbox } from '../../outbox.ts'
import { attributeList, requiredString, requiredStringList } from '../../protocol/jsonInput.ts'
import type { PasswordPolicy } from '../../template/model.ts'
import { adminUserView, authorizedPool, namedUser, type AdminServices } from '../admin.ts'
import { assertCanDeliver, type CodeDestination } from '../codes.ts'
import { assertPasswordConforms } from '../passwordPolicy.ts'
import { createVerifier } from '../srp.ts'
import { PASSWORD, USERNAME } from '../memberRules.ts'
import { srpPoolName, storeTemporaryUser } from '../users.ts'

const CHARACTER_CLASSES = { lower: 'abcdefghijkmnopqrstuvwxyz', upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ', number: '23456789', symbol: '^$*.[]{}()?-!@#%&' }

function pick(characters: string): string {
  return characters[randomInt(characters.length)]!
}

/** A temporary password Cognito would generate: the policy's length, one of each class, from a random source. */
function generatePassword(policy: PasswordPolicy): string {
  const required = [pick(CHARACTER_CLASSES.lower), pick(CHARACTER_CLASSES.upper), pick(CHARACTER_CLASSES.number), pick(CHARACTER_CLASSES.symbol)]
  const all = Object.values(CHARACTER_CLASSES).join('')
  const rest = Array.from({ length: Math.max(policy.minimumLength, 12) - required.length }, () => pick(all))
  return [...required, ...rest].sort(() => randomInt(3) - 1).join('')
}

/** The invitation's destinations: each medium asked for (SMS when none is) whose attribute the user has. */
function invitationDestinations(attributes: Record<string, string>, mediums: string[]): CodeDestination[] {
  return mediums.flatMap((medium) => {
    const attribute = medium === 'EMAIL' ? 'email' : 'phone_number'
    const value = attributes[attribute]
    return value ? [{ attribute, value }] : []
  })
}

/**
 * Creates a user in FORCE_CHANGE_PASSWORD with a temporary password (given, or generated to the pool's policy) and
 * sends the invitation (the pool's default message: the template sets no InviteMessageTemplate) unless
 * `MessageAction` is SUPPRESS; RESEND sends a new temporary password to a user still in that state. Attributes are the
 * administrator's to set, `email_verified` included.
 */
export function createAdminCreateUser(services: AdminServices & { outbox: Outbox; clock: Clock }): JsonOperation<AdminCreateUserCommandInput, AdminCreateUserCommandOutput> {
  return async (input, request) => {
    const store = await authorizedPool(services, input, request, 'AdminCreateUser')
    const { pool } = store
    const signInName = requiredString(input, 'Username', USERNAME)
    const attributes = attributeList(input, 'UserAttributes', false)
    const action = input.MessageAction === undefined ? undefined : requiredString(input, 'MessageAction')
    if (action !== undefined && action !== 'RESEND' && action !== 'SUPPRESS') {
      throw invalidParameter(`1 validation error detected: Value '${action}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`)
    }
    const mediums = input.DesiredDeliveryMediums === undefined ? ['SMS'] : requiredStringList(input, 'DesiredDeliveryMediums')
    const temporaryPassword = input.TemporaryPassword === undefined ? generatePassword(pool.passwordPolicy) : requiredString(input, 'TemporaryPassword', PASSWORD)
    const existing = action === 'RESEND' ? namedUser(store, input) : undefined
    if (existing && existing.status !== 'FORCE_CHANGE_PASSWORD') {
      throw new AwsError('UnsupportedUserStateException', `Resend not possible. ${existing.username} status is not FORCE_CHANGE_PASSWORD.`)
    }
    const destinations = action === 'SUPPRESS' ? [] : invitationDestinations(existing?.attributes ?? attributes, mediums)
    // Checked before the user is stored: a refused invitation creates nobody.
    for (const destination of destinations) assertCanDeliver(pool, destination)
    const now = services.clock.now()
    const user = existing
      ? store.update((draft) => {
          const renewed = draft.users[existing.username]!
          assertPasswordConforms(temporaryPassword, pool.passwordPolicy)
          renewed.verifier = createVerifier(srpPoolName(pool), renewed.username, temporaryPassword)
          renewed.temporaryPasswordExpiresAt = now + pool.passwordPolicy.temporaryPasswordValidityDays * 86_400_000
          renewed.updatedAt = now
          return renewed
        })
      : storeTemporaryUser(store, { signInName, password: temporaryPassword, attributes, now })
    for (const destination of destinations) {
      const isEmail = destination.attribute === 'email'
      services.outbox.send({
        to: destination.value,
        kind: 'invitation',
        medium: isEmail ? 'EMAIL' : 'SMS',
        code: temporaryPassword,
        subject: isEmail ? 'Your temporary password' : '',
        body: `Your username is ${signInName} and temporary password is ${temporaryPassword}.`,
      })
    }
    return { User: adminUserView(user) }
  }
}
