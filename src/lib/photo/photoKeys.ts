/*
 * Where the rider's profile photos are kept (the key policy) and the AWS code that reaches them, loaded once and shared
 * by the photo's two sides: `photoWrites.ts` (replace, remove, delete with the account) and `photoUrlKeeper.ts` (a
 * signed URL kept alive). docs/architecture.md#uploading-a-photo
 */
/** Loads a chunk once; one that failed to load (offline) is tried again next time. */
function loadOnce<Module>(load: () => Promise<Module>): () => Promise<Module> {
  let loading: Promise<Module> | undefined
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined
      throw error
    }))
}

/** The rider's identity-pool credentials (a small chunk: the provider loads its Cognito client when first asked). */
const loadCredentials = loadOnce(() => import('@/lib/aws/credentials'))

/**
 * What signing the photo's URL needs: the credentials and the presigner, without the S3 client.
 * docs/aws-behaviour.md#presigning-without-the-s3-client
 */
export const loadSigning = loadOnce(async () => {
  const [photoUrl, credentials] = await Promise.all([import('@/lib/aws/photoUrl'), loadCredentials()])
  return { ...photoUrl, ...credentials }
})

/** The S3 client and its XHR handler (the app's largest code), for uploads, removals and the account's deletion. */
export const loadS3 = loadOnce(() => import('@/lib/aws/s3'))

/**
 * Where a rider's profile photos live: `protected/`, readable by signed-in riders, writable by the owner only, keyed
 * by the identity id the role's policy names. docs/aws-behaviour.md#per-rider-keys-use-the-identity-id
 */
export function photoPrefix(identityId: string): string {
  return `protected/${identityId}/profile/`
}

/**
 * Whether `key` is one of the rider's own objects: under `protected/{identityId}/`, no empty or dot segments. Only
 * those are ever fetched or deleted, whatever `picture` says.
 */
export function isOwnPhotoKey(key: string, identityId: string): boolean {
  const prefix = `protected/${identityId}/`
  return key.startsWith(prefix) && key.slice(prefix.length).split('/').every((segment) => !['', '.', '..'].includes(segment))
}

/** A v4 UUID for the object name; `crypto.randomUUID` is missing outside secure contexts (a phone on the LAN in dev). */
function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A new key for a photo: never the replaced one's, so a cached old photo never shows for the new. */
export function newPhotoKey(identityId: string, extension: string): string {
  return `${photoPrefix(identityId)}${randomUuid()}.${extension}`
}

/** The signed-in rider's identity id (`region:uuid`), which keys their S3 prefix. Loads the signing code. */
export async function riderIdentityId(): Promise<string> {
  return (await (await loadSigning()).getRiderCredentials()).identityId()
}
