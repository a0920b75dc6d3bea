import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createCredentialStore } from './credentials.mjs'
import { ChainToolbarServerError, errorFromErrcode } from './errors.mjs'
import { createMediaFetcher } from './media-fetch.mjs'

// Temporary media for image / voice / video / file chat messages: WeCom's `media/upload` (docs/wecom-host.md §5,
// doc 90389) behind checks it would make anyway (type, size, the content's first bytes), deduplicated by content.
//
// Streaming and deduplicating at once: the id depends on a hash of every byte, so the bytes are first spooled to a
// temporary file (capped at the type's limit, hashed while written: memory stays at a few stream buffers whatever
// the size), then the hash decides — an id already uploaded for these bytes is answered as is; otherwise the spool
// is streamed to WeCom (one multipart part named `media`, with filename, filelength and content-type) and removed.

const MB = 1024 * 1024
export const MEDIA_TYPES = Object.freeze(/** @type {const} */ (['image', 'voice', 'video', 'file']))
/**
 * @param {unknown} value
 * @returns {value is import('./index').MediaType}
 */
export function isMediaType(value) {
  return MEDIA_TYPES.includes(/** @type {any} */ (value))
}
/** WeCom's limits per type (docs/wecom-host.md §5); image takes the lower of the two figures WeCom's pages give. */
export const DEFAULT_MEDIA_LIMITS = Object.freeze({ image: 2 * MB, voice: 2 * MB, video: 10 * MB, file: 20 * MB })
/** Every file must be larger than 5 bytes (docs/wecom-host.md §5). */
export const MEDIA_MIN_BYTES = 6
/** A media_id lives 3 days (docs/wecom-host.md §5). */
export const MEDIA_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000

/** @typedef {import('./index').MediaType} MediaType */
/** @typedef {{ type: MediaType, name?: string, contentType?: string }} MediaMeta */

/** @type {Record<MediaType, { kinds: string[] | null, says: string }>} */
const ACCEPTED = {
  image: { kinds: ['jpeg', 'png'], says: 'a JPG or PNG image' },
  voice: { kinds: ['amr'], says: 'an AMR recording' },
  video: { kinds: ['mp4'], says: 'an MP4 video' },
  file: { kinds: null, says: 'any file' },
}
/** An early request WeCom has not taken a write of for this long is dropped (and the spool sent later). */
const STALL_MS = 2000
/** Bytes an early request may hold before the receiving waits for WeCom to take them. */
const EARLY_WINDOW = 4 * MB
/** @type {Record<string, string>} */
const CONTENT_TYPES = { jpeg: 'image/jpeg', png: 'image/png', amr: 'audio/amr', mp4: 'video/mp4' }
/** @type {Record<string, string>} */
const DEFAULT_NAMES = { jpeg: 'image.jpg', png: 'image.png', amr: 'voice.amr', mp4: 'video.mp4', other: 'file' }

/**
 * What the content's first bytes say it is: 'jpeg', 'png', 'amr', 'mp4' or 'other'.
 * @param {Uint8Array} head
 */
export function sniffMedia(head) {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength)
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (b.length >= 6 && b.subarray(0, 6).toString('latin1') === '#!AMR\n') return 'amr'
  if (b.length >= 8 && b.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4'
  return 'other'
}

/** Where a server created by createChainToolbarServer keeps its media service (for the handlers). */
export const MEDIA = Symbol.for('uni-chain-toolbar.server.media')

const article = (/** @type {string} */ type) => (type === 'image' ? 'An' : 'A')

/**
 * A ChainToolbarServerError that also says which limit was broken (the handlers put it in the answer).
 * @param {import('./index').ServerErrorCode} code
 * @param {string} message
 * @param {import('./index').MediaLimitBroken} limit
 */
function limitError(code, message, limit) {
  return Object.assign(new ChainToolbarServerError(code, message), { limit })
}

/**
 * The display name WeCom shows for a file: the last path segment, no control characters or quotes, at most 128
 * characters.
 * @param {unknown} name
 * @param {string} kind
 */
export function displayName(name, kind) {
  const cleaned =
    typeof name === 'string'
      ? basename(name.replace(/\\/g, '/'))
          // eslint-disable-next-line no-control-regex -- control characters are what it removes
          .replace(/[\u0000-\u001f\u007f"]/g, '')
          .trim()
          .slice(0, 128)
      : ''
  return cleaned || DEFAULT_NAMES[kind] || 'file'
}

/**
 * @typedef {{ path: string, size: number, sha256: string, head: Buffer, remove: () => Promise<void> }} Spool
 */

/** Bytes gathered into writes of this size: a socket's 64 KB reads cost many more disk and socket writes. */
const WRITE_BYTES = 1024 * 1024

/** Passes bytes on in pieces of about WRITE_BYTES (the last one smaller). */
function coalesce() {
  /** @type {Buffer[]} */
  let pending = []
  let size = 0
  return new Transform({
    transform(chunk, _encoding, callback) {
      pending.push(chunk)
      size += chunk.length
      if (size < WRITE_BYTES) return callback()
      const bytes = Buffer.concat(pending, size)
      pending = []
      size = 0
      callback(null, bytes)
    },
    flush(callback) {
      callback(null, size ? Buffer.concat(pending, size) : null)
    },
  })
}

/**
 * Writes `source` to a temporary file (mode 0600), at most `maxBytes` (PAYLOAD_TOO_LARGE past it), hashing it on
 * the way. Memory stays at the streams' buffers.
 * @param {NodeJS.ReadableStream | Readable} source
 * @param {{
 *   maxBytes: number, dir: string, tooLarge: () => ChainToolbarServerError,
 *   onChunk?: (chunk: Buffer, head: Buffer) => Promise<void> | void,
 * }} options the chunk is passed on once the promise `onChunk` returns settles (backpressure)
 * @returns {Promise<Spool>}
 */
export async function spool(source, { maxBytes, dir, tooLarge, onChunk }) {
  const path = join(dir, `uni-chain-toolbar-media-${randomBytes(12).toString('hex')}`)
  const hash = createHash('sha256')
  let size = 0
  let head = Buffer.alloc(0)
  const meter = new Transform({
    transform(chunk, _encoding, callback) {
      size += chunk.length
      if (size > maxBytes) return callback(tooLarge())
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)])
      hash.update(chunk)
      const wait = onChunk?.(chunk, head)
      if (wait) wait.then(() => callback(null, chunk))
      else callback(null, chunk)
    },
  })
  const remove = () => unlink(path).catch(() => {})
  try {
    await pipeline(source, coalesce(), meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
  } catch (error) {
    await remove()
    throw error
  }
  return { path, size, sha256: hash.digest('hex'), head, remove }
}

/**
 * @param {{
 *   corpId: string,
 *   apiBaseUrl: string,
 *   cache: import('./index').ChainToolbarCache & { renewableLocks?: boolean },
 *   now: () => number,
 *   log: (entry: import('./index').ServerLogEntry) => void,
 *   appToken: (stale?: string) => Promise<string>,
 *   withAppToken: <T>(request: (token: string) => Promise<T>) => Promise<T>,
 *   options?: import('./index').MediaOptions,
 * }} deps
 */
export function createMediaService({ corpId, apiBaseUrl, cache, now, log, appToken, withAppToken, options = {} }) {
  /** @type {Record<MediaType, number>} */
  const limits = { ...DEFAULT_MEDIA_LIMITS }
  for (const [type, bytes] of Object.entries(options.limits ?? {})) {
    if (!MEDIA_TYPES.includes(/** @type {any} */ (type))) throw new TypeError(`media.limits: unknown type "${type}"`)
    if (!(Number.isInteger(bytes) && bytes >= MEDIA_MIN_BYTES)) throw new TypeError(`media.limits.${type} must be an integer number of bytes`)
    limits[/** @type {MediaType} */ (type)] = bytes
  }
  const maxBytes = Math.max(...Object.values(limits))
  const uploadTimeoutMs = options.uploadTimeoutMs ?? 120_000
  const reuseMarginMs = options.reuseMarginMs ?? 6 * 60 * 60 * 1000
  if (!(uploadTimeoutMs > 0)) throw new TypeError('media.uploadTimeoutMs must be a positive number')
  if (!(reuseMarginMs >= 0 && reuseMarginMs < MEDIA_LIFETIME_MS)) throw new TypeError('media.reuseMarginMs must be between 0 and 3 days')
  const dir = options.tmpDir ?? tmpdir()
  const streamWhileReceiving = options.streamWhileReceiving !== false
  const fetcher = options.fetchOrigins
    ? createMediaFetcher({
        origins: options.fetchOrigins,
        isAddressAllowed: options.isAddressAllowed,
        lookup: options.lookup,
        maxRedirects: options.maxRedirects,
        timeoutMs: options.fetchTimeoutMs,
      })
    : null
  // Ids per content: one upload per content at a time in this process, one across instances through the
  // cache's lock (renewed while a long upload runs); the others wait for the id to appear.
  const ids = createCredentialStore({
    cache,
    now,
    lockTtlMs: uploadTimeoutMs + 5000,
    renewableLockTtlMs: 2000,
    waitMs: uploadTimeoutMs + 10_000,
    log,
  })
  /** In-flight fetches by URL: callers asking for the same URL together share one fetch. */
  /** @type {Map<string, Promise<import('./index').UploadedMedia>>} */
  const fetching = new Map()
  const root = new URL(apiBaseUrl).href.replace(/\/+$/, '').replace(/\/cgi-bin$/, '') + '/cgi-bin/'

  /**
   * @param {unknown} type
   * @returns {MediaType}
   */
  function checkType(type) {
    if (!MEDIA_TYPES.includes(/** @type {any} */ (type))) throw new ChainToolbarServerError('INVALID_REQUEST', 'type must be image, voice, video or file')
    return /** @type {MediaType} */ (type)
  }
  const tooLarge = (/** @type {MediaType} */ type) => () =>
    limitError('PAYLOAD_TOO_LARGE', `${article(type)} ${type} may be at most ${limits[type]} bytes`, { type, maxBytes: limits[type] })

  /**
   * Size and content checks on a finished spool: what WeCom would refuse, refused first.
   * @param {MediaType} type
   * @param {Spool} file
   */
  function inspect(type, file) {
    if (file.size < MEDIA_MIN_BYTES) {
      throw limitError('INVALID_REQUEST', `Every file must be larger than ${MEDIA_MIN_BYTES - 1} bytes`, { type, minBytes: MEDIA_MIN_BYTES })
    }
    if (file.size > limits[type]) throw tooLarge(type)()
    const kind = sniffMedia(file.head)
    const accepted = ACCEPTED[type]
    if (accepted.kinds && !accepted.kinds.includes(kind)) {
      throw limitError('UNSUPPORTED_MEDIA_TYPE', `${article(type)} ${type} must be ${accepted.says}; the content is not`, {
        type,
        accepts: accepted.kinds,
      })
    }
    return kind
  }

  /**
   * Opens a media/upload request (one part named `media`) and writes the part's head. The caller writes the bytes;
   * `finish()` writes the closing boundary and resolves with WeCom's answer; `abort()` drops the request before
   * that boundary, so WeCom issues nothing. With `size`: Content-Length and the part's filelength; without (bytes
   * streamed while they arrive): chunked, no filelength. The deadline runs from `finish()`, or from the start with `size`.
   * @param {string} token
   * @param {{ type: MediaType, name: string, contentType: string }} meta
   * @param {number} [size]
   */
  function openUpload(token, meta, size) {
    const url = new URL('media/upload', root)
    url.searchParams.set('access_token', token)
    url.searchParams.set('type', meta.type)
    const boundary = `----uni-chain-toolbar-${randomBytes(12).toString('hex')}`
    const quoted = meta.name.replace(/[\\"]/g, '')
    const length = size === undefined ? '' : `; filelength=${size}`
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${quoted}"${length}\r\n` +
        `Content-Type: ${meta.contentType}\r\n\r\n`,
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    const started = Date.now()
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json', 'content-type': `multipart/form-data; boundary=${boundary}` }
    if (size !== undefined) headers['content-length'] = String(head.length + size + tail.length)
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers })
    /** @type {NodeJS.Timeout | undefined} */
    let timer
    const startDeadline = () => {
      timer ??= setTimeout(() => {
        const message = `WeCom did not take the upload within ${uploadTimeoutMs} ms (media/upload)`
        request.destroy(new ChainToolbarServerError('UPSTREAM_TIMEOUT', message, { api: 'media/upload' }))
      }, uploadTimeoutMs)
    }
    if (size !== undefined) startDeadline()
    const answer = new Promise((resolve, reject) => {
      const fail = (/** @type {unknown} */ error) => {
        clearTimeout(timer)
        if (error instanceof ChainToolbarServerError) return reject(error)
        // The request URL holds the access token: never pass it on.
        log({ level: 'warn', event: 'wecom-unreachable', api: 'media/upload', ms: Date.now() - started })
        reject(new ChainToolbarServerError('UPSTREAM_ERROR', 'Could not reach the WeCom API (media/upload)', { api: 'media/upload' }))
      }
      request.once('error', fail)
      request.once('response', (response) => {
        /** @type {Buffer[]} */
        const chunks = []
        let received = 0
        response.on('data', (chunk) => {
          received += chunk.length
          if (received > 64 * 1024) response.destroy(new ChainToolbarServerError('UPSTREAM_ERROR', 'WeCom answered with an unexpected body (media/upload)'))
          else chunks.push(chunk)
        })
        response.once('error', fail)
        response.once('end', () => {
          clearTimeout(timer)
          if (response.statusCode !== 200) {
            return reject(new ChainToolbarServerError('UPSTREAM_ERROR', `WeCom answered HTTP ${response.statusCode} (media/upload)`, { api: 'media/upload' }))
          }
          let data
          try {
            data = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          } catch {
            return reject(new ChainToolbarServerError('UPSTREAM_ERROR', 'WeCom answered with something other than JSON (media/upload)', { api: 'media/upload' }))
          }
          const errcode = Number(data?.errcode ?? 0)
          if (errcode !== 0) {
            log({ level: 'warn', event: 'wecom-error', api: 'media/upload', errcode, ms: Date.now() - started })
            return reject(mediaError(errcode, typeof data.errmsg === 'string' ? data.errmsg : undefined, meta.type))
          }
          log({ level: 'debug', event: 'wecom-call', api: 'media/upload', ms: Date.now() - started })
          resolve(data)
        })
      })
    })
    answer.catch(() => {}) // observed through finish(); an aborted request's failure is no unhandled rejection
    request.write(head)
    let ended = false
    return {
      request,
      meta,
      token,
      /** WeCom's answer (rejects when the request fails or is aborted). */
      done: answer,
      finish() {
        if (!ended) {
          ended = true
          startDeadline()
          request.end(tail)
        }
        return answer
      },
      abort() {
        if (ended) return
        ended = true
        request.destroy()
      },
    }
  }

  /**
   * Streams the spool to WeCom's media/upload.
   * @param {string} token
   * @param {Spool} file
   * @param {{ type: MediaType, name: string, contentType: string }} meta
   */
  function postToWeCom(token, file, meta) {
    const upload = openUpload(token, meta, file.size)
    const body = createReadStream(file.path, { highWaterMark: WRITE_BYTES })
    body.once('error', (error) => upload.request.destroy(error))
    body.once('end', () => upload.finish())
    body.pipe(upload.request, { end: false })
    return upload.done
  }

  /**
   * The content-type WeCom gets: the format's own, else (a file) the declared one when it is a plain type/subtype.
   * @param {string} kind
   * @param {unknown} declared
   */
  function contentTypeFor(kind, declared) {
    const plain = typeof declared === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(declared) ? declared : undefined
    return CONTENT_TYPES[kind] ?? plain ?? 'application/octet-stream'
  }

  /**
   * Spools `source` and — unless media.streamWhileReceiving is false — streams the same bytes to media/upload while
   * they arrive, once the first 16 bytes show the type's format, holding back the closing boundary until the hash has
   * decided (idFor): new content then costs its last bytes, not a second pass; known content's early request is
   * dropped before its end, so WeCom issues nothing. The early request holds the receiving back while more than
   * EARLY_WINDOW waits for WeCom; one that WeCom does not take for STALL_MS is dropped, and the spool sent instead.
   * @param {NodeJS.ReadableStream | Readable} source
   * @param {MediaMeta} meta
   * @param {{ early?: boolean, size?: number }} [options] `early: false`: spool only; `size`: known in advance (bytes)
   * @returns {Promise<{ file: Spool, early: ReturnType<typeof openUpload> | null }>}
   */
  async function receive(source, meta, options = {}) {
    // Set by onChunk while the spool runs.
    let early = /** @type {ReturnType<typeof openUpload> | null} */ (null)
    let gaveUp = !streamWhileReceiving || options.early === false || !MEDIA_TYPES.includes(meta.type)
    /** @type {string | null} */
    let token = null
    if (!gaveUp) {
      try {
        token = await appToken()
      } catch {
        gaveUp = true
      }
    }
    /** @type {Buffer[]} */
    const pending = []
    /** @param {Buffer} chunk @param {Buffer} head */
    const onChunk = (chunk, head) => {
      if (gaveUp) return
      if (!early) {
        pending.push(chunk)
        if (head.length < 16) return
        const kind = sniffMedia(head)
        const kinds = ACCEPTED[meta.type].kinds
        if (kinds && !kinds.includes(kind)) {
          gaveUp = true // refused after the spool, with nothing sent
          pending.length = 0
          return
        }
        const name = displayName(meta.name, kind)
        early = openUpload(
          /** @type {string} */ (token),
          { type: meta.type, name, contentType: contentTypeFor(kind, meta.contentType) },
          options.size,
        )
        early.done.catch(() => (gaveUp = true))
        for (const bytes of pending) early.request.write(bytes)
        pending.length = 0
        return
      }
      // Up to EARLY_WINDOW may wait in the request, so receiving and sending overlap.
      early.request.write(chunk)
      if (early.request.writableLength <= EARLY_WINDOW) return
      const request = early.request
      const dropping = early
      return new Promise(/** @param {(value?: void) => void} resolve */ (resolve) => {
        const done = () => {
          clearTimeout(timer)
          request.off('drain', done).off('close', done)
          resolve()
        }
        const timer = setTimeout(() => {
          gaveUp = true
          dropping.abort()
          done()
        }, STALL_MS)
        request.once('drain', done).once('close', done)
      })
    }
    const type = meta.type
    let file
    try {
      file = await spool(source, { maxBytes: limits[type], dir, tooLarge: tooLarge(type), onChunk })
    } catch (error) {
      early?.abort()
      throw error
    }
    if (gaveUp && early) {
      early.abort()
      early = null
    }
    return { file, early }
  }

  /**
   * WeCom's refusals of a file (docs/wecom-host.md §5) as the answers the checks give.
   * @param {number} errcode
   * @param {string | undefined} errmsg
   * @param {MediaType} type
   */
  function mediaError(errcode, errmsg, type) {
    if (errcode === 40006 || errcode === 40009 || errcode === 40011) {
      return Object.assign(new ChainToolbarServerError('PAYLOAD_TOO_LARGE', `WeCom refused the ${type}'s size (media/upload: errcode ${errcode})`, {
        api: 'media/upload',
        errcode,
        errmsg,
      }), { limit: { type } })
    }
    if (errcode === 40004) {
      return new ChainToolbarServerError('UNSUPPORTED_MEDIA_TYPE', `WeCom refused the ${type}'s format (media/upload: errcode 40004)`, {
        api: 'media/upload',
        errcode,
        errmsg,
      })
    }
    return errorFromErrcode('media/upload', errcode, errmsg)
  }

  /**
   * The id for a finished spool: the one already uploaded for these bytes while it stays valid for a margin,
   * else a fresh upload (one per content at a time, across instances sharing the cache).
   * @param {Spool} file
   * @param {MediaMeta} meta
   * @param {ReturnType<typeof openUpload> | null} [early] the same bytes already streamed to media/upload (receive)
   */
  async function idFor(file, meta, early = null) {
    try {
      return await decide(file, meta, early)
    } finally {
      early?.abort() // not used (known content, another caller's upload, a check failed): WeCom issues nothing
    }
  }

  /**
   * @param {Spool} file
   * @param {MediaMeta} meta
   * @param {ReturnType<typeof openUpload> | null} early
   * @returns {Promise<import('./index').UploadedMedia>}
   */
  async function decide(file, meta, early) {
    const type = checkType(meta.type)
    const kind = inspect(type, file)
    const name = displayName(meta.name, kind)
    const contentType = contentTypeFor(kind, meta.contentType)
    const matches = early && early.meta.type === type && early.meta.name === name && early.meta.contentType === contentType
    // A file's name is what the chat shows, so the same bytes under another name are another file message.
    const nameKey = type === 'file' ? `:${createHash('sha256').update(name).digest('hex').slice(0, 16)}` : ''
    const key = `media:${corpId}:${type}:${file.sha256}${nameKey}`
    const raw = await ids.obtain(key, async () => {
      let data
      if (early && matches) {
        try {
          data = await early.finish()
        } catch (error) {
          // A rejected token or a broken connection: the spool is sent instead. So is a file WeCom refused although
          // it passed the checks above (a 40xxx / 41xxx errcode about the request's parameters): the early request
          // carries no filelength (the size was not known yet), which WeCom may require (docs/wecom-host.md §5,
          // unconfirmed) — the spool's request has it. Anything else stands as WeCom answered it, as it would for the
          // spool: rate limits, configuration errors, a busy WeCom (-1).
          const failure = /** @type {{ code?: string, errcode?: number } | undefined} */ (error)
          const errcode = failure?.errcode
          const token = failure?.code === 'TOKEN_INVALID'
          const transport = failure?.code === 'UPSTREAM_ERROR' && errcode === undefined
          const refused = !token && errcode !== undefined && errcode >= 40000 && errcode < 42000 && failure?.code !== 'CONFIG_ERROR'
          if (!token && !transport && !refused) throw error
          if (refused) log({ level: 'warn', event: 'media-early-refused', api: 'media/upload', errcode })
          if (token) {
            // Refreshed once for everyone; the spool is that one retry, with no second refresh.
            data = await postToWeCom(await appToken(early.token), file, { type, name, contentType })
          }
        }
      }
      data ??= await withAppToken((token) => postToWeCom(token, file, { type, name, contentType }))
      if (typeof data.media_id !== 'string' || !data.media_id) {
        throw new ChainToolbarServerError('UPSTREAM_ERROR', 'media/upload returned no media_id', { api: 'media/upload' })
      }
      const created = Number(data.created_at) * 1000
      const expiresAt = (Number.isFinite(created) && created > 0 ? created : now()) + MEDIA_LIFETIME_MS
      log({ level: 'info', event: 'media-uploaded', api: 'media/upload', bytes: file.size })
      return { value: JSON.stringify({ mediaid: data.media_id, expiresAt }), ttlMs: Math.max(1, expiresAt - reuseMarginMs - now()) }
    })
    const { mediaid, expiresAt } = JSON.parse(raw)
    return { mediaid, expiresAt, type, name, size: file.size, sha256: file.sha256 }
  }

  /**
   * Spools `source` for `type` (capped at the type's limit) and returns its id.
   * @param {NodeJS.ReadableStream | Readable} source
   * @param {MediaMeta} meta
   * @param {number} [size]
   */
  async function fromStream(source, meta, size) {
    checkType(meta.type)
    const { file, early } = await receive(source, meta, { size })
    try {
      return await idFor(file, meta, early)
    } finally {
      await file.remove()
    }
  }

  /**
   * Fetches `url` under the SSRF guards, once for all callers asking together.
   * @param {string} url
   * @param {MediaMeta} meta
   */
  function fromUrl(url, meta) {
    const type = checkType(meta.type)
    if (!fetcher) throw new ChainToolbarServerError('FORBIDDEN', 'Fetching media by URL is off: set media.fetchOrigins on the server')
    const key = `${type}\n${meta.name ?? ''}\n${url}`
    let running = fetching.get(key)
    if (!running) {
      running = (async () => {
        const fetched = await fetcher.fetchUrl(String(url), { maxBytes: limits[type], tooLarge: tooLarge(type) })
        const name = meta.name ?? decodeURIComponent(fetched.url.pathname.split('/').pop() || '')
        return fromStream(fetched.body, { type, name, contentType: meta.contentType ?? fetched.contentType?.split(';')[0] })
      })().finally(() => fetching.delete(key))
      fetching.set(key, running)
    }
    return running
  }

  /**
   * @param {import('./index').UploadMediaInput} input
   * @returns {Promise<import('./index').UploadedMedia>}
   */
  async function uploadMedia(input) {
    if (!input || typeof input !== 'object') throw new ChainToolbarServerError('INVALID_REQUEST', 'uploadMedia needs { type, data } or { type, url }')
    const { type, url, name, contentType } = input
    /** @type {any} bytes, or any kind of stream: told apart below */
    const data = input.data
    checkType(type)
    if (url !== undefined && data !== undefined) throw new ChainToolbarServerError('INVALID_REQUEST', 'Pass data or url, not both')
    if (url !== undefined) return fromUrl(url, { type, name, contentType })
    if (data === undefined || data === null) throw new ChainToolbarServerError('INVALID_REQUEST', 'uploadMedia needs data (bytes or a stream) or url')
    let source
    if (data instanceof Uint8Array) {
      // The size is known: refused before anything is spooled or sent.
      if (data.byteLength > limits[type]) throw tooLarge(type)()
      source = Readable.from([data])
    }
    else if (typeof data === 'string' && data.startsWith('file://')) source = createReadStream(new URL(data))
    else if (typeof data?.pipe === 'function') source = data
    else if (typeof data?.[Symbol.asyncIterator] === 'function') source = Readable.from(data, { objectMode: false })
    else if (typeof data?.getReader === 'function') source = Readable.fromWeb(data)
    else throw new ChainToolbarServerError('INVALID_REQUEST', 'data must be a Buffer / Uint8Array, a readable stream or an async iterable of bytes')
    return fromStream(source, { type, name, contentType }, data instanceof Uint8Array ? data.byteLength : undefined)
  }

  return { uploadMedia, fromStream, receive, idFor, limits, maxBytes, dir, tooLarge }
}

