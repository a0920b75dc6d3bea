import { createHash, randomBytes } from 'node:crypto'

// The fake WeCom API's temporary media: `POST cgi-bin/media/upload?access_token=…&type=…` (docs/wecom-host.md §5,
// WeCom doc 90389), read as a stream (a 20 MB upload is counted and hashed, never held in memory).

const MB = 1024 * 1024
/** Largest file per type; image is configurable because WeCom's own pages say 2 MB in one place and 10 MB in another. */
export const FAKE_MEDIA_LIMITS = Object.freeze({ image: 2 * MB, voice: 2 * MB, video: 10 * MB, file: 20 * MB })
/** A media_id lives 3 days (docs/wecom-host.md §5). */
export const MEDIA_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000

/**
 * Every media id any fake in this process issued: id → { expiresAt (fake clock, ms), now (that fake's clock) }.
 * @type {Map<string, { expiresAt: number, now: () => number }>}
 */
const issuedEverywhere = new Map()

/**
 * Whether a media id was issued by a fake WeCom API in this process and is still valid by that fake's clock:
 * 'valid', 'expired' or 'unknown'. For a simulator that should accept only ids WeCom would.
 * @param {string} mediaId
 * @returns {'valid' | 'expired' | 'unknown'}
 */
export function fakeMediaStatus(mediaId) {
  const entry = issuedEverywhere.get(mediaId)
  if (!entry) return 'unknown'
  return entry.expiresAt > entry.now() ? 'valid' : 'expired'
}

/**
 * What the content's first bytes say it is.
 * @param {Buffer} head
 */
function sniff(head) {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg'
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (head.length >= 6 && head.subarray(0, 6).toString('latin1') === '#!AMR\n') return 'amr'
  if (head.length >= 8 && head.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4'
  return 'other'
}
/** @typedef {'image' | 'voice' | 'video' | 'file'} FakeMediaType */
/** @type {Record<FakeMediaType, string[] | null>} */
const ACCEPTS = { image: ['jpeg', 'png'], voice: ['amr'], video: ['mp4'], file: null }
/** @type {Record<FakeMediaType, number>} */
const TOO_LARGE = { image: 40009, voice: 40006, video: 40011, file: 40006 }

/**
 * Parses `name="media"; filename="a.pdf"; filelength=6` (quoted or not).
 * @param {string} value
 */
function dispositionParams(value) {
  /** @type {Record<string, string>} */
  const params = {}
  for (const m of value.matchAll(/;\s*([A-Za-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)) {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]
  }
  return params
}

/** @typedef {{ headers: Record<string, string>, head: Buffer, size: number, sha256: string }} ReadPart */

/**
 * A streaming multipart reader for the one part WeCom expects: collects the part's headers, then counts,
 * hashes and sniffs its body without keeping it. Resolves with what it saw.
 * @param {import('node:http').IncomingMessage} req
 * @param {string} boundary
 * @returns {Promise<{ parts: ReadPart[], complete: boolean, aborted?: boolean }>}
 */
function readSinglePart(req, boundary) {
  const opener = Buffer.from(`--${boundary}`)
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  return new Promise((resolve) => {
    let state = 'preamble' // → headers → body → after
    let pending = Buffer.alloc(0)
    /** @type {ReadPart[]} */
    const parts = []
    /** @type {any} the part being read, from its headers to its delimiter */
    let current = null
    const finishPart = () => {
      current.sha256 = current.hash.digest('hex')
      delete current.hash
      parts.push(current)
      current = null
    }
    const feedBody = (/** @type {Buffer} */ bytes) => {
      if (!bytes.length) return
      if (current.head.length < 16) current.head = Buffer.concat([current.head, bytes.subarray(0, 16 - current.head.length)])
      current.size += bytes.length
      current.hash.update(bytes)
    }
    const step = () => {
      for (;;) {
        if (state === 'preamble') {
          const at = pending.indexOf(opener)
          if (at === -1) return
          pending = pending.subarray(at + opener.length)
          state = 'boundary-end'
        }
        if (state === 'boundary-end') {
          if (pending.length < 2) return
          if (pending.subarray(0, 2).toString() === '--') {
            state = 'after'
            return
          }
          state = 'headers'
        }
        if (state === 'headers') {
          const end = pending.indexOf('\r\n\r\n')
          if (end === -1) {
            if (pending.length > 16 * 1024) state = 'after'
            return
          }
          /** @type {Record<string, string>} */
          const headers = {}
          for (const line of pending.subarray(0, end).toString('utf8').split('\r\n')) {
            const colon = line.indexOf(':')
            if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
          }
          pending = pending.subarray(end + 4)
          current = { headers, head: Buffer.alloc(0), size: 0, hash: createHash('sha256') }
          state = 'body'
        }
        if (state === 'body') {
          const at = pending.indexOf(delimiter)
          if (at === -1) {
            // Keep the last bytes that may be the start of a delimiter.
            const keep = Math.min(pending.length, delimiter.length)
            feedBody(pending.subarray(0, pending.length - keep))
            pending = pending.subarray(pending.length - keep)
            return
          }
          feedBody(pending.subarray(0, at))
          pending = pending.subarray(at + delimiter.length)
          finishPart()
          state = 'boundary-end'
        }
        if (state === 'after') {
          pending = Buffer.alloc(0)
          return
        }
      }
    }
    req.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      step()
    })
    req.on('end', () => resolve({ parts, complete: state === 'after' }))
    // A request dropped before its end (the client aborted it): nothing is issued.
    req.on('error', () => resolve({ parts, complete: false, aborted: true }))
    req.on('close', () => resolve({ parts, complete: false, aborted: true }))
  })
}

/**
 * @param {{ now: () => number, imageMaxBytes?: number, requireFileLength?: boolean }} options
 */
export function createFakeMedia({ now, imageMaxBytes = FAKE_MEDIA_LIMITS.image, requireFileLength = false }) {
  /** @type {Record<FakeMediaType, number>} */
  const limits = { ...FAKE_MEDIA_LIMITS, image: imageMaxBytes }
  /**
   * @type {Map<string, {
   *   type: FakeMediaType, filename: string, contentType: string, size: number, sha256: string, createdAt: number, expiresAt: number,
   * }>}
   */
  const issued = new Map()
  let counter = 0
  const error = (/** @type {number} */ errcode, /** @type {string} */ errmsg) => ({ errcode, errmsg })

  /**
   * Reads the upload and answers as WeCom does.
   * @param {import('node:http').IncomingMessage} req
   * @param {Record<string, string>} query
   * @returns {Promise<{ answer: object, body: { parts?: object[], aborted?: boolean } }>}
   */
  async function upload(req, query) {
    const type = /** @type {FakeMediaType} */ (query.type) // checked below, before it is used as one
    const boundary = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '')
    if (!boundary) {
      req.resume()
      await new Promise((resolve) => req.once('end', resolve).once('close', resolve))
      return { answer: error(41005, 'media data missing: send multipart/form-data'), body: {} }
    }
    const { parts, complete, aborted } = await readSinglePart(req, boundary[1] ?? boundary[2])
    const seen = parts.map((p) => {
      const params = dispositionParams(p.headers['content-disposition'] ?? '')
      return {
        name: params.name,
        filename: params.filename,
        filelength: params.filelength === undefined ? undefined : Number(params.filelength),
        contentType: p.headers['content-type'],
        size: p.size,
        sha256: p.sha256,
        head: p.head,
      }
    })
    const body = { parts: seen.map(({ head: _head, ...rest }) => rest), ...(aborted ? { aborted: true } : {}) }
    if (!['image', 'voice', 'video', 'file'].includes(type)) return { answer: error(40005, 'invalid media type parameter'), body }
    if (!complete || seen.length === 0) return { answer: error(41005, 'media data missing'), body }
    if (seen.length !== 1 || seen[0].name !== 'media') {
      return { answer: error(40058, 'invalid parameter: send exactly one part, named media'), body }
    }
    const part = seen[0]
    if (!part.filename) return { answer: error(40058, 'invalid parameter: the media part has no filename'), body }
    if (!part.contentType) return { answer: error(40058, 'invalid parameter: the media part has no content-type'), body }
    // Whether WeCom requires filelength is unconfirmed (docs/wecom-host.md §5): `requireFileLength` plays the strict WeCom.
    if (part.filelength === undefined && requireFileLength) return { answer: error(40006, 'invalid file size: filelength missing'), body }
    if (part.filelength !== undefined && part.filelength !== part.size) {
      return { answer: error(40006, `invalid file size: filelength ${part.filelength}, received ${part.size}`), body }
    }
    if (part.size <= 5) return { answer: error(40006, 'invalid file size: every file must be larger than 5 bytes'), body }
    if (part.size > limits[type]) return { answer: error(TOO_LARGE[type], `invalid ${type} size: at most ${limits[type]} bytes`), body }
    if (ACCEPTS[type] && !ACCEPTS[type].includes(sniff(part.head))) {
      return { answer: error(40004, `invalid media type: ${type} must be ${ACCEPTS[type].join(' or ')}`), body }
    }
    const createdAt = now()
    const mediaId = `fake-media-${type}-${++counter}-${randomBytes(6).toString('hex')}`
    const entry = {
      type,
      filename: part.filename,
      contentType: part.contentType,
      size: part.size,
      sha256: part.sha256,
      createdAt,
      expiresAt: createdAt + MEDIA_LIFETIME_MS,
    }
    issued.set(mediaId, entry)
    issuedEverywhere.set(mediaId, { expiresAt: entry.expiresAt, now })
    const answer = { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: String(Math.floor(createdAt / 1000)) }
    return { answer, body }
  }

  return {
    upload,
    limits,
    /** The ids issued so far, with what each holds. */
    issued,
    /**
     * 'valid', 'expired' (3 days passed on the fake's clock) or 'unknown'.
     * @param {string} mediaId
     * @returns {'valid' | 'expired' | 'unknown'}
     */
    status(mediaId) {
      const entry = issued.get(mediaId)
      if (!entry) return 'unknown'
      return entry.expiresAt > now() ? 'valid' : 'expired'
    },
  }
}
