import { describe, expect, it } from 'vitest'
import { detectImageType } from './imageType'

function bytes(...parts: (number[] | string)[]): Uint8Array {
  return new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? Array.from(part, (c) => c.charCodeAt(0)) : part)))
}

describe('detectImageType', () => {
  it('recognises JPEG, PNG, WebP and GIF by their magic bytes', () => {
    expect(detectImageType(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'))).toBe('image/jpeg')
    expect(detectImageType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBe('image/png')
    expect(detectImageType(bytes('RIFF', [0x24, 0x08, 0, 0], 'WEBPVP8 '))).toBe('image/webp')
    expect(detectImageType(bytes('GIF89a', [1, 0, 1, 0]))).toBe('image/gif')
    expect(detectImageType(bytes('GIF87a', [1, 0, 1, 0]))).toBe('image/gif')
  })

  it('names HEIC and HEIF, whatever the file is called', () => {
    expect(detectImageType(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]))).toBe('image/heic')
    expect(detectImageType(bytes([0, 0, 0, 0x1c], 'ftypmif1', [0, 0, 0, 0]))).toBe('image/heic')
  })

  it('does not take AVIF, text, a lone RIFF container or an empty file for an accepted image', () => {
    expect(detectImageType(bytes([0, 0, 0, 0x1c], 'ftypavif', [0, 0, 0, 0]))).toBe('unknown')
    expect(detectImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('unknown')
    expect(detectImageType(bytes('RIFF', [0x24, 0x08, 0, 0], 'WAVEfmt '))).toBe('unknown')
    expect(detectImageType(new Uint8Array())).toBe('unknown')
  })

  it('does not recognise a truncated signature', () => {
    expect(detectImageType(bytes([0xff, 0xd8]))).toBe('unknown')
    expect(detectImageType(bytes([0x89], 'PNG'))).toBe('unknown')
  })
})
