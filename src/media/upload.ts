import { ChainToolbarError } from '../errors'
import type { ChainToolbarMediaOptions, UploadedMedia, UploadMediaRequest } from '../types'

interface UploadTask {
  onProgressUpdate?(listener: (result: { progress: number }) => void): void
}
interface UniNetwork {
  uploadFile(options: Record<string, unknown>): UploadTask
  request(options: Record<string, unknown>): unknown
}
declare const uni: UniNetwork

/** The server companion's answer: `{ mediaid, expiresAt }`, or `{ error: { code, message } }` (docs/media.md). */
function answer(statusCode: number, data: unknown): UploadedMedia {
  let body = data as Record<string, any> | undefined // eslint-disable-line @typescript-eslint/no-explicit-any -- the server's JSON
  try {
    // uni.uploadFile gives the body as text.
    if (typeof body == 'string') body = JSON.parse(body)
  } catch {}
  if (statusCode == 200 && typeof body?.mediaid == 'string' && body.mediaid) return { mediaid: body.mediaid, expiresAt: body.expiresAt }
  const error = body?.error
  // 413 / 415: the content breaks a limit the server knows (a URL's size, the first bytes): nothing was sent on.
  const code = statusCode == 413 || statusCode == 415 || statusCode == 400 ? 'INVALID_MESSAGE' : 'HOST_ERROR'
  throw new ChainToolbarError(code, `uploadMedia failed: ${statusCode} ${error?.message ?? error?.code ?? ''}`.trim(), { api: 'uploadMedia', raw: body })
}

const failed = (raw: unknown) =>
  new ChainToolbarError('HOST_ERROR', `uploadMedia failed: ${(raw as { errMsg?: string })?.errMsg ?? raw}`, { api: 'uploadMedia', raw })

/**
 * The kit's default uploader: the server companion's `POST /wecom/media` at `media.endpoint`. A path goes with
 * uni.uploadFile (both hosts; its progress reported), a Blob with XMLHttpRequest (H5; its upload progress
 * reported), a URL as `{ type, url, name }` with uni.request (the server fetches it; no progress).
 */
export function createDefaultUploader(options: ChainToolbarMediaOptions = {}) {
  return async (request: UploadMediaRequest): Promise<UploadedMedia> => {
    const { endpoint, headers } = options
    if (!endpoint) {
      throw new ChainToolbarError('INVALID_MESSAGE', 'Sharing a path, URL or Blob needs the media.endpoint option (or uploadMedia)', { api: 'uploadMedia' })
    }
    const header = { ...(typeof headers == 'function' ? await headers() : headers) }
    const { type, name, onProgress } = request
    const formData = { type, name }
    const progress = (task: UploadTask) => task?.onProgressUpdate?.(({ progress }) => onProgress(progress / 100))
    return new Promise<UploadedMedia>((resolve, reject) => {
      const settle = (statusCode: number, data: unknown) => {
        try {
          resolve(answer(statusCode, data))
        } catch (error) {
          reject(error)
        }
      }
      if ('path' in request) {
        progress(
          uni.uploadFile({
            url: endpoint,
            filePath: request.path,
            name: 'file',
            formData,
            header,
            success: (res: { statusCode: number; data: unknown }) => settle(res.statusCode, res.data),
            fail: (raw: unknown) => reject(failed(raw)),
          }),
        )
      } else if ('blob' in request) {
        const xhr = new XMLHttpRequest()
        const form = new FormData()
        form.append('type', type)
        form.append('name', name)
        form.append('file', request.blob, name)
        xhr.open('POST', endpoint)
        for (const key in header) xhr.setRequestHeader(key, header[key])
        xhr.upload.onprogress = (event) => event.total && onProgress(event.loaded / event.total)
        xhr.onload = () => settle(xhr.status, xhr.responseText)
        xhr.onerror = () => reject(failed({ errMsg: 'network error' }))
        xhr.send(form)
      } else {
        uni.request({
          url: endpoint,
          method: 'POST',
          data: { type, url: request.url, name },
          header: { 'content-type': 'application/json', ...header },
          success: (res: { statusCode: number; data: unknown }) => settle(res.statusCode, res.data),
          fail: (raw: unknown) => reject(failed(raw)),
        })
      }
    })
  }
}
