import { describe, expect, it, vi } from 'vitest'
import { File as NodeFile } from 'node:buffer'
import { checkPhotoFile, MAX_INPUT_BYTES, PhotoRejectedError } from './checkPhoto'

// jsdom's Blob cannot be read (no arrayBuffer()); Node's implements the same standard as browsers.
function nodeFile(parts: (Uint8Array | string)[], name: string, options?: { type: string }): File {
  return new NodeFile(parts, name, options) as unknown as File
}

const JPEG_START = [0xff, 0xd8, 0xff, 0xe1, 0, 0x10]

describe('checkPhotoFile', () => {
  it('accepts a JPEG by its bytes even when its name and MIME type say otherwise', async () => {
    const file = nodeFile([new Uint8Array([...JPEG_START, 1, 2, 3, 4, 5, 6, 7, 8])], 'notes.txt', { type: 'text/plain' })
    await expect(checkPhotoFile(file)).resolves.toBe('image/jpeg')
  })

  it('refuses a file over 25 MB without reading it', async () => {
    const file = nodeFile([new Uint8Array(MAX_INPUT_BYTES + 1)], 'huge.jpg', { type: 'image/jpeg' })
    const slice = vi.spyOn(file, 'slice')
    const arrayBuffer = vi.spyOn(file, 'arrayBuffer')
    await expect(checkPhotoFile(file)).rejects.toMatchObject({
      name: 'PhotoRejectedError',
      code: 'ImageTooLarge',
      message: 'This file is larger than 25 MB. Please choose a smaller photo.',
    })
    expect(slice).not.toHaveBeenCalled()
    expect(arrayBuffer).not.toHaveBeenCalled()
  })

  it('accepts a file of exactly 25 MB', async () => {
    const bytes = new Uint8Array(MAX_INPUT_BYTES)
    bytes.set(JPEG_START)
    await expect(checkPhotoFile(nodeFile([bytes], 'big.jpg'))).resolves.toBe('image/jpeg')
  })

  it('refuses HEIC with a message naming the accepted types', async () => {
    const heic = new Uint8Array([0, 0, 0, 0x18, ...Array.from('ftypheic', (c) => c.charCodeAt(0)), 0, 0, 0, 0])
    const error = await checkPhotoFile(nodeFile([heic], 'IMG_0001.jpg', { type: 'image/jpeg' })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PhotoRejectedError)
    expect(error).toMatchObject({ code: 'UnsupportedImageType' })
    expect((error as Error).message).toMatch(/^HEIC photos cannot be used yet\. Please choose a JPEG, PNG, WebP or GIF image/)
  })

  it('refuses text and empty files with a message naming the accepted types', async () => {
    const expected = { code: 'UnsupportedImageType', message: 'This file is not a photo we can use. Please choose a JPEG, PNG, WebP or GIF image.' }
    await expect(checkPhotoFile(nodeFile(['hello, unicorn'], 'photo.png', { type: 'image/png' }))).rejects.toMatchObject(expected)
    await expect(checkPhotoFile(nodeFile([], 'empty.jpg'))).rejects.toMatchObject(expected)
  })
})
