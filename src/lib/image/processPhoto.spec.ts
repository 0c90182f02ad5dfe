import { File as NodeFile } from 'node:buffer'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fitWithin, OUTPUT_BUDGET_BYTES, processPhoto } from './processPhoto'

// jsdom has neither createImageBitmap nor a 2D canvas: stand in for the browser's decoder and encoder, and check what
// processPhoto makes of their answers. The real pipeline runs in Chromium in the e2e test.
const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 0x10, 0x45, 0x78, 0x69, 0x66, 0, 0, 1, 2, 3])

function jpegFile(): File {
  return new NodeFile([JPEG_BYTES], 'IMG_1234.jpg', { type: 'image/jpeg' }) as unknown as File
}

interface Encoder {
  /** What the browser's toBlob yields for a type and quality. */
  (type: string, quality: number): Blob | null
}

let drawn: { width: number; height: number }[]
let bitmapClosed: boolean

function stubBrowser(size: { width: number; height: number }, encoder: Encoder): void {
  bitmapClosed = false
  const bitmap = { ...size, close: () => void (bitmapClosed = true) }
  vi.stubGlobal('createImageBitmap', vi.fn(async () => bitmap))
  const context = {
    drawImage: (_image: unknown, _x: number, _y: number, width: number, height: number) => drawn.push({ width, height }),
    fillRect: () => {},
  }
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as unknown as CanvasRenderingContext2D)
  vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation((callback, type = 'image/png', quality = 0.92) =>
    callback(encoder(type, quality)),
  )
}

function blobOf(bytes: number, type: string): Blob {
  return new Blob([new Uint8Array(bytes)], { type })
}

beforeEach(() => {
  drawn = []
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('fitWithin', () => {
  it('scales the long side down to the limit, keeping the aspect ratio', () => {
    expect(fitWithin(4000, 3000, 1024)).toEqual({ width: 1024, height: 768 })
    expect(fitWithin(3024, 4032, 1024)).toEqual({ width: 768, height: 1024 })
  })

  it('never enlarges and never reaches zero', () => {
    expect(fitWithin(640, 480, 1024)).toEqual({ width: 640, height: 480 })
    expect(fitWithin(10_000, 2, 1024)).toEqual({ width: 1024, height: 1 })
  })
})

describe('processPhoto', () => {
  it('decodes with the EXIF orientation applied, draws at most 640 px and encodes WebP', async () => {
    stubBrowser({ width: 4032, height: 3024 }, (type) => blobOf(90_000, type))
    const photo = await processPhoto(jpegFile())
    expect(createImageBitmap).toHaveBeenCalledWith(expect.anything(), { imageOrientation: 'from-image' })
    expect(drawn).toEqual([{ width: 640, height: 480 }])
    expect(bitmapClosed).toBe(true)
    expect(photo).toMatchObject({ type: 'image/webp', extension: 'webp', width: 640, height: 480, bytes: 90_000 })
    expect(photo.blob.type).toBe('image/webp')
  })

  it('falls back to JPEG where the browser answers a WebP request with PNG', async () => {
    stubBrowser({ width: 600, height: 450 }, (type) => (type === 'image/webp' ? blobOf(500_000, 'image/png') : blobOf(60_000, type)))
    const photo = await processPhoto(jpegFile())
    expect(photo).toMatchObject({ type: 'image/jpeg', extension: 'jpg', width: 600, height: 450, bytes: 60_000 })
  })

  it('falls back to JPEG where the browser answers a WebP request with nothing', async () => {
    stubBrowser({ width: 800, height: 600 }, (type) => (type === 'image/webp' ? null : blobOf(60_000, type)))
    await expect(processPhoto(jpegFile())).resolves.toMatchObject({ type: 'image/jpeg', extension: 'jpg' })
  })

  it('lowers the quality until the photo fits the budget', async () => {
    const qualities: number[] = []
    stubBrowser({ width: 4000, height: 3000 }, (type, quality) => {
      qualities.push(quality)
      return blobOf(quality > 0.6 ? OUTPUT_BUDGET_BYTES + 1 : OUTPUT_BUDGET_BYTES - 1, type)
    })
    const photo = await processPhoto(jpegFile())
    expect(qualities).toEqual([0.8, 0.65, 0.5])
    expect(photo.bytes).toBeLessThanOrEqual(OUTPUT_BUDGET_BYTES)
  })

  it('refuses a file the browser cannot decode', async () => {
    stubBrowser({ width: 1, height: 1 }, (type) => blobOf(1, type))
    vi.mocked(createImageBitmap).mockRejectedValue(new DOMException('The source image could not be decoded.', 'InvalidStateError'))
    await expect(processPhoto(jpegFile())).rejects.toMatchObject({
      name: 'PhotoRejectedError',
      code: 'ImageUndecodable',
      message: 'This image is damaged or incomplete and cannot be opened. Please choose another photo.',
    })
  })

  it('checks the bytes before decoding anything', async () => {
    stubBrowser({ width: 1, height: 1 }, (type) => blobOf(1, type))
    const text = new NodeFile(['not a photo'], 'photo.jpg', { type: 'image/jpeg' }) as unknown as File
    await expect(processPhoto(text)).rejects.toMatchObject({ code: 'UnsupportedImageType' })
    expect(createImageBitmap).not.toHaveBeenCalled()
  })
})
