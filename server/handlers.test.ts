import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { computeJsSdkSignature, createChainToolbarHandlers, toNodeHandler } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'

// The handlers over real HTTP: a node:http server with toNodeHandler, called with fetch.
const SESSION_SECRET = 'handler-test-session-secret-32-bytes!!'
const ORIGIN = 'https://app.example.com'
const PAGE = `${ORIGIN}/pages/index/index?entry=chain`

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
let http: Server
let base: string
let handlers: ReturnType<typeof createChainToolbarHandlers>
const logged: any[] = []

function listen(server: Server) {
  return new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  )
}

beforeAll(async () => {
  fake = await createFakeWeComApi()
  handlers = createChainToolbarHandlers({
    ...fake.companion,
    allowedOrigins: [ORIGIN],
    sessionSecret: SESSION_SECRET,
    timeoutMs: 400,
    basePath: '/api',
    log: (entry) => logged.push(entry),
  })
  http = createServer(toNodeHandler(handlers))
  base = await listen(http)
})
afterAll(async () => {
  http.closeAllConnections()
  await new Promise((r) => http.close(r))
  await fake.close()
})
beforeEach(() => {
  fake.calls.length = 0
})

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(base + path, init)
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null }
}
const signature = (url: string, init?: RequestInit) => call(`/api/wecom/agent-signature?url=${encodeURIComponent(url)}`, init)
const session = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  call('/api/wecom/session', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
let codes = 0
async function login() {
  const code = `code-${++codes}`
  fake.addCode(code, 'alice')
  const { body } = await session({ code })
  return body.token as string
}
const contact = (corpId: string, userId: string, token?: string) =>
  call(
    `/api/chain/${encodeURIComponent(corpId)}/${encodeURIComponent(userId)}`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  )

/** Every error answer: JSON { error: { code, message } }, nothing else (no stack, no raw WeCom answer). */
function expectError(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
  expect(res.body).toEqual({ error: { code, message: expect.any(String) } })
  expect(res.text).not.toMatch(/\bat \S+ \(|errmsg|access_token|node:/)
}

describe('GET /wecom/agent-signature?url=', () => {
  it("200 with the SDK's { timestamp, nonceStr, signature } for an allowed page, not cacheable", async () => {
    const res = await signature(`${PAGE}#/pages/detail`)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['nonceStr', 'signature', 'timestamp'])
    expect(res.body.signature).toBe(
      computeJsSdkSignature({ ticket: fake.state.ticket, nonceStr: res.body.nonceStr, timestamp: res.body.timestamp, url: PAGE }),
    )
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('403 ORIGIN_NOT_ALLOWED for another origin; 400 for a missing, repeated or malformed url; 405 for POST', async () => {
    expectError(await signature('https://evil.example.net/'), 403, 'ORIGIN_NOT_ALLOWED')
    expectError(await call('/api/wecom/agent-signature'), 400, 'INVALID_REQUEST')
    expectError(
      await call(`/api/wecom/agent-signature?url=${encodeURIComponent(PAGE)}&url=${encodeURIComponent(PAGE)}`),
      400,
      'INVALID_REQUEST',
    )
    expectError(await signature('not a url'), 400, 'INVALID_REQUEST')
    expectError(await signature(`${ORIGIN}/${'x'.repeat(5000)}`), 400, 'INVALID_REQUEST')
    const post = await call(`/api/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`, { method: 'POST' })
    expectError(post, 405, 'METHOD_NOT_ALLOWED')
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect(fake.calls).toHaveLength(0)
  })

  it('429 RATE_LIMITED when WeCom says 45009; 504 UPSTREAM_TIMEOUT when it does not answer', async () => {
    const other = createChainToolbarHandlers({
      env: {},
      corpId: fake.corpId,
      secret: fake.secret,
      apiBaseUrl: fake.url,
      allowedOrigins: [ORIGIN],
      timeoutMs: 300,
    })
    fake.fail('gettoken', 45009)
    const limited = await other.handle(new Request(`http://x/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`))
    expect([limited.status, await limited.json()]).toEqual([
      429,
      { error: { code: 'RATE_LIMITED', message: expect.stringContaining('45009') } },
    ])
    fake.hang('gettoken')
    const slow = await other.handle(new Request(`http://x/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`))
    expect([slow.status, (await slow.json()).error.code]).toEqual([504, 'UPSTREAM_TIMEOUT'])
  })
})

describe('POST /wecom/session { code }', () => {
  it('200 with { token, expiresIn, corpId, userId } and no session_key', async () => {
    fake.addCode('code-ok', 'alice', 'the-session-key')
    const res = await session({ code: 'code-ok' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ token: expect.stringMatching(/^v1\./), expiresIn: 7200, corpId: fake.corpId, userId: 'alice' })
    expect(res.text).not.toContain('the-session-key')
    expect(await handlers.server.getSessionKey(res.body.token)).toBe('the-session-key')
  })

  it('400 INVALID_CODE for a bad code (40029)', async () => {
    expectError(await session({ code: 'expired-code' }), 400, 'INVALID_CODE')
  })

  it('validates the body: type, size, JSON, shape', async () => {
    expectError(await session({ code: 'x' }, { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expectError(await session({ code: 'x', pad: 'p'.repeat(5000) }), 413, 'PAYLOAD_TOO_LARGE')
    expectError(await session('{"code": '), 400, 'INVALID_REQUEST')
    expectError(await session({ code: 42 }), 400, 'INVALID_REQUEST')
    expectError(await session(['code']), 400, 'INVALID_REQUEST')
    expectError(await session({ code: 'two words' }), 400, 'INVALID_REQUEST')
    expectError(await call('/api/wecom/session'), 405, 'METHOD_NOT_ALLOWED')
    expect(fake.calls).toHaveLength(0)
  })

  it('413 for an oversized body even when it is streamed without Content-Length', async () => {
    const chunks = ['{"code":"', 'x'.repeat(3000), 'y'.repeat(3000), '"}']
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift()
        if (next === undefined) controller.close()
        else controller.enqueue(new TextEncoder().encode(next))
      },
    })
    const res = await fetch(`${base}/api/wecom/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect([res.status, (await res.json()).error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
  })
})

describe('GET /chain/:corpId/:userId', () => {
  it('200 with the profile for a signed-in member', async () => {
    const token = await login()
    const res = await contact('wwdownstream0001', 'bob', token)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      corpId: 'wwdownstream0001',
      userId: 'bob',
      name: '王小明',
      corpName: '下游经销商',
      department: [1, 3],
      position: '采购经理',
    })
  })

  it('401 SESSION_INVALID without, or with a tampered, session token — before any WeCom call', async () => {
    expectError(await contact('wwdownstream0001', 'bob'), 401, 'SESSION_INVALID')
    const token = await login()
    fake.calls.length = 0
    expectError(await contact('wwdownstream0001', 'bob', `${token.slice(0, -3)}abc`), 401, 'SESSION_INVALID')
    expectError(await contact('wwdownstream0001', 'bob', 'not-a-token'), 401, 'SESSION_INVALID')
    expect(fake.calls).toHaveLength(0)
  })

  it('403 CONTACT_NOT_VISIBLE outside the visible range, 404 CONTACT_NOT_FOUND, 400 for bad ids', async () => {
    const token = await login()
    expectError(await contact('wwdownstream0001', 'hidden', token), 403, 'CONTACT_NOT_VISIBLE')
    expectError(await contact('wwnotshared', 'bob', token), 403, 'CONTACT_NOT_VISIBLE')
    expectError(await contact('wwdownstream0001', 'nobody', token), 404, 'CONTACT_NOT_FOUND')
    expectError(await contact('wwdownstream0001', 'with space', token), 400, 'INVALID_REQUEST')
    expectError(await call('/api/chain/wwdownstream0001', { headers: { authorization: `Bearer ${token}` } }), 400, 'INVALID_REQUEST')
  })

  it("takes the contact from the query or from a router's params too, and an app's own authorization", async () => {
    const allowAll = createChainToolbarHandlers({
      server: handlers.server,
      authorizeChainContact: (request) => request.headers.get('x-app-user') === 'ok',
    })
    const byQuery = await allowAll.handle(
      new Request('http://x/chain?corpId=wwdownstream0001&userId=bob', { headers: { 'x-app-user': 'ok' } }),
    )
    expect([byQuery.status, (await byQuery.json()).name]).toEqual([200, '王小明'])
    const byParams = await allowAll.chainContact(new Request('http://x/anything', { headers: { 'x-app-user': 'ok' } }), {
      corpId: 'wwdownstream0001',
      userId: 'bob',
    })
    expect(byParams.status).toBe(200)
    const refused = await allowAll.handle(new Request('http://x/chain/wwdownstream0001/bob'))
    expect([refused.status, (await refused.json()).error.code]).toEqual([403, 'FORBIDDEN'])
  })
})

describe('routing, CORS, adapters', () => {
  it('404 NOT_FOUND for other paths (and for the routes without the base path)', async () => {
    expectError(await call('/api/other'), 404, 'NOT_FOUND')
    expectError(await call(`/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`), 404, 'NOT_FOUND')
  })

  it('CORS for allowed origins only, with preflight', async () => {
    const preflight = await fetch(`${base}/api/wecom/session`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS')
    const allowed = await signature(PAGE, { headers: { origin: ORIGIN } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const other = await signature(PAGE, { headers: { origin: 'https://evil.example.net' } })
    expect(other.status).toBe(200) // the page URL decides what is signed; the browser enforces CORS
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })

  it("as Express/Connect middleware: other paths go to next(); a body parser's req.body is used", async () => {
    const node = toNodeHandler(handlers)
    let nexted = 0
    const app = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        // what express.json() leaves behind: a consumed stream and req.body
        if (req.headers['content-type'] === 'application/json') Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) })
        node(req, res, () => {
          nexted++
          res.end('next')
        })
      })
    })
    const url = await listen(app)
    try {
      expect(await (await fetch(`${url}/elsewhere`)).text()).toBe('next')
      fake.addCode('code-express', 'carol')
      const res = await fetch(`${url}/api/wecom/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'code-express' }),
      })
      expect([res.status, (await res.json()).userId]).toEqual([200, 'carol'])
      expect(nexted).toBe(1)
    } finally {
      app.closeAllConnections()
      await new Promise((r) => app.close(r))
    }
  })

  it('an unexpected failure is a 500 INTERNAL with no detail, reported only to the log hook', async () => {
    const log: any[] = []
    const broken = createChainToolbarHandlers({
      log: (e) => log.push(e),
      server: {
        ...handlers.server,
        signAgentConfig: async () => {
          throw new TypeError('secret-internal-detail')
        },
      },
    })
    const res = await broken.handle(new Request(`http://x/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`))
    const text = await res.text()
    expect([res.status, JSON.parse(text)]).toEqual([500, { error: { code: 'INTERNAL', message: 'Internal server error' } }])
    expect(text).not.toContain('secret-internal-detail')
    expect(log).toEqual([expect.objectContaining({ level: 'error', event: 'handler-error', code: 'INTERNAL' })])
  })

  it('the log hook saw no secret, token or session key', () => {
    const text = JSON.stringify(logged)
    for (const s of [fake.secret, SESSION_SECRET, 'app-token-', 'the-session-key', fake.state.ticket]) expect(text).not.toContain(s)
  })
})
