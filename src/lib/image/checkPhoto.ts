import { ACCEPTED_TYPES_TEXT, detectImageType, SIGNATURE_LENGTH, type AcceptedImageType } from './imageType'

/** Larger inputs are refused before being read: no phone photo comes close, and decoding one would stall the tab. */
export const MAX_INPUT_BYTES = 25 * 1024 * 1024

export type PhotoRejectionCode = 'UnsupportedImageType' | 'ImageTooLarge' | 'ImageUndecodable'

/** A file the rider picked that cannot become their photo; `message` is written for them. */
export class PhotoRejectedError extends Error {
  override readonly name = 'PhotoRejectedError'

  constructor(
    readonly code: PhotoRejectionCode,
    message: string,
  ) {
    super(message)
  }
}

/** The rider-facing refusal for a file that does not decode even though its first bytes looked right. */
export function undecodablePhotoError(): PhotoRejectedError {
  return new PhotoRejectedError(
    'ImageUndecodable',
    'This image is damaged or incomplete and cannot be opened. Please choose another photo.',
  )
}

/**
 * Checks a picked file before anything reads it whole: its size, then its type by its first bytes.
 * @returns the image type the bytes announce
 * @throws PhotoRejectedError with a message for the rider
 */
export async function checkPhotoFile(file: Blob): Promise<AcceptedImageType> {
  if (file.size > MAX_INPUT_BYTES) {
    throw new PhotoRejectedError('ImageTooLarge', 'This file is larger than 25 MB. Please choose a smaller photo.')
  }
  const type = detectImageType(new Uint8Array(await file.slice(0, SIGNATURE_LENGTH).arrayBuffer()))
  if (type === 'image/heic') {
    throw new PhotoRejectedError(
      'UnsupportedImageType',
      `HEIC photos cannot be used yet. Please choose a ${ACCEPTED_TYPES_TEXT} image (an iPhone can share a photo as JPEG).`,
    )
  }
  if (type === 'unknown') {
    throw new PhotoRejectedError('UnsupportedImageType', `This file is not a photo we can use. Please choose a ${ACCEPTED_TYPES_TEXT} image.`)
  }
  return type
}
