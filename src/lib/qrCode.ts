/*
 * QR codes for the page to draw as SVG, encoded by uqr (small, no dependencies). Loaded with this module only when a
 * rider sets up an authenticator app.
 */
import { encode } from 'uqr'

/** A QR code as one SVG path of its dark modules, in a square of `size` units that includes the quiet zone. */
export interface QrCodeDrawing {
  size: number
  path: string
}

/** The four-module light margin scanners expect around a code. */
const QUIET_ZONE = 4

/** The QR code of `text` (error correction M), drawn one unit per module. */
export function drawQrCode(text: string): QrCodeDrawing {
  const { data } = encode(text, { ecc: 'M', border: 0 })
  const path = data.flatMap((row, y) => row.flatMap((isDark, x) => (isDark ? [`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`] : []))).join('')
  return { size: data.length + 2 * QUIET_ZONE, path }
}
