import { describe, expect, it } from 'vitest'
import { drawQrCode } from './qrCode'

describe('drawQrCode', () => {
  it('draws the modules inside a four-module quiet zone', () => {
    const { size, path } = drawQrCode('otpauth://totp/Wild%20Rydes:rider%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Wild%20Rydes')
    // Version 4 or so: 4·v + 17 modules, plus 8 for the quiet zone.
    expect((size - 8 - 17) % 4).toBe(0)
    // The top-left finder pattern starts at the quiet zone's corner; nothing is drawn in the zone itself.
    expect(path.startsWith('M4 4h1v1h-1z')).toBe(true)
    const coordinates = [...path.matchAll(/M(\d+) (\d+)/g)].map((match) => [Number(match[1]), Number(match[2])])
    expect(coordinates.every(([x, y]) => x! >= 4 && y! >= 4 && x! < size - 4 && y! < size - 4)).toBe(true)
  })
})
