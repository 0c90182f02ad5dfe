import { describe, expect, it } from 'vitest'
import { compareKeys, type StoredObject } from './objectStore.ts'
import { listKeys, type ListRequest } from './listing.ts'

const keys = [
  'photos/a/1.jpg',
  'photos/a/2.jpg',
  'photos/b/1.jpg',
  'photos/c.jpg',
  'photos/d.jpg',
  'photos/e/1.jpg',
  'private/x.jpg',
  'z',
  '\u{1F600}', // beyond the BMP: after U+FFFD in UTF-8 order, before it in UTF-16 order
  '\uFFFD',
]
const objects = keys
  .map((key): StoredObject => ({ key, size: 1, etag: '"e"', lastModified: 0, contentType: 'x', headers: {}, metadata: {}, dataFile: key }))
  .sort((left, right) => compareKeys(left.key, right.key))

function request(overrides: Partial<ListRequest>): ListRequest {
  return { prefix: '', delimiter: '', maxKeys: 1000, startAfter: '', ...overrides }
}

/** Pages through a listing as a client would, collecting each page's entries. */
function allPages(first: ListRequest): string[][] {
  const pages: string[][] = []
  let continuation: ListRequest['continuation']
  do {
    const listing = listKeys(objects, { ...first, continuation })
    pages.push([...listing.contents.map((object) => object.key), ...listing.commonPrefixes.map((prefix) => `${prefix} (prefix)`)])
    continuation = listing.next
  } while (continuation)
  return pages
}

describe('listing keys', () => {
  it('orders keys by their UTF-8 bytes, as S3 does', () => {
    expect(objects.slice(-2).map((object) => object.key)).toEqual(['\uFFFD', '\u{1F600}'])
  })

  it('rolls keys up into common prefixes after the prefix, each counting once against max-keys', () => {
    expect(allPages(request({ prefix: 'photos/', delimiter: '/', maxKeys: 2 }))).toEqual([
      ['photos/a/ (prefix)', 'photos/b/ (prefix)'],
      ['photos/c.jpg', 'photos/d.jpg'],
      ['photos/e/ (prefix)'],
    ])
  })

  it('pages through every key exactly once without a delimiter', () => {
    const pages = allPages(request({ prefix: 'photos/', maxKeys: 4 }))
    expect(pages.flat()).toEqual(keys.filter((key) => key.startsWith('photos/')))
    expect(pages.map((page) => page.length)).toEqual([4, 2])
  })

  it('starts after start-after, and returns nothing for max-keys 0', () => {
    expect(allPages(request({ startAfter: 'photos/d.jpg', delimiter: '/' }))).toEqual([
      ['z', '\uFFFD', '\u{1F600}', 'photos/ (prefix)', 'private/ (prefix)'],
    ])
    expect(listKeys(objects, request({ maxKeys: 0 }))).toEqual({ contents: [], commonPrefixes: [] })
  })
})
