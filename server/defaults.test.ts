import express from 'express'
import Koa from 'koa'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createChainToolbarHandlers, createChainToolbarServer, toKoaMiddleware, toNodeHandler } from './index.mjs'
import { createFakeWeComApi, FAKE_FAULTS } from './testing/fake-wecom.mjs'

// What the companion does when nobody configured it beyond the required: it refuses to start without
// allowedOrigins, logs its failures, and answers a page on an allowed origin so the page can read why.
const SESSION_SECRET = 'defaults-test-session-secret-32-bytes!'
const ORIGIN = 'https://app.example.com'
const PAGE = `${ORIGIN}/pages/index/index`
const SECRET = 'defaults-app-secret-never-printed-0123'
const WRONG_SECRET = 'a-wrong-secret-never-printed-either'

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
const servers: Server[] = []

async function listen(server: Server) {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function options(extra: Record<string, unknown> = {}) {
  return { ...fake.companion, allowedOrigins: [ORIGIN], sessionSecret: SESSION_SECRET, log: false, ...extra }
}

beforeAll(async () => {
  fake = await createFakeWeComApi({ secret: SECRET })
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await fake.close()
})
beforeEach(() => {
  fake.heal()
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('allowedOrigins is required', () => {
  it('a server with no allowedOrigins (option or CHAIN_TOOLBAR_ALLOWED_ORIGINS) does not start, and says which option', () => {
    const bare = { env: {}, corpId: 'ww1', secret: 's' }
    expect(() => createChainToolbarServer(bare)).toThrow(/allowedOrigins.*CHAIN_TOOLBAR_ALLOWED_ORIGINS/)
    expect(() => createChainToolbarHandlers({ ...bare, sessionSecret: SESSION_SECRET })).toThrow(/allowedOrigins/)
    // An empty variable is a deployment that forgot to set it, not a list.
    expect(() => createChainToolbarServer({ ...bare, env: { CHAIN_TOOLBAR_ALLOWED_ORIGINS: ' ' } })).toThrow(/allowedOrigins/)
  })

  it('starts with origins from the option or the variable; [] says on purpose "sign no page" (a mini program only)', async () => {
    expect(createChainToolbarServer({ env: { CHAIN_TOOLBAR_ALLOWED_ORIGINS: ORIGIN }, corpId: 'ww1', secret: 's' }).isOriginAllowed(ORIGIN)).toBe(true)
    const miniProgramOnly = createChainToolbarServer({ ...fake.companion, allowedOrigins: [], log: false })
    await expect(miniProgramOnly.signAgentConfig(PAGE)).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' })
  })
})

/** Every error answer a page on the allowed origin can get from the companion, and how to provoke it. */
const errorCases: [string, (base: string) => Promise<Response>, number, string][] = [
  ['no session token', (b) => fetch(`${b}/chain/wwdownstream0001/bob`, { headers: { origin: ORIGIN } }), 401, 'SESSION_INVALID'],
  ['a page URL on another origin', (b) => sign(b, 'https://evil.example.net/x'), 403, 'ORIGIN_NOT_ALLOWED'],
  ['a missing url', (b) => fetch(`${b}/wecom/agent-signature`, { headers: { origin: ORIGIN } }), 400, 'INVALID_REQUEST'],
  ['a wrong method', (b) => fetch(`${b}/wecom/session`, { headers: { origin: ORIGIN } }), 405, 'METHOD_NOT_ALLOWED'],
  ['a bad login code', (b) => post(b, '/wecom/session', { code: 'no-such-code' }), 400, 'INVALID_CODE'],
  // The same endpoints under /wrong are served by a companion configured with a wrong secret.
  ['a wrong secret', (b) => sign(`${b}/wrong`, PAGE), 500, 'CONFIG_ERROR'],
]
const sign = (base: string, url: string) =>
  fetch(`${base}/wecom/agent-signature?url=${encodeURIComponent(url)}`, { headers: { origin: ORIGIN } })
const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) })

const wrongSecret = () => createChainToolbarHandlers(options({ secret: WRONG_SECRET, basePath: '/wrong' }))

describe.each([
  [
    'Express',
    () => {
      const app = express()
      app.use(toNodeHandler(createChainToolbarHandlers(options())))
      app.use(toNodeHandler(wrongSecret()))
      app.use((_req, res) => void res.status(404).send('app 404'))
      return listen(createServer(app))
    },
  ],
  [
    'Koa',
    () => {
      const app = new Koa()
      app.use(toKoaMiddleware(createChainToolbarHandlers(options())))
      app.use(toKoaMiddleware(wrongSecret()))
      return listen(createServer(app.callback()))
    },
  ],
  [
    'node:http',
    () => {
      const right = toNodeHandler(createChainToolbarHandlers(options()))
      const wrong = toNodeHandler(wrongSecret())
      return listen(createServer((req, res) => right(req, res, () => wrong(req, res))))
    },
  ],
])('error answers to a page on an allowed origin, mounted in %s', (_name, start) => {
  let base: string
  beforeAll(async () => {
    base = await start()
  })

  it('the preflight a browser sends first is allowed for every endpoint', async () => {
    for (const [path, method, headers] of [
      ['/wecom/agent-signature', 'GET', 'content-type'],
      ['/wecom/session', 'POST', 'content-type'],
      ['/chain/wwdownstream0001/bob', 'GET', 'authorization'],
    ]) {
      const preflight = await fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': headers },
      })
      expect(preflight.ok, path).toBe(true)
      expect(preflight.headers.get('access-control-allow-origin'), path).toBe(ORIGIN)
      expect(preflight.headers.get('access-control-allow-methods'), path).toContain(method)
      expect(preflight.headers.get('access-control-allow-headers'), path).toContain(headers)
    }
  })

  it.each(errorCases)('%s: the page can read the status and error.code', async (_what, provoke, status, code) => {
    const res = await provoke(base)
    expect(res.status).toBe(status)
    // What a browser requires before it lets the page read the answer:
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/)
    expect((await res.json()).error.code).toBe(code)
  })

  it('a wrong secret reaches the page as CONFIG_ERROR naming the secret, with no secret and no server IP in it', async () => {
    const res = await sign(`${base}/wrong`, PAGE)
    const body = await res.json()
    expect(body.error.code).toBe('CONFIG_ERROR')
    expect(body.error.message).toMatch(/^WeCom rejected the app secret/)
    expect(body.error.message).toContain('40001')
    expect(JSON.stringify(body)).not.toContain(WRONG_SECRET)
    expect(JSON.stringify(body)).not.toContain('127.0.0.1')
  })
})

function start2() {
  return listen(createServer(toNodeHandler(createChainToolbarHandlers(options({ rateLimits: { session: { limit: 2 } } })))))
}

describe('what else a page on an allowed origin must be able to read', () => {
  it('Retry-After on a 429 is readable by the page', async () => {
    const limited = await start2()
    let last: Response | undefined
    for (let i = 0; i < 3; i++) last = await post(limited, '/wecom/session', { code: `nope-${i}` })
    expect(last!.status).toBe(429)
    expect(last!.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(last!.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after')
  })

  it("60020 reaches the page as CONFIG_ERROR naming the trusted IPs, but not the server's IP", async () => {
    const base = await listen(createServer(toNodeHandler(createChainToolbarHandlers(options()))))
    fake.inject('untrusted-ip')
    const res = await sign(base, PAGE)
    const body = await res.json()
    expect([res.status, body.error.code]).toEqual([500, 'CONFIG_ERROR'])
    expect(body.error.message).toMatch(/^WeCom refused this server's IP: add it to the app's trusted IPs/)
    expect(body.error.message).not.toContain('127.0.0.1')
  })

  it('chain contacts of an app shared with no downstream corp: 403 CONTACT_NOT_VISIBLE; forbidden the chain APIs: CONFIG_ERROR', async () => {
    const handlers = createChainToolbarHandlers(options({ authorizeChainContact: () => true }))
    const base = await listen(createServer(toNodeHandler(handlers)))
    const contact = () => fetch(`${base}/chain/wwdownstream0001/bob`, { headers: { origin: ORIGIN } })
    fake.inject('api-forbidden')
    const forbidden = await contact()
    expect([forbidden.status, (await forbidden.json()).error.message]).toEqual([500, expect.stringMatching(/^WeCom forbids this app the API/)])
    fake.heal()
    fake.inject('not-shared')
    const notShared = await contact()
    expect([notShared.status, (await notShared.json()).error.code]).toEqual([403, 'CONTACT_NOT_VISIBLE'])
  })

  it('404 NOT_FOUND carries CORS for an allowed origin, so a page with a mistyped path reads NOT_FOUND', async () => {
    const base = await listen(createServer(toNodeHandler(createChainToolbarHandlers(options()))))
    const res = await fetch(`${base}/wecom/agent-signatur?url=x`, { headers: { origin: ORIGIN } })
    expect(res.status).toBe(404)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const handlers = createChainToolbarHandlers(options())
    const web = await handlers.handle(new Request('http://x/nope', { headers: { origin: ORIGIN } }))
    expect([web.status, web.headers.get('access-control-allow-origin')]).toEqual([404, ORIGIN])
    const foreign = await handlers.handle(new Request('http://x/nope', { headers: { origin: 'https://evil.example.net' } }))
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('failures are logged by default', () => {
  async function wrongSecretRequest(extra: Record<string, unknown>) {
    const base = await listen(createServer(toNodeHandler(createChainToolbarHandlers({ ...options(), log: undefined, ...extra }))))
    fake.inject('invalid-credential')
    return sign(base, PAGE)
  }
  const spyConsole = () => {
    const lines: string[] = []
    for (const method of ['error', 'warn', 'info', 'log', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')))
    }
    return lines
  }

  it('one line per failed request, naming what failed and WeCom\'s errcode, never a secret or a token', async () => {
    const lines = spyConsole()
    const res = await wrongSecretRequest({})
    expect(res.status).toBe(500)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\[uni-chain-toolbar\] error .*CONFIG_ERROR.*gettoken.*40001/)
    expect(lines[0]).not.toContain(SECRET)
    expect(lines[0]).not.toMatch(/access_token|app-token/)
  })

  it("60020: the line names the IP WeCom saw, so the admin knows what to add to the app's trusted IPs", async () => {
    const lines = spyConsole()
    const base = await listen(createServer(toNodeHandler(createChainToolbarHandlers({ ...options(), log: undefined }))))
    fake.inject('untrusted-ip')
    expect((await sign(base, PAGE)).status).toBe(500)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/CONFIG_ERROR.*ticket\/get.*60020.*from ip: 127\.0\.0\.1/)
  })

  it('a page refused for its origin is logged too (the browser shows the page only a CORS error)', async () => {
    const lines = spyConsole()
    const base = await listen(createServer(toNodeHandler(createChainToolbarHandlers({ ...options(), log: undefined }))))
    await fetch(`${base}/wecom/agent-signature?url=${encodeURIComponent('https://shop.example.com/p')}`, {
      headers: { origin: 'https://shop.example.com' },
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\[uni-chain-toolbar\] warn .*ORIGIN_NOT_ALLOWED.*https:\/\/shop\.example\.com.*allowedOrigins/)
  })

  it('under every fault the fake answers, and a WeCom that hangs, no line holds a secret, token, login code or session key', async () => {
    const lines = spyConsole()
    const handlers = createChainToolbarHandlers({ ...options(), log: undefined, timeoutMs: 300, authorizeChainContact: () => true })
    const base = await listen(createServer(toNodeHandler(handlers)))
    const secrets = [SECRET, SESSION_SECRET, 'code-for-the-log-test', 'session-key-for-the-log-test']
    for (const fault of [...FAKE_FAULTS, 'hang'] as const) {
      fake.heal()
      fake.revokeTokens() // each round fetches its token again, under the fault
      if (fault === 'hang') fake.hang('miniprogram/jscode2session') // the login below is its one call
      else fake.inject(fault)
      fake.addCode('code-for-the-log-test', 'alice', 'session-key-for-the-log-test')
      await sign(base, `${PAGE}?round=${fault}`)
      await post(base, '/wecom/session', { code: 'code-for-the-log-test' })
      await fetch(`${base}/chain/wwdownstream0001/bob`, { headers: { origin: ORIGIN } })
    }
    const issued = fake.calls.map((c) => c.query.access_token).filter(Boolean)
    expect(lines.length).toBeGreaterThan(FAKE_FAULTS.length)
    for (const seen of ['errcode=60020', 'errcode=40001', 'errcode=40013', 'errcode=48002', 'UPSTREAM_TIMEOUT']) {
      expect(lines.some((line) => line.includes(seen)), seen).toBe(true)
    }
    for (const line of lines) for (const secret of [...secrets, ...issued]) expect(line).not.toContain(secret)
  })

  it('log: false silences it; a log function receives the entries instead', async () => {
    const lines = spyConsole()
    expect((await wrongSecretRequest({ log: false })).status).toBe(500)
    const entries: any[] = []
    expect((await wrongSecretRequest({ log: (entry: unknown) => entries.push(entry) })).status).toBe(500)
    expect(lines).toEqual([])
    expect(entries).toContainEqual(expect.objectContaining({ level: 'error', event: 'handler-error', code: 'CONFIG_ERROR', errcode: 40001 }))
  })

  it('successes print nothing', async () => {
    const lines = spyConsole()
    const base = await listen(createServer(toNodeHandler(createChainToolbarHandlers({ ...options(), log: undefined }))))
    expect((await sign(base, PAGE)).status).toBe(200)
    expect(lines).toEqual([])
  })
})
