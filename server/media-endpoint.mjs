import busboy from 'busboy'
import { Readable } from 'node:stream'
import { ChainToolbarServerError } from './errors.mjs'
import { isMediaType, MEDIA, spool } from './media.mjs'

// POST /wecom/media: a file from the page (multipart/form-data, what uni.uploadFile sends: one file part, by
// default named `file`, and form fields such as `type` and `name`) or `{ type, url, name? }` for a file the app
// already serves → `{ mediaid, expiresAt }`. The caller is authorised and counted before a byte of the body is
// read; the file part is spooled (capped, hashed) as it arrives, and only a file that passes the checks is sent on.

/** @param {import('./index').ServerErrorCode} code @param {string} message */
const fail = (code, message) => new ChainToolbarServerError(code, message)
/** Room for the multipart framing and the form fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024

/**
 * @param {{
 *   server: import('./index').ChainToolbarServer,
 *   upstreamCorpId: string | undefined,
 *   authorizeMedia?: (request: Request, session: import('./index').VerifiedSession | null) => boolean | Promise<boolean>,
 *   limit: (kind: 'media', who: string) => Promise<void>,
 *   callerAddress: (request: any) => string,
 *   readJson: (request: any, maxBytes: number, timeoutMs: number) => Promise<any>,
 *   maxBodyBytes: number,
 *   bodyTimeoutMs: number,
 *   uploadBodyTimeoutMs?: number,
 * }} deps
 */
export function createMediaEndpoint(deps) {
  const { server, upstreamCorpId, authorizeMedia, limit, callerAddress, readJson, maxBodyBytes, bodyTimeoutMs } = deps
  const uploadBodyTimeoutMs = deps.uploadBodyTimeoutMs ?? 300_000

  function media() {
    const service = /** @type {any} */ (server)[MEDIA]
    if (!service) throw fail('CONFIG_ERROR', 'This server has no media uploads (pass a server made by createChainToolbarServer)')
    return /** @type {ReturnType<typeof import('./media.mjs').createMediaService>} */ (service)
  }

  /** Who is asking: the app's hook decides when given (with the session, when a valid one is sent), else a session of the app's corp. */
  /** @param {any} request a CoreRequest */
  async function authorize(request) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '')
    if (authorizeMedia) {
      let session = null
      if (bearer) {
        try {
          session = server.verifySession(bearer[1])
        } catch {}
      }
      if (!(await authorizeMedia(request.web(), session))) throw fail('FORBIDDEN', 'Not allowed to upload media')
      return session ? `member:${session.corpId}:${session.userId}` : `address:${callerAddress(request)}`
    }
    if (!bearer) throw fail('SESSION_INVALID', 'Send Authorization: Bearer <session token>')
    const member = server.verifySession(bearer[1])
    // Uploads spend the app's own media quota: members of the app's corp only, unless authorizeMedia widens it.
    if (member.corpId !== upstreamCorpId) throw fail('FORBIDDEN', 'Not allowed to upload media')
    return `member:${member.corpId}:${member.userId}`
  }

  /**
   * Reads the one file part into a spool while it arrives; fields may come before or after it.
   * @returns {Promise<{
   *   file: import('./media.mjs').Spool, early: any, fields: Record<string, string>, filename?: string, mimeType?: string,
   * }>}
   * @param {any} request a CoreRequest
   * @param {string | undefined} queryType
   */
  function readMultipart(request, queryType) {
    const service = media()
    const known = isMediaType(queryType) ? queryType : undefined
    const declared = Number(request.header('content-length'))
    const cap = known ? service.limits[known] : service.maxBytes
    if (Number.isFinite(declared) && declared > cap + MULTIPART_OVERHEAD) {
      throw known ? service.tooLarge(known)() : service.tooLarge(largestType(service.limits))()
    }
    return new Promise((resolve, reject) => {
      /** @type {import('busboy').Busboy} */
      let parser
      try {
        parser = busboy({
          headers: { 'content-type': request.header('content-type') ?? '' },
          limits: { files: 1, fields: 16, fieldSize: 4096, parts: 24, headerPairs: 32 },
          defParamCharset: 'utf8',
        })
      } catch {
        return reject(fail('INVALID_REQUEST', 'The multipart body has no boundary'))
      }
      const source = request.stream()
      /** @type {Record<string, string>} */
      const fields = {}
      /** @type {Promise<{ file: import('./media.mjs').Spool, early: any }> | null} */
      let spooling = null
      /** @type {import('busboy').FileInfo | null} */
      let info = null
      let settled = false
      let extra = false
      const timer = setTimeout(() => stop(fail('REQUEST_TIMEOUT', `The upload did not arrive within ${uploadBodyTimeoutMs} ms`)), uploadBodyTimeoutMs)
      timer.unref?.()
      /** @param {unknown} error */
      function stop(error) {
        if (settled) return
        settled = true
        clearTimeout(timer)
        source.unpipe(parser)
        spooling?.then(({ file, early }) => (early?.abort(), file.remove()), () => {})
        reject(error)
      }
      parser.on('field', (name, value) => {
        if (!(name in fields)) fields[name] = value
      })
      parser.on('file', (_name, stream, fileInfo) => {
        if (spooling) {
          extra = true
          stream.resume()
          return
        }
        info = fileInfo
        const type = isMediaType(fields.type) ? fields.type : known
        // The type is known before the file: capped at its limit (and streamed on while it arrives); else capped at
        // the largest limit, and checked when the type is known.
        // Streamed on early only with a declared length, which passed the check above: a file over its limit is then
        // at most MULTIPART_OVERHEAD over it, cut at the limit, and its request dropped before WeCom issues anything.
        const meta = { type, name: fields.name || fileInfo.filename, contentType: fileInfo.mimeType }
        if (type) spooling = service.receive(stream, { ...meta, type }, { early: Number.isFinite(declared) })
        else {
          const tooLarge = service.tooLarge(largestType(service.limits))
          spooling = spool(stream, { maxBytes: service.maxBytes, dir: service.dir, tooLarge }).then((file) => ({ file, early: null }))
        }
        spooling.catch(stop)
      })
      parser.on('filesLimit', () => (extra = true))
      parser.on('error', () => stop(fail('INVALID_REQUEST', 'The multipart body is malformed')))
      parser.on('close', async () => {
        if (settled) return
        if (!spooling) return stop(fail('INVALID_REQUEST', 'Send the file as one multipart part with a filename'))
        let received
        try {
          received = await spooling
        } catch (error) {
          return stop(error)
        }
        const { file, early } = received
        if (settled) {
          early?.abort()
          return void file.remove()
        }
        settled = true
        clearTimeout(timer)
        if (extra) {
          early?.abort()
          await file.remove()
          return reject(fail('INVALID_REQUEST', 'Send one file per request'))
        }
        resolve({ file, early, fields, filename: info?.filename, mimeType: info?.mimeType })
      })
      source.once('error', () => stop(fail('INVALID_REQUEST', 'The upload was not received completely')))
      source.once('aborted', () => stop(fail('INVALID_REQUEST', 'The upload was not received completely')))
      source.pipe(parser)
    })
  }

  /** @param {any} request a CoreRequest */
  return async function mediaUpload(request) {
    const caller = await authorize(request)
    await limit('media', caller)
    const queryType = new URLSearchParams(request.query).get('type') ?? undefined
    const contentType = request.header('content-type') ?? ''
    if (/^multipart\/form-data/i.test(contentType)) {
      const { file, early, fields, filename, mimeType } = await readMultipart(request, queryType)
      try {
        const type = fields.type ?? queryType
        if (!isMediaType(type)) {
          early?.abort()
          throw fail('INVALID_REQUEST', 'type must be image, voice, video or file (a form field or ?type=)')
        }
        const uploaded = await media().idFor(file, { type, name: fields.name || filename, contentType: mimeType }, early)
        return { mediaid: uploaded.mediaid, expiresAt: uploaded.expiresAt }
      } finally {
        await file.remove()
      }
    }
    if (request.parsedBody === undefined && !/^application\/json\s*(;|$)/i.test(contentType)) {
      throw fail('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, or { type, url } as application/json')
    }
    const body = await readJson(request, maxBodyBytes, bodyTimeoutMs)
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.url !== 'string') {
      throw fail('INVALID_REQUEST', 'The body must be { "type": "image" | "voice" | "video" | "file", "url": "https://…", "name"?: "…" }')
    }
    const name = typeof body.name === 'string' ? body.name : undefined
    const uploaded = await media().uploadMedia({ type: body.type ?? queryType, url: body.url, name })
    return { mediaid: uploaded.mediaid, expiresAt: uploaded.expiresAt }
  }
}

/**
 * @param {Record<string, number>} limits
 * @returns {import('./index').MediaType}
 */
function largestType(limits) {
  return /** @type {import('./index').MediaType} */ (Object.entries(limits).sort((a, b) => b[1] - a[1])[0][0])
}

/**
 * A Web Request's body as a Node stream (the node:http adapter hands over the request itself).
 * @param {Request} request
 */
export function webBodyStream(request) {
  if (!request.body) return Readable.from([])
  return Readable.fromWeb(/** @type {any} */ (request.body))
}
