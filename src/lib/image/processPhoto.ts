import { checkPhotoFile, undecodablePhotoError } from './checkPhoto'

/**
 * The long side of an uploaded photo. The app shows it at most 112 CSS px wide, cropped to a circle: even the short side
 * of a 16:9 photo (360 px) covers that on a 3× phone screen. At 1024 px, every view of the profile downloaded 2.5
 * times the bytes for nothing (docs/performance.md#the-photo-is-as-large-as-its-largest-avatar).
 */
export const MAX_SIDE_PIXELS = 640

/** Encoding stops at the first quality whose output fits the budget; the last one fits anything 640 px wide. */
export const OUTPUT_BUDGET_BYTES = 250 * 1000
const QUALITIES = [0.8, 0.65, 0.5, 0.35] as const

export type EncodedPhotoType = 'image/webp' | 'image/jpeg'

/** A photo ready to upload: downscaled, re-encoded, and free of EXIF (GPS included) because only pixels were kept. */
export interface ProcessedPhoto {
  blob: Blob
  type: EncodedPhotoType
  /** For the object key: `webp` or `jpg`. */
  extension: 'webp' | 'jpg'
  width: number
  height: number
  bytes: number
}

/** The size that fits `maxSide` on the long side, keeping the aspect ratio and never enlarging. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

async function decode(file: Blob): Promise<ImageBitmap> {
  try {
    // Applies the EXIF orientation, so a portrait phone photo stays upright once its EXIF is gone.
    // https://html.spec.whatwg.org/multipage/imagebitmap-and-animations.html#dom-imagebitmapoptions-imageorientation
    return await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    throw undecodablePhotoError()
  }
}

function encode(canvas: HTMLCanvasElement, type: EncodedPhotoType, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality))
}

/** WebP (JPEG where the browser cannot encode WebP) at the first quality whose output fits the budget. */
async function encodeWithinBudget(
  canvas: HTMLCanvasElement,
  context: CanvasRenderingContext2D,
): Promise<{ blob: Blob; type: EncodedPhotoType }> {
  let type: EncodedPhotoType = 'image/webp'
  let blob: Blob | null = null
  for (const quality of QUALITIES) {
    blob = await encode(canvas, type, quality)
    // Browsers that cannot encode WebP answer with a PNG (or nothing) instead of failing.
    if (type === 'image/webp' && blob?.type !== 'image/webp') {
      type = 'image/jpeg'
      // JPEG has no alpha: put transparent areas on white rather than black.
      context.globalCompositeOperation = 'destination-over'
      context.fillStyle = '#fff'
      context.fillRect(0, 0, canvas.width, canvas.height)
      blob = await encode(canvas, type, quality)
    }
    if (!blob || blob.size <= OUTPUT_BUDGET_BYTES) break
  }
  if (!blob) throw new Error(`This browser cannot encode ${type}`)
  return { blob, type }
}

/**
 * Turns a picked file into the photo to upload: checks it (size, type by bytes), decodes it upright, downscales it to
 * at most `MAX_SIDE_PIXELS` on the long side and re-encodes it as WebP, or as JPEG where the browser cannot encode WebP.
 * @throws PhotoRejectedError with a message for the rider when the file is too large, not an accepted image, or broken
 */
export async function processPhoto(file: Blob): Promise<ProcessedPhoto> {
  await checkPhotoFile(file)
  const bitmap = await decode(file)
  const { width, height } = fitWithin(bitmap.width, bitmap.height, MAX_SIDE_PIXELS)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d')
  if (!context) {
    bitmap.close()
    throw new Error('This browser cannot draw images (no 2D canvas)')
  }
  context.imageSmoothingQuality = 'high'
  context.drawImage(bitmap, 0, 0, width, height)
  bitmap.close()

  const { blob, type } = await encodeWithinBudget(canvas, context)
  return { blob, type, extension: type === 'image/webp' ? 'webp' : 'jpg', width, height, bytes: blob.size }
}
