import { ChainToolbarError } from '../errors'
import type { MediaType } from '../types'

const MB = 1024 * 1024
/** WeCom's temporary-media limits (docs/wecom-host.md §5): the image's is the lower of the two its pages give. */
export const MEDIA_LIMITS: Readonly<Record<MediaType, number>> = { image: 2 * MB, video: 10 * MB, file: 20 * MB }
/** Every file must be larger than 5 bytes. */
export const MEDIA_MIN_BYTES = 6
/** The formats WeCom takes, by MIME type and by the name's extension (a file: any). */
const FORMATS: Partial<Record<MediaType, [RegExp, RegExp, string]>> = {
  image: [/^image\/(jpeg|png)$/, /\.(jpe?g|png)$/i, 'JPG or PNG'],
  video: [/^video\/mp4$/, /\.mp4$/i, 'MP4'],
}

const refuse = (message: string, raw: object) => new ChainToolbarError('INVALID_MESSAGE', message, { raw })

/**
 * Refuses content that breaks WeCom's limits before a byte is sent (INVALID_MESSAGE naming the limit), from what
 * is known of it: its size (a Blob's; a path's, from uni.getFileInfo), its MIME type (a Blob's) and its name.
 */
export function checkMedia(
  type: MediaType,
  name: string,
  size: number | undefined,
  mime: string | undefined,
  limits?: Partial<Record<MediaType, number>>,
) {
  const maxBytes = limits?.[type] ?? MEDIA_LIMITS[type]
  if (size !== undefined && size > maxBytes) {
    const mb = +(maxBytes / MB).toFixed(2)
    throw refuse(`A ${type} may be at most ${maxBytes} bytes (${mb} MB); this one has ${size}`, { type, maxBytes, size })
  }
  if (size !== undefined && size < MEDIA_MIN_BYTES) {
    throw refuse(`A ${type} must be larger than 5 bytes; this one has ${size}`, { type, minBytes: MEDIA_MIN_BYTES, size })
  }
  const format = FORMATS[type]
  // A MIME type, where known, decides; else the name's extension, where it has one.
  const known = mime ? format?.[0].test(mime) : /\.\w+$/.test(name) ? format?.[1].test(name) : true
  if (format && !known) throw refuse(`A ${type} must be ${format[2]}: ${mime || name} is not`, { type, accepts: format[2] })
}
