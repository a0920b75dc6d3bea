import { Readable } from 'node:stream'
import { ChainToolbarServerError } from './errors.mjs'
import { createMediaEndpoint, webBodyStream } from './media-endpoint.mjs'
import { createOAuthSessionHandler } from './oauth.mjs'
import { createMemoryRateLimitStore } from './rate-limit.mjs'
import { createChainToolbarServer, quietLogger } from './server.mjs'

const JSON_HEADERS = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  vary: 'Origin',
})

/**
 * The handlers' own request and answer shapes: what both the Web (`Request`/`Response`) and the
 * `node:http` adapters turn into and out of, so the Node path builds no Web objects at all.
 * @typedef {{
 *   method: string, path: string, query: string, header: (name: string) => string | null,
 *   parsedBody?: unknown, readBody: (maxBytes: number, timeoutMs: number) => Promise<Buffer>,
 *   remoteAddress?: string, web: () => Request, stream: () => import('node:stream').Readable,
 * }} CoreRequest
 * @typedef {{ status: number, headers: Record<string, string>, body: string | null }} CoreResponse
 * @typedef {'agentSignature' | 'session' | 'oauthSession' | 'chainContact' | 'media'} Endpoint
 * @typedef {{
 *   match: (rawPath: string) => Endpoint | null, serve: (request: CoreRequest, endpoint: Endpoint) => Promise<CoreResponse>,
 *   notFound: (request: CoreRequest) => CoreResponse, maxBodyBytes: number, bodyTimeoutMs: number,
 *   log: (entry: import('./index').ServerLogEntry) => void,
 * }} HandlersCore
 * @typedef {import('./index').ChainToolbarHandlers & { [CORE]: HandlersCore }} HandlersWithCore
 */

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {CoreResponse}
 */
function json(status, body, headers) {
  return { status, headers: headers ? { ...JSON_HEADERS, ...headers } : { ...JSON_HEADERS }, body: JSON.stringify(body) }
}

/** @param {import('./index').ServerErrorCode} code @param {string} message */
const fail = (code, message) => new ChainToolbarServerError(code, message)

/** The client went away before its request was complete: its failure, not the server's. */
class ClientAbortedError extends Error {}

/**
 * Reads a JSON body of at most `maxBytes`, without trusting Content-Length.
 * @param {CoreRequest} request
 * @param {number} maxBytes
 * @param {number} timeoutMs
 */
async function readJson(request, maxBytes, timeoutMs) {
  if (request.parsedBody !== undefined) {
    // A body parser (express.json(), koa-bodyparser) already read the stream: use what it parsed.
    const parsed = request.parsedBody
    return typeof parsed === 'string' || Buffer.isBuffer(parsed) ? parse(Buffer.from(parsed)) : parsed
  }
  if (!/^application\/json\s*(;|$)/i.test(request.header('content-type') ?? '')) {
    throw fail('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json')
  }
  if (Number(request.header('content-length')) > maxBytes) throw fail('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes`)
  return parse(await request.readBody(maxBytes, timeoutMs))
}

/** @param {Buffer} bytes */
function parse(bytes) {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw fail('INVALID_REQUEST', 'The body is not valid JSON')
  }
}

/** @param {string} path */
function normalisePath(path) {
  const trimmed = `/${String(path).replace(/^\/+|\/+$/g, '')}`
  return trimmed === '/' ? '' : trimmed
}

const DEFAULT_LIMITS = {
  // Each exchange is a jscode2session call; one address (an office behind NAT is one address) gets 30 a minute.
  session: { limit: 30, windowMs: 60_000 },
  // Each exchange is an auth/getuserinfo call: the same budget per address as the mini program's.
  oauthSession: { limit: 30, windowMs: 60_000 },
  // Each lookup may be a list_app_share_info, corpgroup/corp/gettoken or user/get call: 60 a minute per member.
  chainContact: { limit: 60, windowMs: 60_000 },
  // Each upload may be a media/upload call of up to 20 MB: 30 a minute per member.
  media: { limit: 30, windowMs: 60_000 },
}

/** @param {import('./index').ChainToolbarHandlersOptions['rateLimits']} option */
function resolveLimits(option) {
  /** @type {Record<'session' | 'oauthSession' | 'chainContact' | 'media', { limit: number, windowMs: number } | null>} */
  const limits = { session: null, oauthSession: null, chainContact: null, media: null }
  if (option === false) return limits
  for (const kind of /** @type {const} */ (['session', 'oauthSession', 'chainContact', 'media'])) {
    const rule = option?.[kind]
    if (rule === false) continue
    const merged = { ...DEFAULT_LIMITS[kind], ...rule }
    if (!(merged.limit > 0) || !(merged.windowMs > 0)) {
      throw new TypeError(`rateLimits.${kind}: limit and windowMs must be positive numbers`)
    }
    limits[kind] = merged
  }
  return limits
}

const CORE = Symbol.for('uni-chain-toolbar.handlers.core')
const PRIVATE_ADDRESS = /^(::ffff:)?(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)|^::1$|^f[cd][0-9a-f]{2}:/i

/**
 * Framework-neutral HTTP handlers (Web `Request` → `Response`) for the three endpoints the kit's
 * `createChainToolbar` options call:
 *   GET  /wecom/agent-signature?url=…   → { timestamp, nonceStr, signature }   (web.getSignature)
 *   POST /wecom/session  { code }        → { token, expiresIn, corpId, userId } (miniProgram.exchangeCode)
 *   GET  /chain/:corpId/:userId          → { corpId, userId, name, corpName, department, position } (resolveContact)
 * Errors are `{ error: { code, message } }` with the matching HTTP status; nothing else leaks.
 * @param {import('./index').ChainToolbarHandlersOptions} [options]
 * @returns {HandlersWithCore}
 */
export function createChainToolbarHandlers(options = {}) {
  const server = options.server ?? createChainToolbarServer(options)
  const upstreamCorpId = server.corpId ?? options.corpId ?? options.env?.WECOM_CORP_ID ?? process.env.WECOM_CORP_ID
  const base = normalisePath(options.basePath ?? '')
  const paths = {
    agentSignature: base + normalisePath(options.paths?.agentSignature ?? '/wecom/agent-signature'),
    session: base + normalisePath(options.paths?.session ?? '/wecom/session'),
    oauthSession: base + normalisePath(options.paths?.oauthSession ?? '/wecom/oauth-session'),
    chainContact: base + normalisePath(options.paths?.chainContact ?? '/chain'),
    media: base + normalisePath(options.paths?.media ?? '/wecom/media'),
  }
  const maxBodyBytes = options.maxBodyBytes ?? 4096
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000
  if (!(bodyTimeoutMs > 0)) throw new TypeError('createChainToolbarHandlers: bodyTimeoutMs must be a positive number')
  const authorizeRequest = options.authorizeChainContact
  const authorize = options.authorize
  const limits = resolveLimits(options.rateLimits)
  const memoryLimits = createMemoryRateLimitStore()
  // A cache that also counts hits (createRedisCache) is the shared store.
  const cacheStore = /** @type {Partial<import('./index').RateLimitStore> | undefined} */ (options.cache)
  const limitStore =
    options.rateLimitStore ?? (typeof cacheStore?.hit === 'function' ? /** @type {import('./index').RateLimitStore} */ (cacheStore) : memoryLimits)
  const clientKey = options.clientKey
  const log = quietLogger(options.log)

  /** @param {unknown} error @returns {CoreResponse} */
  function errorResponse(error) {
    if (error instanceof ChainToolbarServerError) {
      if (error.code === 'CACHE_UNAVAILABLE') log({ level: 'error', event: 'dependency-failure', dependency: 'cache', code: error.code })
      else if (error.status >= 500) {
        // WeCom's errmsg stays in the server's log (a 60020 names the IP to add to the app's trusted IPs).
        log({ level: 'error', event: 'handler-error', code: error.code, api: error.api, errcode: error.errcode, errmsg: error.errmsg })
      } else if (error.code === 'ORIGIN_NOT_ALLOWED') {
        // The page's browser shows only a CORS error: the server's log says which origin was refused.
        log({ level: 'warn', event: 'origin-refused', code: error.code, message: error.message })
      }
      const retry = error.retryAfter ? { 'retry-after': String(error.retryAfter) } : undefined
      // A media limit broken (413/415) is named in the answer: { type, maxBytes } or { type, accepts }.
      const limit = /** @type {any} */ (error).limit
      return json(error.status, { error: { code: error.code, message: error.message, ...(limit ? { limit } : {}) } }, retry)
    }
    // A bug or an unexpected failure: the client learns nothing about it; the app's logger may.
    log({ level: 'error', event: 'handler-error', code: 'INTERNAL', error })
    return json(500, { error: { code: 'INTERNAL', message: 'Internal server error' } })
  }

  /**
   * @param {'session' | 'oauthSession' | 'chainContact' | 'media'} kind
   * @param {string} who
   */
  async function limit(kind, who) {
    const rule = limits[kind]
    if (!rule) return
    const key = `rate:${kind}:${who}`
    let hit
    try {
      hit = await limitStore.hit(key, rule.windowMs)
    } catch {
      // The shared store (Redis) is down: count in this process meanwhile.
      log({ level: 'warn', event: 'dependency-failure', dependency: 'rate-limit-store' })
      hit = await memoryLimits.hit(key, rule.windowMs)
    }
    if (hit.count > rule.limit) {
      throw new ChainToolbarServerError('RATE_LIMITED', 'Too many requests from this caller; try again later', {
        retryAfter: Math.max(1, Math.ceil(hit.resetInMs / 1000)),
      })
    }
  }

  /**
   * The caller's address: `clientKey` when given; else the peer's address, unless the peer is a loopback or
   * private address (a reverse proxy in front of the app) — then the last X-Forwarded-For entry, the address
   * that proxy saw. Callers cannot forge that one; they can only prepend entries.
   * @param {CoreRequest} request
   */
  function callerAddress(request) {
    if (clientKey) return String(clientKey(request.web()) || 'unknown')
    const peer = request.remoteAddress
    if (peer && PRIVATE_ADDRESS.test(peer)) {
      const forwarded = request.header('x-forwarded-for')?.split(',').at(-1)?.trim()
      if (forwarded) return forwarded
    }
    return peer ?? 'unknown'
  }

  /**
   * @param {CoreRequest} request
   * @param {'GET' | 'POST'} method
   * @param {() => Promise<CoreResponse>} run
   * @returns {Promise<CoreResponse>}
   */
  async function guard(request, method, run) {
    try {
      if (request.method !== method && !(method === 'GET' && request.method === 'HEAD')) {
        const allow = method === 'GET' ? 'GET, HEAD' : method
        return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${method}` } }, { allow })
      }
      return await run()
    } catch (error) {
      if (error instanceof ClientAbortedError) {
        log({ level: 'info', event: 'client-aborted' })
        return json(400, { error: { code: 'INVALID_REQUEST', message: 'The request body was not received completely' } })
      }
      return errorResponse(error)
    }
  }

  /** @param {CoreRequest} request */
  function agentSignature(request) {
    return guard(request, 'GET', async () => {
      const params = new URLSearchParams(request.query)
      if (params.getAll('url').length !== 1) throw fail('INVALID_REQUEST', 'Pass exactly one url query parameter')
      return json(200, await server.signAgentConfig(/** @type {string} */ (params.get('url'))))
    })
  }

  /** @param {CoreRequest} request */
  function session(request) {
    return guard(request, 'POST', async () => {
      const body = await readJson(request, maxBodyBytes, bodyTimeoutMs)
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.code !== 'string') {
        throw fail('INVALID_REQUEST', 'The body must be { "code": "<wx.qy.login code>" }')
      }
      await limit('session', callerAddress(request))
      const { token, expiresIn, corpId, userId } = await server.exchangeCode(body.code)
      return json(200, { token, expiresIn, corpId, userId })
    })
  }

  /** The H5 twin of `session`: a WeCom OAuth code (web.exchangeOAuthCode) → the same session token. */
  const oauthSession = createOAuthSessionHandler({
    guard,
    readJson: (request) => readJson(request, maxBodyBytes, bodyTimeoutMs),
    limit,
    callerAddress,
    exchange: (code) => server.exchangeOAuthCode(code),
    isOriginAllowed: (origin) => server.isOriginAllowed(origin),
    json,
  })

  /**
   * @param {CoreRequest} request
   * @param {{ corpId: string, userId: string }} [params] when a router already parsed them
   */
  function chainContact(request, params) {
    return guard(request, 'GET', async () => {
      const contact = params ?? contactFrom(request)
      if (!contact) throw fail('INVALID_REQUEST', `Use ${paths.chainContact}/<corpId>/<userId>`)
      let caller
      if (authorizeRequest) {
        // The app's own login (cookie, OAuth) decides, over the Web Request.
        if (!(await authorizeRequest(request.web(), contact))) throw fail('FORBIDDEN', 'Not allowed to read this contact')
        caller = `address:${callerAddress(request)}`
      } else {
        // Members who logged in through the session endpoint (Authorization: Bearer <token>) ...
        const match = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '')
        if (!match) throw fail('SESSION_INVALID', 'Send Authorization: Bearer <session token>')
        const member = server.verifySession(match[1])
        // ... and, unless the app widens it, only members of the app's own (upstream) corp: a downstream
        // member signed in through the shared mini program must not read another corp's directory.
        const target = { corpId: contact.corpId, userId: contact.userId }
        const allowed = authorize ? await authorize(member, target) : member.corpId === upstreamCorpId
        if (!allowed) throw fail('FORBIDDEN', 'Not allowed to read this contact')
        caller = `member:${member.corpId}:${member.userId}`
      }
      await limit('chainContact', caller)
      return json(200, await server.resolveChainContact(contact))
    })
  }

  const mediaUpload = createMediaEndpoint({
    server,
    upstreamCorpId,
    authorizeMedia: options.authorizeMedia,
    limit,
    callerAddress,
    readJson,
    maxBodyBytes,
    bodyTimeoutMs,
    uploadBodyTimeoutMs: options.uploadBodyTimeoutMs,
  })

  /** @param {CoreRequest} request */
  function media(request) {
    return guard(request, 'POST', async () => json(200, await mediaUpload(request)))
  }

  /**
   * corpId and userId from `<chainContact path>/<corpId>/<userId>`, or from the query.
   * @param {CoreRequest} request
   */
  function contactFrom(request) {
    const path = request.path.replace(/\/+$/, '')
    const rest = path.startsWith(paths.chainContact + '/') ? path.slice(paths.chainContact.length + 1) : ''
    const segments = rest.split('/')
    try {
      if (segments.length === 2 && segments[0] && segments[1]) {
        return { corpId: decodeURIComponent(segments[0]), userId: decodeURIComponent(segments[1]) }
      }
    } catch {
      return null
    }
    const query = new URLSearchParams(request.query)
    const corpId = query.get('corpId')
    const userId = query.get('userId')
    return corpId && userId ? { corpId, userId } : null
  }

  /**
   * CORS for pages on an allowed origin that call the endpoints cross-origin. Every answer varies
   * by Origin (JSON_HEADERS), so no cache hands one origin's answer to another.
   * @param {CoreRequest} request
   * @param {CoreResponse} response
   */
  function withCors(request, response) {
    const origin = request.header('origin')
    if (origin && server.isOriginAllowed(origin)) {
      response.headers['access-control-allow-origin'] = origin
      // The page reads a 429's or a 503's Retry-After only when it is exposed.
      if (response.headers['retry-after']) response.headers['access-control-expose-headers'] = 'retry-after'
    }
    return response
  }

  /**
   * Which endpoint serves `path`, or null: no request object, no body touched.
   * @param {string} rawPath
   * @returns {Endpoint | null}
   */
  function match(rawPath) {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.replace(/\/+$/, '') : rawPath
    if (path === paths.agentSignature) return 'agentSignature'
    if (path === paths.session) return 'session'
    if (path === paths.media) return 'media'
    if (path === paths.oauthSession) return 'oauthSession'
    if (path === paths.chainContact || path.startsWith(paths.chainContact + '/')) return 'chainContact'
    return null
  }

  /**
   * @param {CoreRequest} request
   * @param {Endpoint} endpoint
   * @returns {Promise<CoreResponse>}
   */
  async function serve(request, endpoint) {
    if (request.method === 'OPTIONS') {
      const methods = endpoint === 'session' || endpoint === 'oauthSession' || endpoint === 'media' ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS'
      return withCors(request, {
        status: 204,
        headers: {
          allow: methods,
          'access-control-allow-methods': methods,
          'access-control-allow-headers': 'content-type, authorization',
          'access-control-max-age': '600',
          vary: 'Origin',
        },
        body: null,
      })
    }
    const run = { agentSignature, session, oauthSession, media, chainContact }[endpoint]
    return withCors(request, await run(request))
  }

  /** @param {CoreRequest} request */
  const notFound = (request) => withCors(request, json(404, { error: { code: 'NOT_FOUND', message: 'Not found' } }))

  /**
   * One endpoint over Web Request / Response.
   * @param {(request: CoreRequest, extra?: any) => Promise<CoreResponse>} run
   * @returns {(request: Request, extra?: any) => Promise<Response>}
   */
  const web = (run) => async (request, extra) => {
    const core = fromWebRequest(request)
    if (!core) return toWebResponse(json(400, { error: { code: 'INVALID_REQUEST', message: 'Malformed request' } }), request.method)
    return toWebResponse(withCors(core, await run(core, extra)), request.method)
  }

  /**
   * The handler for `request`, or null when its path is none of the three (so a framework can
   * pass it on).
   * @param {Request} request
   */
  function route(request) {
    const core = fromWebRequest(request)
    if (!core) return null
    const endpoint = match(core.path)
    if (!endpoint) return null
    return async () => toWebResponse(await serve(core, endpoint), request.method)
  }

  /**
   * @param {Request} request
   * @param {{ remoteAddress?: string }} [info] the caller's address, for the per-address rate limit
   */
  async function handle(request, info) {
    const core = fromWebRequest(request, info)
    if (!core) return toWebResponse(json(400, { error: { code: 'INVALID_REQUEST', message: 'Malformed request' } }), request.method)
    const endpoint = match(core.path)
    return toWebResponse(endpoint ? await serve(core, endpoint) : notFound(core), request.method)
  }

  return {
    agentSignature: web(agentSignature),
    session: web(session),
    oauthSession: web(oauthSession),
    chainContact: web(chainContact),
    media: web(media),
    route,
    handle,
    server,
    paths,
    [CORE]: { match, serve, notFound, maxBodyBytes, bodyTimeoutMs, log },
  }
}

/**
 * @param {Request} request
 * @param {{ remoteAddress?: string }} [info]
 * @returns {CoreRequest | null}
 */
function fromWebRequest(request, info) {
  let url
  try {
    url = new URL(request.url)
  } catch {
    return null
  }
  return {
    method: request.method,
    path: url.pathname,
    query: url.search,
    header: (name) => request.headers.get(name),
    readBody: (maxBytes, timeoutMs) => readWebBody(request, maxBytes, timeoutMs),
    remoteAddress: info?.remoteAddress,
    web: () => request,
    stream: () => webBodyStream(request),
  }
}

/** @param {CoreResponse} response @param {string} method */
function toWebResponse(response, method) {
  return new Response(method === 'HEAD' ? null : response.body, { status: response.status, headers: response.headers })
}

/** @param {Request} request @param {number} maxBytes @param {number} timeoutMs */
async function readWebBody(request, maxBytes, timeoutMs) {
  if (!request.body) throw fail('INVALID_REQUEST', 'The body is missing')
  const reader = request.body.getReader()
  /** @type {Uint8Array[]} */
  const chunks = []
  let size = 0
  /** @type {NodeJS.Timeout | undefined} */
  let timer
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(fail('REQUEST_TIMEOUT', `The body did not arrive within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    for (;;) {
      let step
      try {
        step = await Promise.race([reader.read(), deadline])
      } catch (error) {
        if (error instanceof ChainToolbarServerError) throw error
        throw new ClientAbortedError('The client went away mid-body', { cause: error })
      }
      if (step.done) break
      size += step.value.byteLength
      if (size > maxBytes) throw fail('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes`)
      chunks.push(step.value)
    }
  } catch (error) {
    reader.cancel().catch(() => {})
    throw error
  } finally {
    clearTimeout(timer)
  }
  return Buffer.concat(chunks)
}

// --- node:http, Express / Connect, Koa -------------------------------------------------------------

/** A body at most this large, left unread by an early answer, is read and dropped to keep the connection. */
const MAX_DRAIN_BYTES = 1024 * 1024

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {number} maxBytes
 * @param {number} timeoutMs
 * @returns {Promise<Buffer>}
 */
function readNodeBody(req, maxBytes, timeoutMs) {
  return new Promise((resolve, reject) => {
    if (req.readableEnded) return resolve(Buffer.alloc(0))
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    const timer = setTimeout(() => done(fail('REQUEST_TIMEOUT', `The body did not arrive within ${timeoutMs} ms`)), timeoutMs)
    const onData = (/** @type {Buffer} */ chunk) => {
      size += chunk.length
      if (size > maxBytes) done(fail('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes`))
      else chunks.push(chunk)
    }
    const onEnd = () => done(null, Buffer.concat(chunks))
    const onGone = () => {
      if (!req.complete) done(new ClientAbortedError('The client went away mid-body'))
    }
    /** @param {Error | null} error @param {Buffer} [body] */
    function done(error, body) {
      clearTimeout(timer)
      req.off('data', onData).off('end', onEnd).off('close', onGone).off('aborted', onGone).off('error', onGone)
      // The stream stays flowing: whatever else arrives is dropped (see finishNode).
      if (error) reject(error)
      else resolve(/** @type {Buffer} */ (body))
    }
    req.on('data', onData).on('end', onEnd).on('close', onGone).on('aborted', onGone).on('error', onGone)
  })
}

/**
 * @param {import('node:http').IncomingMessage & { body?: unknown, _body?: boolean }} req
 * @param {string} path
 * @param {string} query
 * @returns {CoreRequest}
 */
function fromNodeRequest(req, path, query) {
  const headers = req.headers
  // A body parser ran when it says so (body-parser's `_body`) or when the stream is used up.
  const parsed = req.body !== undefined && (req._body === true || req.readableEnded) ? req.body : undefined
  /** @type {Request | undefined} */
  let webRequest
  return {
    method: req.method ?? 'GET',
    path,
    query,
    header: (name) => {
      const value = headers[name]
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
    },
    parsedBody: parsed,
    readBody: (maxBytes, timeoutMs) => readNodeBody(req, maxBytes, timeoutMs),
    remoteAddress: req.socket?.remoteAddress,
    // Only for an app's own authorizeChainContact / clientKey hooks: headers and URL, no body.
    web: () => (webRequest ??= new Request(`http://${headers.host || 'localhost'}${path}${query}`, { headers: webHeaders(headers) })),
    stream: () => req,
  }
}

/** @param {import('node:http').IncomingHttpHeaders} headers */
function webHeaders(headers) {
  const out = new Headers()
  for (const [key, value] of Object.entries(headers)) {
    if (key.startsWith(':')) continue
    if (Array.isArray(value)) for (const v of value) out.append(key, v)
    else if (value !== undefined) out.set(key, value)
  }
  return out
}

/**
 * Writes the answer. A request body the answer left unread (an early 413/415/405/404) is drained
 * when small, so the keep-alive connection carries the next request; a larger one, a chunked one or
 * one that stalled closes the connection instead of leaving it stuck.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {CoreResponse} response
 * @param {number} drainTimeoutMs
 */
function sendNode(req, res, response, drainTimeoutMs) {
  if (res.headersSent || res.destroyed) return
  const body = response.body
  const headers = response.headers // a fresh object per answer
  let closeAfter = false
  if (!req.complete) {
    const declared = Number(req.headers['content-length'])
    const drainable = Number.isFinite(declared) && declared <= MAX_DRAIN_BYTES && response.status !== 408
    if (drainable) {
      const timer = setTimeout(() => req.socket?.destroy(), drainTimeoutMs)
      timer.unref?.()
      const stop = () => clearTimeout(timer)
      req.once('end', stop).once('close', stop)
      res.once('finish', () => req.resume())
    } else {
      headers.connection = 'close'
      closeAfter = true
    }
  }
  if (body !== null) headers['content-length'] = String(Buffer.byteLength(body))
  res.writeHead(response.status, headers)
  if (body === null) res.end()
  else res.end(body)
  if (closeAfter) res.once('finish', () => req.socket?.destroySoon?.())
}

/**
 * @param {HandlersWithCore} handlers
 */
function nodeHandlerFor(handlers) {
  const core = handlers[CORE]
  /** @param {string | undefined} url */
  const split = (url = '/') => {
    const q = url.indexOf('?')
    return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q)]
  }
  /** @param {import('node:http').IncomingMessage} req */
  function serves(req) {
    return core.match(split(req.url)[0]) !== null
  }
  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {(error?: unknown) => void} [next]
   */
  function handler(req, res, next) {
    const [path, query] = split(req.url)
    const endpoint = core.match(path)
    if (!endpoint && typeof next === 'function') return next() // untouched: no listener, no stream, no parse
    const request = fromNodeRequest(req, path, query)
    const answer = endpoint ? core.serve(request, endpoint) : Promise.resolve(core.notFound(request))
    answer
      .then((response) => {
        if (!req.complete && (req.destroyed || res.destroyed || req.socket?.destroyed)) return // the client went away
        sendNode(req, res, response, core.bodyTimeoutMs)
      })
      .catch((/** @type {unknown} */ error) => {
        core.log({ level: 'error', event: 'handler-error', code: 'INTERNAL', error })
        res.destroy()
      })
  }
  return { handler, serves }
}

/**
 * Turns Web handlers into a `node:http` request listener, which also works as Express / Connect
 * middleware: with a `next` argument, requests for other paths go on to `next()` untouched (their
 * body is neither read nor attached to).
 * @param {import('./index').ChainToolbarHandlers | ((request: Request) => Promise<Response>)} target
 * @returns {import('./index').NodeHandler}
 */
export function toNodeHandler(target) {
  const withCore = /** @type {Partial<HandlersWithCore>} */ (target)
  if (target && typeof target === 'object' && withCore[CORE]) return nodeHandlerFor(/** @type {HandlersWithCore} */ (target)).handler
  const handle = typeof target === 'function' ? target : target.handle
  // Any other Web handler: bridged through Request / Response.
  return function chainToolbarNodeHandler(req, res) {
    let request
    try {
      request = bridgeToWebRequest(req)
    } catch {
      return sendNode(req, res, json(400, { error: { code: 'INVALID_REQUEST', message: 'Malformed request' } }), 10_000)
    }
    Promise.resolve()
      .then(() => handle(request))
      .then(async (response) => {
        const body = response.body ? await response.text() : null
        /** @type {Record<string, string>} */
        const headers = {}
        response.headers.forEach((value, key) => (headers[key] = value))
        sendNode(req, res, { status: response.status, headers, body }, 10_000)
      })
      .catch(() => res.destroy())
  }
}

/**
 * Koa middleware: the companion's paths are answered (Koa's own response handling is skipped for
 * them), every other request goes to `next()` untouched. A body parsed by koa-bodyparser is used.
 * @param {import('./index').ChainToolbarHandlers} handlers
 */
export function toKoaMiddleware(handlers) {
  const withCore = /** @type {Partial<HandlersWithCore>} */ (handlers)
  if (!handlers || !withCore[CORE]) throw new TypeError('toKoaMiddleware: pass the object createChainToolbarHandlers returned')
  const { handler, serves } = nodeHandlerFor(/** @type {HandlersWithCore} */ (handlers))
  /**
   * @param {any} ctx Koa's context
   * @param {() => Promise<unknown>} next
   */
  return function chainToolbarKoaMiddleware(ctx, next) {
    if (!serves(ctx.req)) return next()
    if (ctx.request.body !== undefined && ctx.req.body === undefined) Object.assign(ctx.req, { body: ctx.request.body, _body: true })
    ctx.respond = false
    return new Promise((resolve) => {
      ctx.res.once('finish', resolve).once('close', resolve)
      handler(ctx.req, ctx.res)
    })
  }
}

/** @param {import('node:http').IncomingMessage & { body?: unknown }} req */
function bridgeToWebRequest(req) {
  const url = new URL(`http://localhost${req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`}`)
  const headers = webHeaders(req.headers)
  const method = req.method ?? 'GET'
  /** @type {RequestInit & { duplex?: 'half' }} */
  const init = { method, headers }
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.body !== undefined) {
      init.body = typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body)
      headers.delete('content-length')
    } else {
      init.body = /** @type {any} */ (Readable.toWeb(req))
      init.duplex = 'half'
    }
  }
  return new Request(url, init)
}
