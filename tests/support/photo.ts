import type { Page } from 'playwright-core'

export interface PhotoOptions {
  /** 4000 × 3000 = the 12 megapixels of a typical phone photo. */
  width?: number
  height?: number
  /** Written as EXIF GPS tags, as a phone camera does; what the app must strip before upload. */
  gps?: { latitude: number; longitude: number }
}

/** An EXIF APP1 segment holding only GPSLatitude/Longitude and their refs (TIFF, little-endian). */
function exifGpsSegment({ latitude, longitude }: { latitude: number; longitude: number }): Buffer {
  const GPS_IFD_OFFSET = 26 // TIFF header (8) + IFD0 with one entry (2 + 12 + 4)
  const DATA_OFFSET = GPS_IFD_OFFSET + 2 + 4 * 12 + 4
  const tiff = Buffer.alloc(DATA_OFFSET + 2 * 24)
  tiff.write('II', 0, 'latin1')
  tiff.writeUInt16LE(42, 2)
  tiff.writeUInt32LE(8, 4)
  const entry = (at: number, tag: number, type: number, count: number, value: number) => {
    tiff.writeUInt16LE(tag, at)
    tiff.writeUInt16LE(type, at + 2)
    tiff.writeUInt32LE(count, at + 4)
    tiff.writeUInt32LE(value, at + 8)
  }
  const ASCII = 2
  const LONG = 4
  const RATIONAL = 5
  tiff.writeUInt16LE(1, 8)
  entry(10, 0x8825, LONG, 1, GPS_IFD_OFFSET) // GPSInfo pointer
  tiff.writeUInt16LE(4, GPS_IFD_OFFSET)
  const gpsEntry = (index: number, tag: number, type: number, count: number, value: number) =>
    entry(GPS_IFD_OFFSET + 2 + index * 12, tag, type, count, value)
  // Short ASCII values sit in the entry's value field itself: 'N\0' read as a little-endian number.
  gpsEntry(0, 0x0001, ASCII, 2, (latitude >= 0 ? 'N' : 'S').charCodeAt(0))
  gpsEntry(1, 0x0002, RATIONAL, 3, DATA_OFFSET)
  gpsEntry(2, 0x0003, ASCII, 2, (longitude >= 0 ? 'E' : 'W').charCodeAt(0))
  gpsEntry(3, 0x0004, RATIONAL, 3, DATA_OFFSET + 24)
  const writeDegrees = (at: number, value: number) => {
    const absolute = Math.abs(value)
    const degrees = Math.floor(absolute)
    const minutes = Math.floor((absolute - degrees) * 60)
    const seconds = Math.round(((absolute - degrees) * 60 - minutes) * 60 * 1000)
    for (const [index, [numerator, denominator]] of [[degrees, 1], [minutes, 1], [seconds, 1000]].entries()) {
      tiff.writeUInt32LE(numerator ?? 0, at + index * 8)
      tiff.writeUInt32LE(denominator ?? 1, at + index * 8 + 4)
    }
  }
  writeDegrees(DATA_OFFSET, latitude)
  writeDegrees(DATA_OFFSET + 24, longitude)
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const header = Buffer.from([0xff, 0xe1, 0, 0])
  header.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([header, payload])
}

/**
 * A photo-like JPEG drawn by the browser's canvas (gradient, shapes, sensor-like noise, from a fixed seed so its size is
 * the same on every run), optionally carrying EXIF GPS tags. No binary fixture in git.
 */
export async function makePhotoJpeg(page: Page, { width = 4000, height = 3000, gps }: PhotoOptions = {}): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([width, height]) => {
      // No named functions in here: tsx (esbuild keepNames) would wrap them in a `__name` helper the page lacks.
      let seed = 20261126
      const shapeRandoms = new Float64Array(300 * 6)
      for (let index = 0; index < shapeRandoms.length; index += 1) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
        shapeRandoms[index] = seed / 2 ** 32
      }
      const canvas = document.createElement('canvas')
      canvas.width = width
      canvas.height = height
      const context = canvas.getContext('2d')
      if (!context) throw new Error('No 2D canvas')
      const sky = context.createLinearGradient(0, 0, width, height)
      sky.addColorStop(0, '#7fb2e5')
      sky.addColorStop(0.6, '#f3c98b')
      sky.addColorStop(1, '#5b2a86')
      context.fillStyle = sky
      context.fillRect(0, 0, width, height)
      for (let shape = 0; shape < 300; shape += 1) {
        const [hue = 0, lightness = 0, x = 0, y = 0, radiusX = 0, radiusY = 0] = shapeRandoms.subarray(shape * 6, shape * 6 + 6)
        context.fillStyle = `hsla(${hue * 360}, 60%, ${30 + lightness * 50}%, 0.35)`
        context.beginPath()
        context.ellipse(x * width, y * height, 20 + radiusX * 400, 20 + radiusY * 300, hue * Math.PI, 0, 2 * Math.PI)
        context.fill()
      }
      const image = context.getImageData(0, 0, width, height)
      for (let index = 0; index < image.data.length; index += 4) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
        const noise = (seed / 2 ** 32 - 0.5) * 16
        image.data[index] = (image.data[index] ?? 0) + noise
        image.data[index + 1] = (image.data[index + 1] ?? 0) + noise
        image.data[index + 2] = (image.data[index + 2] ?? 0) + noise
      }
      context.putImageData(image, 0, 0)
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9))
      if (!blob) throw new Error('The canvas could not encode a JPEG')
      const bytes = new Uint8Array(await blob.arrayBuffer())
      let binary = ''
      for (let offset = 0; offset < bytes.length; offset += 0x8000) {
        binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000))
      }
      return btoa(binary)
    },
    [width, height] as const,
  )
  const jpeg = Buffer.from(base64, 'base64')
  if (!gps) return jpeg
  // EXIF goes after SOI and, when the encoder wrote one, after the JFIF APP0 segment that must come first.
  const insertAt = jpeg.readUInt16BE(2) === 0xffe0 ? 4 + jpeg.readUInt16BE(4) : 2
  return Buffer.concat([jpeg.subarray(0, insertAt), exifGpsSegment(gps), jpeg.subarray(insertAt)])
}
