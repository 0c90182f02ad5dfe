import { describe, expect, it } from 'vitest'
import { canonicalQuery, canonicalUri, expectedSignature, scopeSigner, sha256Hex, type ReceivedRequest, type SignatureScope } from './sigv4.ts'

// The examples of the S3 API reference, "Signature Calculations for the Authorization Header"
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const EXAMPLE_SCOPE: SignatureScope = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  scopeDate: '20130524',
  region: 'us-east-1',
  service: 's3',
  amzDate: '20130524T000000Z',
}

async function signatureOf(request: Omit<ReceivedRequest, 'signedHeaders'>): Promise<string | undefined> {
  const signedHeaders = Object.keys(request.headers).sort()
  return expectedSignature({ ...request, signedHeaders }, EXAMPLE_SCOPE, await scopeSigner(EXAMPLE_SCOPE, EXAMPLE_SECRET))?.signature
}

describe('the canonical request', () => {
  it("gives the S3 reference's signature for its GET Object example", async () => {
    const signature = await signatureOf({
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': sha256Hex(''),
        'x-amz-date': '20130524T000000Z',
      },
      payloadHash: sha256Hex(''),
    })
    expect(signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41')
  })

  it("gives the S3 reference's signature for its GET Bucket example, whose query arrives unsorted", async () => {
    const signature = await signatureOf({
      method: 'GET',
      rawPath: '/',
      rawQuery: 'prefix=J&max-keys=2',
      headers: { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': sha256Hex(''), 'x-amz-date': '20130524T000000Z' },
      payloadHash: sha256Hex(''),
    })
    expect(signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7')
  })
})

describe('the canonical URI', () => {
  it('is, for S3, the decoded path encoded once, however the signer typed it', () => {
    // S3's own answers: aws/aws-sdk-js#853 (`/%3Fa=b%20c`) and curl/curl#13754 (a `=` in the key).
    expect(canonicalUri('/%3Fa=b%20c', 's3')).toBe('/%3Fa%3Db%20c')
    expect(canonicalUri('/lasca-prod/data/asset_id=my-asset/dt=2024-05-22/data.parquet', 's3')).toBe(
      '/lasca-prod/data/asset_id%3Dmy-asset/dt%3D2024-05-22/data.parquet',
    )
    expect(canonicalUri('/b/us-east-1:abc', 's3')).toBe(canonicalUri('/b/us-east-1%3aabc', 's3'))
    expect(canonicalUri('/b/a+b%2Bc~d%7E', 's3')).toBe('/b/a%20b%2Bc~d~')
    expect(canonicalUri('/b/%C3%BC%E5%86%99/100%25', 's3')).toBe('/b/%C3%BC%E5%86%99/100%25')
  })

  it('keeps S3 paths unnormalised: // and dot segments stay', () => {
    expect(canonicalUri('/b//a/./c/../d', 's3')).toBe('/b//a/./c/../d')
  })

  it('is, for other services, the normalised path with each segment encoded twice', () => {
    expect(canonicalUri('/a/./b/../c//d/', 'cognito-idp')).toBe('/a/c/d/')
    expect(canonicalUri('/_search/%3Fa=b%20c', 'es')).toBe('/_search/%253Fa%253Db%2520c')
    expect(canonicalUri('/', 'cognito-idp')).toBe('/')
  })

  it('is undefined for escapes that are not UTF-8', () => {
    expect(canonicalUri('/b/%E0%A4%A', 's3')).toBeUndefined()
  })
})

describe('the canonical query', () => {
  it('sorts by encoded name then value, keeps repeated names, writes an empty value as name=', () => {
    expect(canonicalQuery('b=2&a=1&a=0&empty&c=')).toBe('a=0&a=1&b=2&c=&empty=')
  })

  it('decodes and re-encodes names and values, so any correct encoding of them signs the same', () => {
    expect(canonicalQuery("prefix=a/b:c&x=!*'()")).toBe(canonicalQuery('prefix=a%2Fb%3Ac&x=%21%2A%27%28%29'))
    expect(canonicalQuery('prefix=a%2fb%3ac')).toBe('prefix=a%2Fb%3Ac')
    expect(canonicalQuery('v=a+b')).toBe('v=a%20b')
  })

  it('sorts names after encoding them, as the reference orders them', () => {
    // `:` sorts after `0` as a character, and before it once encoded (`%3A`).
    expect(canonicalQuery('a0=1&a:=2')).toBe('a%3A=2&a0=1')
  })

  it('leaves out the signature of a presigned URL', () => {
    expect(canonicalQuery('X-Amz-Signature=abc&X-Amz-Date=1', 'X-Amz-Signature')).toBe('X-Amz-Date=1')
  })
})
