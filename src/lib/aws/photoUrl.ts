/*
 * Presigned GET URLs for the rider's photo, signed with their identity-pool credentials but without an S3 client: the
 * client (with its endpoint rules, XML protocol and middleware) loads only when the rider uploads, through s3.ts.
 * docs/aws-behaviour.md#presigning-without-the-s3-client
 */
import { formatUrl } from '@aws-sdk/core/util'
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner'
import { Sha256 } from '@smithy/core/checksum'
import { extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols'
import { getAwsConfig } from './config'
import { getRiderCredentials } from './credentials'
import { cognitoNow } from './tokens'

/**
 * Presigned URLs live at most this long, and never past the credentials that signed them.
 * docs/aws-behaviour.md#presigned-urls-expire-with-their-credentials
 */
export const PHOTO_URL_MAX_SECONDS = 3600

export interface PhotoUrl {
  url: string
  /** Epoch milliseconds after which the URL no longer works. */
  expiresAt: number
}

/** A bucket name that can be a DNS label under TLS: no dots (S3 then falls back to path style). */
const VIRTUAL_HOSTABLE_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/

/**
 * The GET request for `key`, addressed as the S3 client addresses it: path-style on a custom endpoint (local AWS),
 * virtual-hosted on AWS; the key's segments encoded like the client's `{Key+}` label.
 * docs/aws-behaviour.md#path-style-addressing-for-a-custom-endpoint
 */
function photoRequest(key: string): HttpRequest {
  const { region, photoBucket, endpoint } = getAwsConfig()
  const encodedKey = key.split('/').map(extendedEncodeURIComponent).join('/')
  const isPathStyle = Boolean(endpoint) || !VIRTUAL_HOSTABLE_BUCKET.test(photoBucket)
  const base = new URL(endpoint || `https://${isPathStyle ? '' : `${photoBucket}.`}s3.${region}.amazonaws.com`)
  const basePath = base.pathname.replace(/\/$/, '')
  return new HttpRequest({
    method: 'GET',
    protocol: base.protocol,
    hostname: base.hostname,
    ...(base.port ? { port: Number(base.port) } : {}),
    path: `${basePath}${isPathStyle ? `/${photoBucket}` : ''}/${encodedKey}`,
    headers: { host: base.host },
  })
}

/**
 * A presigned GET URL for an `<img>`. It expires with the credentials that signed it, whatever `expiresIn` says, so its
 * lifetime is capped at theirs: sign again after `expiresAt`, or when the image fails to load. It is signed at AWS's
 * time, the device's corrected by the drift Cognito's tokens showed, so that a device clock set wrong still gets a URL
 * S3 accepts (docs/aws-behaviour.md#presigned-urls-use-the-corrected-clock).
 * docs/aws-behaviour.md#presigned-urls-expire-with-their-credentials
 */
export async function getPhotoUrl(key: string): Promise<PhotoUrl> {
  // The credentials the URL is signed with: the rider's memoized ones, refreshed if near expiry.
  const credentials = await (await getRiderCredentials()).provider()
  const now = Date.now()
  const awsNow = cognitoNow(now)
  const secondsLeft = credentials.expiration ? Math.floor((credentials.expiration.getTime() - awsNow) / 1000) : Infinity
  const expiresIn = Math.min(PHOTO_URL_MAX_SECONDS, secondsLeft)
  const presigner = new S3RequestPresigner({ credentials, region: getAwsConfig().region, sha256: Sha256 })
  const signed = await presigner.presign(photoRequest(key), { expiresIn, signingDate: new Date(awsNow) })
  return { url: formatUrl(signed), expiresAt: now + expiresIn * 1000 }
}
