/** The image types riders may upload: what every browser can decode. */
export type AcceptedImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif'

/** What a file's first bytes say it is. HEIC is named apart because it is what iPhones take, and browsers can't read it. */
export type DetectedImageType = AcceptedImageType | 'image/heic' | 'unknown'

/** How many leading bytes `detectImageType` needs. */
export const SIGNATURE_LENGTH = 12

/** For messages: the accepted types as a rider reads them. */
export const ACCEPTED_TYPES_TEXT = 'JPEG, PNG, WebP or GIF'

/** ISO-BMFF `ftyp` brands of HEIF images (HEIC is HEIF with HEVC inside); AVIF's `avif`/`avis` are not among them. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'heif'])

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((byte, index) => bytes[offset + index] === byte)
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end))
}

/**
 * Recognises an image by its magic bytes, never by its name or the browser's guess of its MIME type.
 * @param bytes the file's first bytes (at least `SIGNATURE_LENGTH` for a positive answer)
 */
export function detectImageType(bytes: Uint8Array): DetectedImageType {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif'
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp'
  if (ascii(bytes, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(bytes, 8, 12))) return 'image/heic'
  return 'unknown'
}
