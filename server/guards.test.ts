import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChainToolbarHandlers, createChainToolbarServer, toNodeHandler } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'

// Who may read what, how often, and which configuration is refused: over real HTTP (node:http on 127.0.0.1)
// against the fake WeCom API.
const SESSION_SECRET = 'guards-test-session-secret-of-32-bytes!'
const ORIGIN = 'https://app.example.com'
const DOWNSTREAM = 'wwdownstream0001'

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
const servers: Server[] = []

beforeAll(async () => {
  fake = await createFakeWeComApi({
    downstream: {
      [DOWNSTREAM]: { corpName: '下游经销商', agentId: 2000001, users: { bob: { name: '王小明' }, dan: { name: '丹' } } },
      wwdownstream0002: { corpName: '另一家下游', agentId: 2000002, users: { eve: { name: '竞争对手的人' } } },
    },
  })
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await fake.close()
})
beforeEach(() => {
  fake.calls.length = 0
})

function options(extra: Record<string, unknown> = {}) {
  return {
    ...fake.companion,
    allowedOrigins: [ORIGIN],
    sessionSecret: SESSION_SECRET,
    ...extra,
  }
}

async function serve(extra: Record<string, unknown> = {}) {
  const handlers = createChainToolbarHandlers(options(extra))
  const server = createServer(toNodeHandler(handlers))
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(base + path, init)
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
  }
  let codes = 0
  return {
    handlers,
    call,
    /** Signs in `userId` of `corpId` through the session endpoint, as the mini program does. */
    async login(userId: string, corpId: string = fake.corpId) {
      const code = `guard-code-${Math.random()}-${++codes}`
      fake.state.codes.set(code, { userId, corpId })
      const res = await call('/wecom/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      })
      expect(res.status).toBe(200)
      return res.body.token as string
    },
    contact: (corpId: string, userId: string, token: string) =>
      call(`/chain/${corpId}/${userId}`, { headers: { authorization: `Bearer ${token}` } }),
  }
}

describe('tenant safety of chain contact profiles', () => {
  it("by default only members of the app's own (upstream) corp resolve profiles; a downstream member: 403, no WeCom call", async () => {
    const app = await serve()
    const upstream = await app.login('alice')
    expect((await app.contact(DOWNSTREAM, 'bob', upstream)).status).toBe(200)
    const downstream = await app.login('dan', DOWNSTREAM)
    fake.calls.length = 0
    for (const [corp, user] of [
      ['wwdownstream0002', 'eve'],
      [DOWNSTREAM, 'bob'],
    ]) {
      const res = await app.contact(corp, user, downstream)
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN'])
      expect(JSON.stringify(res.body)).not.toMatch(/竞争对手|王小明/)
    }
    expect(fake.calls).toEqual([])
  })

  it('authorize(session, target) widens it deliberately: here, downstream members may read their own corp only', async () => {
    const seen: unknown[] = []
    const app = await serve({
      authorize: (session: { corpId: string; userId: string }, target: { corpId: string; userId: string }) => {
        seen.push({ session: { corpId: session.corpId, userId: session.userId }, target })
        return session.corpId === fake.corpId || session.corpId === target.corpId
      },
    })
    const dan = await app.login('dan', DOWNSTREAM)
    expect([(await app.contact(DOWNSTREAM, 'bob', dan)).status, (await app.contact('wwdownstream0002', 'eve', dan)).status]).toEqual([
      200, 403,
    ])
    expect(seen).toEqual([
      { session: { corpId: DOWNSTREAM, userId: 'dan' }, target: { corpId: DOWNSTREAM, userId: 'bob' } },
      { session: { corpId: DOWNSTREAM, userId: 'dan' }, target: { corpId: 'wwdownstream0002', userId: 'eve' } },
    ])
  })
})

describe('session token MACs are compared in their canonical encoding', () => {
  it('a trailing "=", an inserted "!" or "*~", or other bits in the last character do not verify', async () => {
    const server = createChainToolbarServer(options())
    fake.addCode('mac-code', 'alice')
    const { token } = await server.exchangeCode('mac-code')
    expect(server.verifySession(token).userId).toBe('alice')
    const [v, payload, mac] = token.split('.')
    const last = mac.at(-1)!
    const sameBytes = 'AEIMQUYcgkosw048'.includes(last) ? String.fromCharCode(last.charCodeAt(0) + 1) : null
    const variants = [
      `${mac}=`,
      `${mac.slice(0, 10)}!${mac.slice(10)}`,
      `${mac}*~`,
      ` ${mac}`,
      ...(sameBytes ? [mac.slice(0, -1) + sameBytes] : []),
    ]
    for (const m of variants)
      expect(() => server.verifySession(`${v}.${payload}.${m}`), m).toThrow(expect.objectContaining({ code: 'SESSION_INVALID' }))
  })
})

describe('rate limits and negative caching of what callers can make the server ask WeCom', () => {
  it('per caller: a client sending random codes gets 429 with Retry-After past its allowance; WeCom sees only the allowance', async () => {
    const app = await serve({ rateLimits: { session: { limit: 5, windowMs: 60_000 } } })
    const results = []
    for (let i = 0; i < 20; i++) {
      results.push(
        await app.call('/wecom/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: `random-${i}` }),
        }),
      )
    }
    expect(results.slice(0, 5).map((r) => r.status)).toEqual([400, 400, 400, 400, 400])
    for (const r of results.slice(5)) {
      expect([r.status, r.body.error.code]).toEqual([429, 'RATE_LIMITED'])
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    }
    expect(fake.count('miniprogram/jscode2session')).toBe(5)
  })

  it("per member: a signed-in member's contact lookups are limited, another member is not affected", async () => {
    const app = await serve({ rateLimits: { chainContact: { limit: 3, windowMs: 60_000 } } })
    const alice = await app.login('alice')
    const carol = await app.login('carol')
    const statuses = []
    for (let i = 0; i < 8; i++) statuses.push((await app.contact(DOWNSTREAM, `random-user-${i}`, alice)).status)
    expect(statuses).toEqual([404, 404, 404, 429, 429, 429, 429, 429])
    expect((await app.contact(DOWNSTREAM, 'bob', carol)).status).toBe(200)
  })

  it('behind a reverse proxy on a private address, each client is counted by the address the proxy saw', async () => {
    const app = await serve({ rateLimits: { session: { limit: 2, windowMs: 60_000 } } })
    const post = (forwardedFor: string) =>
      app.call('/wecom/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: '{"code":"nope"}',
      })
    const statuses = []
    // One client forging a new first entry each time: the proxy appended its real address last.
    for (let i = 0; i < 4; i++) statuses.push((await post(`10.9.9.${i}, 198.51.100.7`)).status)
    statuses.push((await post('198.51.100.8')).status) // another client
    expect(statuses).toEqual([400, 400, 429, 429, 400])
  })

  it('the limits are on by default', async () => {
    const app = await serve()
    const statuses = new Set<number>()
    for (let i = 0; i < 120; i++) {
      statuses.add(
        (await app.call('/wecom/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"code":"r${i}"}` }))
          .status,
      )
    }
    expect(statuses).toEqual(new Set([400, 429]))
    expect(fake.count('miniprogram/jscode2session')).toBeLessThan(120)
  })

  it('a corp the app is not shared with, and an unknown user, are remembered briefly: one WeCom call for many lookups', async () => {
    const server = createChainToolbarServer(options())
    for (let i = 0; i < 10; i++)
      await expect(server.resolveChainContact({ corpId: 'wwnotshared', userId: `u${i}` })).rejects.toMatchObject({
        code: 'CONTACT_NOT_VISIBLE',
      })
    for (let i = 0; i < 10; i++)
      await expect(server.resolveChainContact({ corpId: DOWNSTREAM, userId: 'nobody' })).rejects.toMatchObject({
        code: 'CONTACT_NOT_FOUND',
      })
    expect([fake.count('corpgroup/corp/list_app_share_info'), fake.count('user/get')]).toEqual([2, 1]) // wwnotshared, then DOWNSTREAM
  })

  it("WeCom's own rate limit (45009) is a 429 with Retry-After", async () => {
    const app = await serve()
    fake.fail('gettoken', 45009)
    const res = await app.call(`/wecom/agent-signature?url=${encodeURIComponent(`${ORIGIN}/x`)}`)
    expect([res.status, res.body.error.code]).toEqual([429, 'RATE_LIMITED'])
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })
})

describe('allow-list entries', () => {
  const create = (allowedOrigins: string[]) => createChainToolbarServer({ env: {}, corpId: 'ww1', secret: 's', allowedOrigins })

  it('a wildcard entry is refused at startup with a message that says so', () => {
    for (const entry of ['https://*.example.com', '*', 'https://app.*.com']) expect(() => create([entry])).toThrow(/wildcard/i)
  })

  it('upper-case and internationalised host names are accepted and match what browsers send', () => {
    const server = create(['https://APP.Example.COM', 'https://bücher.example', 'https://shop.example.com:8443/'])
    expect(server.isOriginAllowed('https://app.example.com')).toBe(true)
    expect(server.isOriginAllowed('https://xn--bcher-kva.example')).toBe(true)
    expect(server.isOriginAllowed('https://shop.example.com:8443')).toBe(true)
    expect(server.isOriginAllowed('https://evil.example.com')).toBe(false)
  })

  it('what is not an origin is refused with the reason', () => {
    expect(() => create(['https://app.example.com/path'])).toThrow(/path/)
    expect(() => create(['app.example.com'])).toThrow(/scheme/)
    expect(() => create(['ftp://app.example.com'])).toThrow(/http/)
  })
})
