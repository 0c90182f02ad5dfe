import { describe, expect, it } from 'vitest'
import type { CorsRule } from '../template/model.ts'
import { corsHeadersFor, findCorsRule, matchesPattern, preflight } from './cors.ts'

/** The template's rule, with AppOrigins overridden to a wildcard as the dev server needs. */
const appRule: CorsRule = {
  allowedOrigins: ['http://localhost:*', 'https://rides.example.com'],
  allowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  allowedHeaders: ['*'],
  exposedHeaders: ['ETag', 'x-amz-version-id', 'x-amz-request-id', 'Date'],
  maxAgeSeconds: 3000,
}
const readOnlyRule: CorsRule = {
  allowedOrigins: ['*'],
  allowedMethods: ['GET'],
  allowedHeaders: ['x-amz-*', 'range'],
  exposedHeaders: [],
}

describe('CORS patterns', () => {
  it('match exactly, case-insensitively, or with one * for any run of characters', () => {
    expect(matchesPattern('http://localhost:*', 'http://localhost:5173')).toBe(true)
    expect(matchesPattern('http://localhost:*', 'http://localhost:')).toBe(true)
    expect(matchesPattern('http://localhost:*', 'https://localhost:5173')).toBe(false)
    expect(matchesPattern('http://localhost:*', 'http://localhost.evil.com')).toBe(false)
    expect(matchesPattern('https://*.example.com', 'https://app.example.com')).toBe(true)
    expect(matchesPattern('https://*.example.com', 'https://example.com')).toBe(false)
    expect(matchesPattern('HTTPS://Rides.Example.com', 'https://rides.example.com')).toBe(true)
    expect(matchesPattern('x-amz-*', 'X-Amz-Date')).toBe(true)
    expect(matchesPattern('*', 'anything')).toBe(true)
  })

  it('find the first rule allowing the origin, the method and every requested header', () => {
    const rules = [readOnlyRule, appRule]
    expect(findCorsRule(rules, { origin: 'http://localhost:5173', method: 'GET', requestHeaders: ['x-amz-date'] })).toBe(readOnlyRule)
    expect(findCorsRule(rules, { origin: 'http://localhost:5173', method: 'GET', requestHeaders: ['amz-sdk-request'] })).toBe(appRule)
    expect(findCorsRule(rules, { origin: 'http://evil.test', method: 'PUT', requestHeaders: [] })).toBeUndefined()
    expect(findCorsRule(rules, { origin: 'http://localhost:5173', method: 'PATCH', requestHeaders: [] })).toBeUndefined()
  })
})

describe('preflight', () => {
  it("answers the SDK's PUT preflight from the app's origin", () => {
    const headers = preflight([appRule], {
      origin: 'http://localhost:5173',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date',
    })
    expect(headers).toMatchObject({
      'Access-Control-Allow-Origin': 'http://localhost:5173',
      'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, DELETE',
      'Access-Control-Allow-Headers': 'amz-sdk-invocation-id, amz-sdk-request, authorization, content-type, x-amz-content-sha256, x-amz-date',
      'Access-Control-Expose-Headers': 'ETag, x-amz-version-id, x-amz-request-id, Date',
      'Access-Control-Max-Age': '3000',
      Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    })
  })

  it('refuses what no rule allows, and incomplete preflights, as S3 does', () => {
    const refused = (headers: Record<string, string>, rules = [appRule]) => {
      try {
        preflight(rules, headers)
      } catch (error) {
        return error
      }
      throw new Error('preflight was not refused')
    }
    expect(refused({ origin: 'http://evil.test', 'access-control-request-method': 'PUT' })).toMatchObject({
      code: 'AccessForbidden',
      status: 403,
      message: expect.stringMatching(/^CORSResponse: This CORS request is not allowed\./),
    })
    expect(refused({ origin: 'http://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-custom' }, [readOnlyRule])).toMatchObject({ code: 'AccessForbidden' })
    expect(refused({ origin: 'http://localhost:5173', 'access-control-request-method': 'GET' }, [])).toMatchObject({
      code: 'AccessForbidden',
      message: 'CORSResponse: CORS is not enabled for this bucket.',
    })
    expect(refused({ 'access-control-request-method': 'GET' })).toMatchObject({ code: 'BadRequest', status: 400 })
    expect(refused({ origin: 'http://localhost:5173' })).toMatchObject({ code: 'BadRequest', status: 400 })
  })
})

describe('actual requests', () => {
  it('carry the matching rule’s headers, and only Vary for an origin no rule allows', () => {
    expect(corsHeadersFor([appRule], 'GET', { origin: 'http://localhost:4173' })).toMatchObject({
      'Access-Control-Allow-Origin': 'http://localhost:4173',
      'Access-Control-Expose-Headers': 'ETag, x-amz-version-id, x-amz-request-id, Date',
    })
    expect(corsHeadersFor([readOnlyRule], 'GET', { origin: 'http://any.test' })).toMatchObject({ 'Access-Control-Allow-Origin': '*' })
    expect(corsHeadersFor([appRule], 'GET', { origin: 'http://evil.test' })).toEqual({
      Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    })
    expect(corsHeadersFor([appRule], 'GET', {})).toEqual({})
  })
})
