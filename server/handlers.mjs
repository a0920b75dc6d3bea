import { Readable } from 'node:stream'
import { ChainToolbarServerError } from './errors.mjs'
import { createChainToolbarServer, quietLogger } from './server.mjs'

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
}

/** @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
function json(status, body, headers) {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } })
}

const fail = (code, message) => new ChainToolbarServerError(code, message)

/**
 * Reads a JSON body of at most `maxBytes`, without trusting Content-Length.
 * @param {Request} request
 * @param {number} maxBytes
 */
async function readJson(request, maxBytes) {
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
    throw fail('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json')
  }
  if (Number(request.headers.get('content-length')) > maxBytes) throw fail('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes`)
  if (!request.body) throw fail('INVALID_REQUEST', 'The body is missing')
  const reader = request.body.getReader()
  const chunks = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw fail('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw fail('INVALID_REQUEST', 'The body is not valid JSON')
  }
}

/** @param {string} path */
function normalisePath(path) {
  const trimmed = `/${String(path).replace(/^\/+|\/+$/g, '')}`
  return trimmed === '/' ? '' : trimmed
}

/**
 * Framework-neutral HTTP handlers (Web `Request` → `Response`) for the three endpoints the kit's
 * `createChainToolbar` options call:
 *   GET  /wecom/agent-signature?url=…   → { timestamp, nonceStr, signature }   (web.getSignature)
 *   POST /wecom/session  { code }        → { token, expiresIn, corpId, userId } (miniProgram.exchangeCode)
 *   GET  /chain/:corpId/:userId          → { corpId, userId, name, corpName, department, position } (resolveContact)
 * Errors are `{ error: { code, message } }` with the matching HTTP status; nothing else leaks.
 * @param {import('./index').ChainToolbarHandlersOptions} [options]
 * @returns {import('./index').ChainToolbarHandlers}
 */
export function createChainToolbarHandlers(options = {}) {
  const server = options.server ?? createChainToolbarServer(options)
  const base = normalisePath(options.basePath ?? '')
  const paths = {
    agentSignature: base + normalisePath(options.paths?.agentSignature ?? '/wecom/agent-signature'),
    session: base + normalisePath(options.paths?.session ?? '/wecom/session'),
    chainContact: base + normalisePath(options.paths?.chainContact ?? '/chain'),
  }
  const maxBodyBytes = options.maxBodyBytes ?? 4096
  const authorize = options.authorizeChainContact
  const log = quietLogger(options.log)

  /** @param {unknown} error */
  function errorResponse(error) {
    if (error instanceof ChainToolbarServerError) {
      if (error.status >= 500) log({ level: 'error', event: 'handler-error', code: error.code, api: error.api, errcode: error.errcode })
      return json(error.status, { error: { code: error.code, message: error.message } })
    }
    // A bug or an unexpected failure: the client learns nothing about it; the app's logger may.
    log({ level: 'error', event: 'handler-error', code: 'INTERNAL', error })
    return json(500, { error: { code: 'INTERNAL', message: 'Internal server error' } })
  }

  /**
   * @param {Request} request
   * @param {string} method
   * @param {() => Promise<Response>} run
   */
  async function guard(request, method, run) {
    try {
      if (request.method !== method) {
        return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${method}` } }, { allow: method })
      }
      return await run()
    } catch (error) {
      return errorResponse(error)
    }
  }

  /** @param {Request} request */
  function agentSignature(request) {
    return guard(request, 'GET', async () => {
      const params = new URL(request.url).searchParams
      if (params.getAll('url').length !== 1) throw fail('INVALID_REQUEST', 'Pass exactly one url query parameter')
      return json(200, await server.signAgentConfig(params.get('url')))
    })
  }

  /** @param {Request} request */
  function session(request) {
    return guard(request, 'POST', async () => {
      const body = await readJson(request, maxBodyBytes)
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.code !== 'string') {
        throw fail('INVALID_REQUEST', 'The body must be { "code": "<wx.qy.login code>" }')
      }
      const { token, expiresIn, corpId, userId } = await server.exchangeCode(body.code)
      return json(200, { token, expiresIn, corpId, userId })
    })
  }

  /**
   * @param {Request} request
   * @param {{ corpId: string, userId: string }} [params] when a router already parsed them
   */
  function chainContact(request, params) {
    return guard(request, 'GET', async () => {
      const contact = params ?? contactFromUrl(new URL(request.url))
      if (!contact) throw fail('INVALID_REQUEST', `Use ${paths.chainContact}/<corpId>/<userId>`)
      if (authorize) {
        if (!(await authorize(request, contact))) throw fail('FORBIDDEN', 'Not allowed to read this contact')
      } else {
        // Default: only members who logged in through the session endpoint (Authorization: Bearer <token>).
        const header = request.headers.get('authorization') ?? ''
        const match = /^Bearer\s+(\S+)$/i.exec(header)
        if (!match) throw fail('SESSION_INVALID', 'Send Authorization: Bearer <session token>')
        server.verifySession(match[1])
      }
      return json(200, await server.resolveChainContact(contact))
    })
  }

  /** corpId and userId from `<chainContact path>/<corpId>/<userId>`, or from the query. */
  function contactFromUrl(url) {
    const rest = url.pathname.startsWith(paths.chainContact + '/') ? url.pathname.slice(paths.chainContact.length + 1) : ''
    const segments = rest.split('/')
    try {
      if (segments.length === 2 && segments[0] && segments[1]) {
        return { corpId: decodeURIComponent(segments[0]), userId: decodeURIComponent(segments[1]) }
      }
    } catch {
      return null
    }
    const corpId = url.searchParams.get('corpId')
    const userId = url.searchParams.get('userId')
    return corpId && userId ? { corpId, userId } : null
  }

  /** CORS for pages on an allowed origin that call the endpoints cross-origin. */
  function withCors(request, response) {
    const origin = request.headers.get('origin')
    if (!origin || !server.isOriginAllowed(origin)) return response
    const headers = new Headers(response.headers)
    headers.set('access-control-allow-origin', origin)
    headers.append('vary', 'Origin')
    return new Response(response.body, { status: response.status, headers })
  }

  /**
   * The handler for `request`, or null when its path is none of the three (so a framework can
   * pass it on).
   * @param {Request} request
   * @returns {(() => Promise<Response>) | null}
   */
  function route(request) {
    let url
    try {
      url = new URL(request.url)
    } catch {
      return null
    }
    const path = url.pathname.replace(/\/+$/, '')
    const endpoint =
      path === paths.agentSignature ? 'agentSignature'
      : path === paths.session ? 'session'
      : path === paths.chainContact || path.startsWith(paths.chainContact + '/') ? 'chainContact'
      : null
    if (!endpoint) return null
    if (request.method === 'OPTIONS') {
      return async () => withCors(request, new Response(null, {
        status: 204,
        headers: {
          allow: `${endpoint === 'session' ? 'POST' : 'GET'}, OPTIONS`,
          'access-control-allow-methods': `${endpoint === 'session' ? 'POST' : 'GET'}, OPTIONS`,
          'access-control-allow-headers': 'content-type, authorization',
          'access-control-max-age': '600',
        },
      }))
    }
    const handler = endpoint === 'agentSignature' ? agentSignature : endpoint === 'session' ? session : chainContact
    return async () => withCors(request, await handler(request))
  }

  /** @param {Request} request */
  async function handle(request) {
    const run = route(request)
    return run ? run() : json(404, { error: { code: 'NOT_FOUND', message: 'Not found' } })
  }

  return { agentSignature, session, chainContact, route, handle, server, paths }
}

/**
 * Turns Web handlers into a `node:http` request listener, which also works as Express / Connect
 * middleware: with a `next` argument, requests for other paths go on to `next()`.
 * @param {import('./index').ChainToolbarHandlers | ((request: Request) => Promise<Response>)} target
 * @returns {import('./index').NodeHandler}
 */
export function toNodeHandler(target) {
  const handle = typeof target === 'function' ? target : target.handle
  const route = typeof target === 'function' ? undefined : target.route
  return function chainToolbarNodeHandler(req, res, next) {
    let request
    try {
      request = toWebRequest(req)
    } catch {
      return send(res, json(400, { error: { code: 'INVALID_REQUEST', message: 'Malformed request' } }))
    }
    let run = route ? route(request) : () => handle(request)
    if (!run) {
      if (typeof next === 'function') return next()
      run = () => handle(request)
    }
    Promise.resolve()
      .then(run)
      .catch(() => json(500, { error: { code: 'INTERNAL', message: 'Internal server error' } }))
      .then((response) => send(res, response))
      .catch(() => res.destroy())
  }
}

/** @param {import('node:http').IncomingMessage & { body?: unknown }} req */
function toWebRequest(req) {
  const url = new URL(`http://localhost${req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`}`)
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else if (value !== undefined) headers.set(key, value)
  }
  const method = req.method ?? 'GET'
  /** @type {RequestInit & { duplex?: 'half' }} */
  const init = { method, headers }
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.body !== undefined) {
      // A body parser (express.json()) already read the stream: use what it parsed.
      init.body = typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body)
      headers.delete('content-length')
    } else {
      init.body = /** @type {any} */ (Readable.toWeb(req))
      init.duplex = 'half'
    }
  }
  return new Request(url, init)
}

/** @param {import('node:http').ServerResponse} res @param {Response} response */
async function send(res, response) {
  const body = Buffer.from(await response.arrayBuffer())
  res.statusCode = response.status
  response.headers.forEach((value, key) => res.setHeader(key, value))
  res.setHeader('content-length', body.length)
  res.end(body)
}
