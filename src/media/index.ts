// Content a message names (a path, a URL, a Blob) becomes a `mediaid` here (docs/media.md). Loaded by the share
// only when a message names content, so an app that sends ids or text never loads it.
import { ChainToolbarError } from '../errors'
import { toHostError } from '../host/errors'
import { bound } from '../host/scope'
import type { ChainToolbarOptions, MediaContent, MediaType, UploadedMedia } from '../types'
import { createMediaCache, MEDIA_LIFE_MS } from './cache'
import { checkMedia } from './limits'
import { createDefaultUploader } from './upload'

interface UniFileInfo {
  getFileInfo(options: { filePath: string; success(result: { size: number }): void; fail(raw: unknown): void }): void
}
declare const uni: UniFileInfo

/** The default deadline of one upload, in ms. */
export const DEFAULT_UPLOAD_TIMEOUT_MS = 120000

/** A path's size from uni.getFileInfo (both hosts); unknown where it cannot tell. */
const fileSize = (filePath: string) =>
  new Promise<number | undefined>((resolve) => {
    try {
      uni.getFileInfo({ filePath, success: (result) => resolve(result.size), fail: () => resolve(undefined) })
    } catch {
      resolve(undefined)
    }
  })

/** The last part of a path or URL, without query or fragment. */
const baseName = (source: string) => decodeURIComponent(source.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() || '')

interface Upload {
  promise: Promise<string>
  listeners: Set<(fraction: number) => void>
  /** The last fraction reported. */
  sent?: number
}

/**
 * One app's uploads: each content checked against WeCom's limits first, uploaded once while its id is valid (kept
 * in memory and storage), one upload in flight per content (every share waiting for it hears its progress), each
 * bounded by `media.timeoutMs`. An upload goes on when the share that started it is cancelled: its id is kept.
 */
export function createMediaResolver(options: Pick<ChainToolbarOptions, 'uploadMedia' | 'media'>) {
  const media = options.media ?? {}
  const uploader = options.uploadMedia ?? createDefaultUploader(media)
  const cache = createMediaCache(media.storage)
  const timeoutMs = media.timeoutMs! > 0 ? media.timeoutMs! : DEFAULT_UPLOAD_TIMEOUT_MS
  const inFlight = new Map<string, Upload>()
  const blobIds = new WeakMap<Blob, number>()
  let blobs = 0

  /** The key of a content: its source (a Blob by identity), type, name and size. */
  function keyOf(type: MediaType, content: MediaContent, name: string, size: number | undefined) {
    let source: string
    if ('path' in content) source = 'p:' + content.path
    else if ('url' in content) source = 'u:' + content.url
    else source = '#' + (blobIds.get(content.blob) ?? blobIds.set(content.blob, ++blobs).get(content.blob))
    return JSON.stringify([source, type, name, size ?? null])
  }

  return {
    /**
     * The content's `mediaid` and its cache key: from the cache, from the upload in flight for it, or uploaded now.
     * Rejects INVALID_MESSAGE (a limit broken: nothing sent), TIMEOUT (the upload's deadline) or the uploader's failure.
     */
    async resolve(type: MediaType, content: MediaContent, onProgress: (fraction: number) => void) {
      const blob = 'blob' in content ? content.blob : undefined
      const name = content.name || (blob as File | undefined)?.name || baseName('path' in content ? content.path : 'url' in content ? content.url : '') || type
      const size = blob ? blob.size : 'path' in content ? await fileSize(content.path) : undefined
      checkMedia(type, name, size, blob?.type, media.limits)
      const key = keyOf(type, content, name, size)
      const cached = cache.get(key)
      if (cached) return { mediaid: cached, key }
      let upload = inFlight.get(key)
      if (!upload) {
        const record = (upload = { listeners: new Set([onProgress]) } as Upload)
        const report = (fraction: number) => {
          if (fraction >= 0 && fraction <= 1) for (const listener of record.listeners) listener((record.sent = fraction))
        }
        const promise = (record.promise = bound('uploadMedia', timeoutMs, undefined, () => uploader({ ...content, type, name, size, onProgress: report })).then(
          (answer: UploadedMedia) => {
            const mediaid = answer?.mediaid
            if (typeof mediaid != 'string' || !mediaid) {
              throw new ChainToolbarError('HOST_ERROR', 'uploadMedia answered no mediaid', { api: 'uploadMedia', raw: answer })
            }
            const expiresAt = typeof answer.expiresAt == 'number' ? answer.expiresAt : Date.now() + MEDIA_LIFE_MS
            cache.set(key, mediaid, expiresAt)
            return mediaid
          },
          (failure) => {
            throw toHostError('uploadMedia', failure)
          },
        ))
        inFlight.set(key, upload)
        const done = () => inFlight.delete(key)
        promise.then(done, done)
      }
      // A share joining an upload in flight hears where it is.
      else if (upload.listeners.add(onProgress) && upload.sent !== undefined) onProgress(upload.sent)
      try {
        return { mediaid: await upload.promise, key }
      } finally {
        upload.listeners.delete(onProgress)
      }
    },
    /** Forgets the id of `key`: WeCom refused it at send time (expired, unknown). */
    forget: cache.delete,
  }
}

/**
 * A send the host refused for its media id (expired after 3 days, or unknown to WeCom): `invalid media_id`, or
 * WeCom's errcode 40007 in the text (docs/wecom-host.md §4).
 */
export const isMediaRefusal = (error: ChainToolbarError) => /invalid ?media ?id|media ?id ?(expired|invalid|not ?exist)|\b40007\b/.test(error.message.toLowerCase().replace(/_/g, ' '))

export type MediaResolver = ReturnType<typeof createMediaResolver>
