export { ACCEPTED_TYPES_TEXT, detectImageType, type AcceptedImageType, type DetectedImageType } from './imageType'
export { checkPhotoFile, MAX_INPUT_BYTES, PhotoRejectedError, type PhotoRejectionCode } from './checkPhoto'
export { fitWithin, MAX_SIDE_PIXELS, processPhoto, type EncodedPhotoType, type ProcessedPhoto } from './processPhoto'
