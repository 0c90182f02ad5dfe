import { compareKeys, type StoredObject } from './objectStore.ts'

// The ordering and paging rules of ListObjectsV2, apart from its query parameters and XML.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html

/** Where a listing stopped: after a key, or after every key under a common prefix. */
export interface Marker {
  after: string
  isCommonPrefix: boolean
}

export interface ListRequest {
  prefix: string
  delimiter: string
  maxKeys: number
  /** Exclusive. */
  startAfter: string
  continuation?: Marker
}

export interface Listing {
  contents: StoredObject[]
  commonPrefixes: string[]
  /** Set when more entries follow. */
  next?: Marker
}

/**
 * Lists keys in UTF-8 order after the start marker: keys under `prefix`, those containing `delimiter` after it rolled up
 * into one common prefix each, a common prefix counting as one entry against `maxKeys`.
 */
export function listKeys(objects: StoredObject[], request: ListRequest): Listing {
  const { prefix, delimiter, maxKeys, continuation } = request
  const startAfter = continuation?.after ?? request.startAfter
  const skippedPrefix = continuation?.isCommonPrefix ? continuation.after : undefined
  const listing: Listing = { contents: [], commonPrefixes: [] }
  let last: Marker | undefined
  for (const object of objects) {
    const { key } = object
    if (compareKeys(key, startAfter) <= 0 || !key.startsWith(prefix)) continue
    if (skippedPrefix !== undefined && key.startsWith(skippedPrefix)) continue
    const delimiterAt = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length)
    const commonPrefix = delimiterAt === -1 ? undefined : key.slice(0, delimiterAt + delimiter.length)
    // Keys under one common prefix are adjacent in sorted order: the prefix is listed once.
    if (commonPrefix !== undefined && last?.isCommonPrefix && last.after === commonPrefix) continue
    if (listing.contents.length + listing.commonPrefixes.length === maxKeys) {
      if (maxKeys > 0) listing.next = last
      break
    }
    if (commonPrefix === undefined) {
      listing.contents.push(object)
      last = { after: key, isCommonPrefix: false }
    } else {
      listing.commonPrefixes.push(commonPrefix)
      last = { after: commonPrefix, isCommonPrefix: true }
    }
  }
  return listing
}
