import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChainToolbarHandlers, toNodeHandler } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'

// POST /wecom/oauth-session over real HTTP (node:http + toNodeHandler) against the fake WeCom server API:
// a WeCom OAuth code (H5) → the same session token as the mini program's POST /wecom/session.
const SESSION_SECRET = 'oauth-test-session-secret-32-bytes!!!!'
const ORIGIN = 'https://app.example.com'

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
let http: Server
let base: string

beforeAll(async () => {
  fake = await createFakeWeComApi()
  const handlers = createChainToolbarHandlers({
    ...fake.companion,
    allowedOrigins: [ORIGIN],
    sessionSecret: SESSION_SECRET,
    timeoutMs: 400,
    basePath: '/api',
    rateLimits: { oauthSession: { limit: 12, windowMs: 60_000 } },
    // Every request from its own address, unless a test says otherwise: the limit is per address.
    clientKey: (request) => request.headers.get('x-test-client') ?? `client-${Math.random()}`,
  })
  http = createServer(toNodeHandler(handlers))
  base = await new Promise<string>((resolve) =>
    http.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(http.address() as AddressInfo).port}`)),
  )
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
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null }
}
const oauthSession = (code: unknown, headers: Record<string, string> = {}) =>
  call('/api/wecom/oauth-session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
    body: JSON.stringify({ code }),
  })
const contact = (token: string) => call('/api/chain/wwdownstream0001/bob', { headers: { authorization: `Bearer ${token}` } })

describe('POST /wecom/oauth-session', () => {
  it('exchanges a member\'s OAuth code for the session token that authorises GET /chain/… (as the mini program\'s does)', async () => {
    fake.addOAuthCode('oauth-erin', 'erin')
    const { status, body, headers } = await oauthSession('oauth-erin')
    expect(status).toBe(200)
    expect(body).toEqual({ token: expect.stringMatching(/^v1\./), expiresIn: 7200, corpId: fake.corpId, userId: 'erin' })
    expect(headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(fake.calls.find((c) => c.api === 'auth/getuserinfo')?.query.code).toBe('oauth-erin')
    const profile = await contact(body.token)
    expect(profile.status).toBe(200)
    expect(profile.body.name).toBe('王小明')
  })

  it('a chain member\'s userid (CorpId/userid) becomes their own corp and user', async () => {
    fake.addOAuthCode('oauth-bob', 'bob', 'wwdownstream0001')
    const { status, body } = await oauthSession('oauth-bob')
    expect(status).toBe(200)
    expect(body).toMatchObject({ corpId: 'wwdownstream0001', userId: 'bob' })
    // Not a member of the app's own corp: by default not allowed to read contact profiles.
    expect((await contact(body.token)).status).toBe(403)
  })

  it('a replayed code is 400 INVALID_CODE, answered from memory: WeCom is asked once', async () => {
    fake.addOAuthCode('oauth-replayed', 'erin')
    expect((await oauthSession('oauth-replayed')).status).toBe(200)
    const again = await oauthSession('oauth-replayed')
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('INVALID_CODE')
    expect(fake.calls.filter((c) => c.api === 'auth/getuserinfo')).toHaveLength(1)
  })

  it('a code WeCom refused (40029) is remembered: asking again costs no WeCom call', async () => {
    const first = await oauthSession('never-issued')
    expect(first.status).toBe(400)
    expect(first.body.error).toMatchObject({ code: 'INVALID_CODE', message: expect.stringContaining('auth/getuserinfo') })
    const second = await oauthSession('never-issued')
    expect(second.body.error.code).toBe('INVALID_CODE')
    expect(fake.calls.filter((c) => c.api === 'auth/getuserinfo')).toHaveLength(1)
  })

  it('403 FORBIDDEN for someone who is not a member (an openid), and no token', async () => {
    fake.addOutsiderOAuthCode('oauth-outsider')
    const { status, body } = await oauthSession('oauth-outsider')
    expect(status).toBe(403)
    expect(body.error.code).toBe('FORBIDDEN')
    expect(body.token).toBeUndefined()
  })

  it('403 ORIGIN_NOT_ALLOWED from a page on another origin, before WeCom is asked', async () => {
    fake.addOAuthCode('oauth-elsewhere', 'erin')
    const { status, body, headers } = await oauthSession('oauth-elsewhere', { origin: 'https://evil.example' })
    expect(status).toBe(403)
    expect(body.error.code).toBe('ORIGIN_NOT_ALLOWED')
    expect(headers.get('access-control-allow-origin')).toBeNull()
    expect(fake.calls).toEqual([])
  })

  it('validates the body, answers 405 to GET, and preflights for allowed origins', async () => {
    expect((await oauthSession('')).body.error.code).toBe('INVALID_REQUEST')
    expect((await oauthSession(42)).body.error.code).toBe('INVALID_REQUEST')
    expect((await oauthSession('with space')).body.error.code).toBe('INVALID_REQUEST')
    const get = await call('/api/wecom/oauth-session')
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    const preflight = await fetch(`${base}/api/wecom/oauth-session`, { method: 'OPTIONS', headers: { origin: ORIGIN } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS')
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(fake.calls).toEqual([])
  })

  it('limits exchanges per caller address: 429 RATE_LIMITED with Retry-After, another address unaffected', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) statuses.push((await oauthSession(`unknown-${i}`, { 'x-test-client': 'one-office' })).status)
    expect(statuses.every((s) => s === 400)).toBe(true)
    const limited = await oauthSession('unknown-12', { 'x-test-client': 'one-office' })
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('RATE_LIMITED')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    fake.addOAuthCode('oauth-other-office', 'erin')
    expect((await oauthSession('oauth-other-office', { 'x-test-client': 'other-office' })).status).toBe(200)
  })
})
