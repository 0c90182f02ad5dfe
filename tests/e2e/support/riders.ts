import { randomBytes } from 'node:crypto'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity'
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js'
import type { LocalAwsConfig } from '../../../local-aws/localConfig.ts'
import { latestCode, uniqueEmail } from './localAws.ts'

/** What a rider types on the sign-up form. */
export interface Rider {
  name: string
  email: string
  /** As a rider types it: with spaces. The profile shows it in E.164 ({@link e164}). */
  phone: string
  password: string
}

/** A rider nobody has signed up yet, with a password that meets the pool's policy. */
export function newRider(name: string): Rider {
  return {
    name,
    email: uniqueEmail(name.split(' ')[0]?.toLowerCase()),
    phone: '+1 415 555 0123',
    password: `Unicorn-${randomBytes(4).toString('hex')}-Ride9`,
  }
}

/** The phone number as Cognito stores it and the profile shows it. */
export function e164(phone: string): string {
  return phone.replace(/\s/g, '')
}

/** Local AWS's ids, as `GET {awsUrl}/_local/config` serves them. */
async function fetchLocalConfig(awsUrl: string): Promise<LocalAwsConfig> {
  const response = await fetch(`${awsUrl}/_local/config`)
  if (!response.ok) throw new Error(`GET ${awsUrl}/_local/config answered ${response.status}`)
  return (await response.json()) as LocalAwsConfig
}

function promised<T>(run: (callback: (error: Error | null | undefined, result?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))))
}

function userPool(config: LocalAwsConfig): CognitoUserPool {
  return new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.userPoolClientId, endpoint: `${config.endpoint}/` })
}

/**
 * Signs `rider` up and confirms them with the code from the outbox, from Node with amazon-cognito-identity-js: the
 * calls the app's sign-up and confirm pages make, for tests whose subject comes after them.
 */
export async function registerRider(awsUrl: string, rider: Rider): Promise<void> {
  const pool = userPool(await fetchLocalConfig(awsUrl))
  const attributes = Object.entries({ email: rider.email, phone_number: e164(rider.phone), name: rider.name }).map(
    ([Name, Value]) => new CognitoUserAttribute({ Name, Value }),
  )
  const { user } = await promised<ISignUpResult>((callback) => pool.signUp(rider.email, rider.password, attributes, [], callback))
  const code = await latestCode(awsUrl, rider.email, 'sign-up')
  await promised((callback) => user.confirmRegistration(code, false, callback))
}

/** One object as the rider's credentials read it. */
export interface StoredObject {
  bytes: Buffer
  contentType: string | undefined
}

/** A rider signed in from Node: their `picture` attribute and the photo bucket as their own credentials see it. */
export interface NodeSession {
  /** The `picture` claim of a freshly issued ID token: the attribute as the user pool holds it now. */
  picture: string | undefined
  /** `region:uuid`, which keys the rider's `protected/{identityId}/` prefix. */
  identityId: string
  /** Every key under `prefix` (the rider may list only their own prefixes). */
  listKeys(prefix: string): Promise<string[]>
  getObject(key: string): Promise<StoredObject>
}

/**
 * Signs `rider` in from Node (SRP, amazon-cognito-identity-js), trades the ID token for identity-pool credentials and
 * opens the bucket with the official S3Client: what the rider's own browser could read, no back door into local AWS.
 */
export async function signInFromNode(awsUrl: string, rider: Rider): Promise<NodeSession> {
  const config = await fetchLocalConfig(awsUrl)
  const user = new CognitoUser({ Username: rider.email, Pool: userPool(config) })
  const session = await new Promise<CognitoUserSession>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: rider.email, Password: rider.password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  )
  const idToken = session.getIdToken()
  const credentials = fromCognitoIdentityPool({
    identityPoolId: config.identityPoolId,
    logins: { [`cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`]: idToken.getJwtToken() },
    clientConfig: { region: config.region, endpoint: config.endpoint },
  })
  const { identityId } = await credentials()
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  const Bucket = config.bucket
  return {
    picture: idToken.payload.picture as string | undefined,
    identityId,
    listKeys: async (prefix) => {
      const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }))
      return Contents.flatMap(({ Key }) => (Key ? [Key] : []))
    },
    getObject: async (key) => {
      const { Body, ContentType } = await client.send(new GetObjectCommand({ Bucket, Key: key }))
      if (!Body) throw new Error(`GetObject ${key} returned no body`)
      return { bytes: Buffer.from(await Body.transformToByteArray()), contentType: ContentType }
    },
  }
}
