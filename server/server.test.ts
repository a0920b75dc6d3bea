import { afterEach, describe, expect, it, vi } from 'vitest'
import { ChainToolbarServerError, computeJsSdkSignature, createChainToolbarServer } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'

// The published JS-SDK test vector.
const VECTOR = {
  ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
  nonceStr: 'Wm3WZYTPz0wzccnW',
  timestamp: 1414587457,
  url: 'http://mp.weixin.qq.com?params=value',
  signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
}
const SESSION_SECRET = 'test-session-secret-of-at-least-32-bytes!'
const PAGE = 'https://app.example.com/pages/index/index?from=toolbar'

type Fake = Awaited<ReturnType<typeof createFakeWeComApi>>
const fakes: Fake[] = []
async function fakeApi(options: Parameters<typeof createFakeWeComApi>[0] = {}) {
  const fake = await createFakeWeComApi(options)
  fakes.push(fake)
  return fake
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

function serverFor(fake: Fake, options: Parameters<typeof createChainToolbarServer>[0] = {}) {
  return createChainToolbarServer({
    ...fake.companion,
    allowedOrigins: ['https://app.example.com'],
    sessionSecret: SESSION_SECRET,
    ...options,
  })
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error as ChainToolbarServerError
  }
  throw new Error('expected a rejection')
}

describe('agentConfig signature', () => {
  it('matches the published JS-SDK test vector', () => {
    expect(computeJsSdkSignature(VECTOR)).toBe(VECTOR.signature)
  })

  it('signs with the app ticket from ticket/get?type=agent_config, over the URL without its #hash, exactly as given', async () => {
    const fake = await fakeApi({ ticket: VECTOR.ticket })
    const server = serverFor(fake, {
      allowedOrigins: ['http://mp.weixin.qq.com'],
      now: () => VECTOR.timestamp * 1000,
      createNonce: () => VECTOR.nonceStr,
    })
    // new URL() would add a "/" before "?": the server must sign the string the SDK passed.
    expect(await server.signAgentConfig(VECTOR.url)).toEqual({
      timestamp: VECTOR.timestamp,
      nonceStr: VECTOR.nonceStr,
      signature: VECTOR.signature,
    })
    expect(await server.signAgentConfig(`${VECTOR.url}#/pages/detail?id=1`)).toEqual({
      timestamp: VECTOR.timestamp,
      nonceStr: VECTOR.nonceStr,
      signature: VECTOR.signature,
    })
    expect(fake.calls.find((c) => c.api === 'ticket/get')?.query.type).toBe('agent_config')
  })

  it('gives each signature a fresh 16-character nonce and the current time in seconds', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    const before = Math.floor(Date.now() / 1000)
    const a = await server.signAgentConfig(PAGE)
    const b = await server.signAgentConfig(PAGE)
    expect(a.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/)
    expect(a.nonceStr).not.toBe(b.nonceStr)
    expect(a.timestamp).toBeGreaterThanOrEqual(before)
    expect(a.signature).toBe(computeJsSdkSignature({ ticket: fake.state.ticket, nonceStr: a.nonceStr, timestamp: a.timestamp, url: PAGE }))
  })

  it('signs only pages whose origin is in the allow-list, and checks the URL before any WeCom call', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake, { allowedOrigins: ['https://app.example.com', 'http://localhost:5173'] })
    await expect(server.signAgentConfig('http://localhost:5173/#/pages/index/index')).resolves.toHaveProperty('signature')
    const refused = [
      'https://evil.example.net/steal',
      'https://app.example.com.evil.net/',
      'http://app.example.com/', // other scheme, other origin
      'https://app.example.com:8443/', // other port, other origin
      'http://localhost:5174/',
    ]
    for (const url of refused) expect((await rejection(server.signAgentConfig(url))).code).toBe('ORIGIN_NOT_ALLOWED')
    const invalid = [
      '',
      'not a url',
      '/relative/path',
      'javascript:alert(1)',
      'https://user:pw@app.example.com/',
      `https://app.example.com/${'a'.repeat(5000)}`,
    ]
    for (const url of invalid) expect((await rejection(server.signAgentConfig(url))).code).toBe('INVALID_REQUEST')
    expect((await rejection(server.signAgentConfig(42 as never))).code).toBe('INVALID_REQUEST')
    expect(fake.count('ticket/get')).toBe(1) // only the allowed page needed it
  })

  it('refuses every URL when the allow-list is empty on purpose ([]: a server of a mini program only)', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake, { allowedOrigins: [] })
    expect((await rejection(server.signAgentConfig(PAGE))).code).toBe('ORIGIN_NOT_ALLOWED')
    expect(fake.calls).toHaveLength(0)
  })

  it('rejects allow-list entries that are not origins', () => {
    for (const entry of ['app.example.com', 'https://app.example.com/path', 'ftp://app.example.com']) {
      expect(() => createChainToolbarServer({ env: {}, corpId: 'ww1', secret: 's', allowedOrigins: [entry] })).toThrow(/allowedOrigins/)
    }
  })
})

describe('tokens and tickets', () => {
  it('fetches the token and the ticket once, then serves from the cache', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    for (let i = 0; i < 5; i++) await server.signAgentConfig(PAGE)
    expect(fake.count('gettoken')).toBe(1)
    expect(fake.count('ticket/get')).toBe(1)
    expect(fake.calls.find((c) => c.api === 'gettoken')?.query).toEqual({ corpid: fake.corpId, corpsecret: fake.secret })
  })

  it('single flight: 100 concurrent signatures → exactly 1 token fetch and 1 ticket fetch', async () => {
    const fake = await fakeApi({ latencyMs: 30 })
    const server = serverFor(fake)
    const signatures = await Promise.all(Array.from({ length: 100 }, () => server.signAgentConfig(PAGE)))
    expect(fake.count('gettoken')).toBe(1)
    expect(fake.count('ticket/get')).toBe(1)
    for (const s of signatures) {
      expect(s.signature).toBe(
        computeJsSdkSignature({ ticket: fake.state.ticket, nonceStr: s.nonceStr, timestamp: s.timestamp, url: PAGE }),
      )
    }
  })

  it('uses them until shortly before expires_in, then fetches new ones', async () => {
    const fake = await fakeApi({ expiresIn: 7200 })
    let clock = 1_700_000_000_000
    const server = serverFor(fake, { now: () => clock })
    await server.signAgentConfig(PAGE)
    clock += 6899 * 1000 // 7200 s minus the 300 s margin, not yet reached
    await server.signAgentConfig(PAGE)
    expect([fake.count('gettoken'), fake.count('ticket/get')]).toEqual([1, 1])
    clock += 2000
    await server.signAgentConfig(PAGE)
    expect([fake.count('gettoken'), fake.count('ticket/get')]).toEqual([2, 2])
  })

  it('expiry mid-flight: a token WeCom expires while 20 calls are in flight is refreshed once, and each call is retried once', async () => {
    const fake = await fakeApi({ latencyMs: 40 })
    const server = serverFor(fake)
    await server.getAccessToken()
    for (let i = 0; i < 20; i++) fake.addCode(`code-${i}`, `user-${i}`)
    const exchanges = Promise.all(Array.from({ length: 20 }, (_, i) => server.exchangeCode(`code-${i}`)))
    await new Promise((r) => setTimeout(r, 10))
    fake.revokeTokens() // the requests are at WeCom now; it answers 42001 to each
    const results = await exchanges
    expect(results.map((r) => r.userId)).toEqual(Array.from({ length: 20 }, (_, i) => `user-${i}`))
    expect(fake.count('gettoken')).toBe(2) // the first one, and a single refresh for all 20
    expect(fake.count('miniprogram/jscode2session')).toBe(40) // each call once more, not more
  })

  it.each([40014, 42001, 41001])('refreshes the token and retries once on errcode %i', async (errcode) => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    fake.fail('ticket/get', errcode, 1)
    await expect(server.signAgentConfig(PAGE)).resolves.toHaveProperty('signature')
    expect([fake.count('gettoken'), fake.count('ticket/get')]).toEqual([2, 2])
  })

  it('retries only once: a second token error is a TOKEN_INVALID error', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    fake.fail('ticket/get', 42001, 2)
    const error = await rejection(server.signAgentConfig(PAGE))
    expect(error).toBeInstanceOf(ChainToolbarServerError)
    expect([error.code, error.status, error.errcode, error.api]).toEqual(['TOKEN_INVALID', 502, 42001, 'ticket/get'])
    expect([fake.count('gettoken'), fake.count('ticket/get')]).toEqual([2, 2])
  })

  it('rate limited (45009): one fetch for 100 concurrent callers, all RATE_LIMITED, nothing cached, the next call succeeds', async () => {
    const fake = await fakeApi({ latencyMs: 20 })
    const server = serverFor(fake)
    fake.fail('gettoken', 45009, 1)
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => server.signAgentConfig(PAGE)))
    const codes = new Set(results.map((r) => (r.status === 'rejected' ? r.reason.code : 'ok')))
    expect(codes).toEqual(new Set(['RATE_LIMITED']))
    expect(fake.count('gettoken')).toBe(1)
    const error = (results[0] as PromiseRejectedResult).reason
    expect([error.status, error.errcode]).toEqual([429, 45009])
    await expect(server.signAgentConfig(PAGE)).resolves.toHaveProperty('signature')
    expect(fake.count('gettoken')).toBe(2)
  })

  it('bounds every WeCom call by timeoutMs', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake, { timeoutMs: 300 })
    fake.hang('ticket/get')
    const started = Date.now()
    const error = await rejection(server.signAgentConfig(PAGE))
    expect([error.code, error.status]).toEqual(['UPSTREAM_TIMEOUT', 504])
    expect(Date.now() - started).toBeLessThan(1500)
    await expect(server.signAgentConfig(PAGE)).resolves.toHaveProperty('signature') // not stuck afterwards
  })

  it('maps a wrong secret to CONFIG_ERROR without the secret in the message', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake, { secret: 'wrong-secret-value' })
    const error = await rejection(server.signAgentConfig(PAGE))
    expect([error.code, error.errcode]).toEqual(['CONFIG_ERROR', 40001])
    expect(error.message).not.toContain('wrong-secret-value')
  })

  it('an unreachable API is an UPSTREAM_ERROR', async () => {
    const fake = await fakeApi()
    const url = fake.url
    await fake.close()
    fakes.splice(fakes.indexOf(fake), 1)
    const server = createChainToolbarServer({
      env: {},
      corpId: 'ww1',
      secret: 's',
      apiBaseUrl: url,
      allowedOrigins: ['https://app.example.com'],
    })
    expect((await rejection(server.signAgentConfig(PAGE))).code).toBe('UPSTREAM_ERROR')
  })

  it('reads corpId, agentId, secret, allowed origins and API base URL from the environment', async () => {
    const fake = await fakeApi()
    const server = createChainToolbarServer({
      env: {
        WECOM_CORP_ID: fake.corpId,
        WECOM_AGENT_ID: String(fake.agentId),
        WECOM_AGENT_SECRET: fake.secret,
        CHAIN_TOOLBAR_ALLOWED_ORIGINS: 'https://other.example.com, https://app.example.com',
        CHAIN_TOOLBAR_SESSION_SECRET: SESSION_SECRET,
        WECOM_API_BASE_URL: `${fake.url}/cgi-bin/`,
      },
    })
    await expect(server.signAgentConfig(PAGE)).resolves.toHaveProperty('signature')
    await expect(server.resolveChainContact({ corpId: 'wwdownstream0001', userId: 'bob' })).resolves.toHaveProperty('name', '王小明')
    expect(() => createChainToolbarServer({ env: {} })).toThrow(/corpId/)
    expect(() => createChainToolbarServer({ env: {}, corpId: 'ww1' })).toThrow(/secret/)
    expect(() => createChainToolbarServer({ env: {}, corpId: 'ww1', secret: 's', allowedOrigins: [], sessionSecret: 'short' })).toThrow(/32 bytes/)
  })
})

describe('code exchange', () => {
  it('returns a signed session token with { corpId, userId } and keeps session_key on the server', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    const result = await server.exchangeCode('code-alice')
    expect(result).toMatchObject({ corpId: fake.corpId, userId: 'alice', expiresIn: 7200 })
    expect(JSON.stringify(result)).not.toContain('session-key-alice')
    const call = fake.calls.find((c) => c.api === 'miniprogram/jscode2session')
    expect(call?.query).toMatchObject({ js_code: 'code-alice', grant_type: 'authorization_code' })
    expect(server.verifySession(result.token)).toMatchObject({ corpId: fake.corpId, userId: 'alice' })
    expect(await server.getSessionKey(result.token)).toBe('session-key-alice')
  })

  it('INVALID_CODE (40029) for an unknown or already used code; INVALID_REQUEST before any call for a malformed one', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    const unknown = await rejection(server.exchangeCode('no-such-code'))
    expect([unknown.code, unknown.status, unknown.errcode]).toEqual(['INVALID_CODE', 400, 40029])
    await server.exchangeCode('code-alice')
    expect((await rejection(server.exchangeCode('code-alice'))).code).toBe('INVALID_CODE')
    const calls = fake.calls.length
    for (const bad of ['', 'has space', 'x'.repeat(300), 123, null])
      expect((await rejection(server.exchangeCode(bad as never))).code).toBe('INVALID_REQUEST')
    expect(fake.calls.length).toBe(calls)
  })

  it('rejects forged, tampered, malformed and expired session tokens', async () => {
    const fake = await fakeApi()
    let clock = 1_700_000_000_000
    const server = serverFor(fake, { now: () => clock, sessionTtlSeconds: 60 })
    const { token } = await server.exchangeCode('code-alice')
    const [v, payload, mac] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const otherUser = Buffer.from(JSON.stringify({ ...claims, u: 'mallory' })).toString('base64url')
    fake.addCode('code-2', 'alice')
    const otherKey = await serverFor(fake, { sessionSecret: 'another-secret-that-is-32-bytes-long!!', now: () => clock }).exchangeCode(
      'code-2',
    )
    const bad = [`${v}.${otherUser}.${mac}`, `${v}.${payload}.${mac.slice(0, -2)}`, 'v1.x.y', 'garbage', '', otherKey.token]
    for (const t of bad) expect(() => server.verifySession(t)).toThrow(expect.objectContaining({ code: 'SESSION_INVALID' }))
    clock += 61_000
    expect(() => server.verifySession(token)).toThrow(/expired/)
    expect((await rejection(server.getSessionKey(token))).code).toBe('SESSION_INVALID')
  })

  it('without a sessionSecret the exchange is a CONFIG_ERROR, before any WeCom call', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake, { sessionSecret: undefined })
    expect((await rejection(server.exchangeCode('code-alice'))).code).toBe('CONFIG_ERROR')
    expect(fake.calls).toHaveLength(0)
  })

  it("uses the mini program app's own secret when configured", async () => {
    const fake = await fakeApi()
    const server = serverFor(fake, { miniProgramSecret: 'mini-program-secret' })
    expect((await rejection(server.exchangeCode('code-alice'))).code).toBe('CONFIG_ERROR') // the fake knows one secret only
    expect(fake.calls.at(-1)?.query.corpsecret).toBe('mini-program-secret')
  })
})

describe('chain contact profile', () => {
  it('list_app_share_info → corpgroup/corp/gettoken → user/get, and caches the share and the downstream token per corp', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    const bob = { corpId: 'wwdownstream0001', userId: 'bob' }
    expect(await server.resolveChainContact(bob)).toEqual({
      corpId: 'wwdownstream0001',
      userId: 'bob',
      name: '王小明',
      corpName: '下游经销商',
      department: [1, 3],
      position: '采购经理',
    })
    await Promise.all(Array.from({ length: 10 }, () => server.resolveChainContact(bob)))
    expect(fake.count('corpgroup/corp/list_app_share_info')).toBe(1)
    expect(fake.count('corpgroup/corp/gettoken')).toBe(1)
    expect(fake.count('user/get')).toBe(11)
    expect(fake.calls.find((c) => c.api === 'corpgroup/corp/list_app_share_info')?.body).toEqual({
      agentid: fake.agentId,
      business_type: 1,
      corpid: 'wwdownstream0001',
    })
    expect(fake.calls.find((c) => c.api === 'corpgroup/corp/gettoken')?.body).toEqual({
      corpid: 'wwdownstream0001',
      agentid: 2000001,
      business_type: 1,
    })
    expect(fake.calls.find((c) => c.api === 'user/get')?.query.access_token).toMatch(/^down-wwdownstream0001-token-/)
  })

  it('keeps one downstream token per corp', async () => {
    const fake = await fakeApi({
      downstream: {
        wwdowna: { corpName: 'A', agentId: 1, users: { a: { name: 'A1' } } },
        wwdownb: { corpName: 'B', agentId: 2, users: { b: { name: 'B1', avatar: 'https://wework.qpic.cn/b.png' } } },
      },
    })
    const server = serverFor(fake)
    expect(await server.resolveChainContact({ corpId: 'wwdowna', userId: 'a' })).toMatchObject({ name: 'A1', corpName: 'A' })
    expect(await server.resolveChainContact({ corpId: 'wwdownb', userId: 'b' })).toMatchObject({
      name: 'B1',
      corpName: 'B',
      avatar: 'https://wework.qpic.cn/b.png',
    })
    await server.resolveChainContact({ corpId: 'wwdowna', userId: 'a' })
    expect(fake.count('corpgroup/corp/gettoken')).toBe(2)
    expect(fake.count('gettoken')).toBe(1)
  })

  it('a typed error outside the visible range, for an unknown user, and for a corp the app is not shared with', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    const hidden = await rejection(server.resolveChainContact({ corpId: 'wwdownstream0001', userId: 'hidden' }))
    expect([hidden.code, hidden.status, hidden.errcode]).toEqual(['CONTACT_NOT_VISIBLE', 403, 60011])
    expect((await rejection(server.resolveChainContact({ corpId: 'wwdownstream0001', userId: 'nobody' }))).code).toBe('CONTACT_NOT_FOUND')
    expect((await rejection(server.resolveChainContact({ corpId: 'wwelsewhere', userId: 'bob' }))).code).toBe('CONTACT_NOT_VISIBLE')
    for (const bad of [{ corpId: '', userId: 'bob' }, { corpId: 'ww/../x', userId: 'bob' }, { corpId: 'ww1', userId: 'a b' }, null]) {
      expect((await rejection(server.resolveChainContact(bad as never))).code).toBe('INVALID_REQUEST')
    }
  })

  it('refreshes an expired downstream token once and retries', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake)
    const bob = { corpId: 'wwdownstream0001', userId: 'bob' }
    await server.resolveChainContact(bob)
    fake.revokeTokens() // the upstream and the downstream tokens
    await expect(server.resolveChainContact(bob)).resolves.toHaveProperty('name', '王小明')
    // corpgroup/corp/gettoken: the first, one refused (the upstream token expired too), one after its refresh
    expect(fake.count('corpgroup/corp/gettoken')).toBe(3)
    expect(fake.count('gettoken')).toBe(2)
    expect(fake.count('user/get')).toBe(3)
  })

  it('needs agentId', async () => {
    const fake = await fakeApi()
    const server = serverFor(fake, { agentId: undefined })
    expect((await rejection(server.resolveChainContact({ corpId: 'wwdownstream0001', userId: 'bob' }))).code).toBe('CONFIG_ERROR')
  })
})

describe('quiet and discreet', () => {
  it('prints nothing, and neither errors nor log entries carry secrets, tokens or session keys', async () => {
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m))
    const fake = await fakeApi()
    const entries: unknown[] = []
    const server = serverFor(fake, { log: (entry) => entries.push(entry) })
    const errors: unknown[] = []
    const collect = (p: Promise<unknown>) => p.catch((e) => errors.push({ message: e.message, code: e.code, api: e.api }))
    await server.signAgentConfig(PAGE)
    fake.fail('ticket/get', 42001, 1)
    await server.exchangeCode('code-alice')
    fake.revokeTokens()
    await collect(server.exchangeCode('code-alice'))
    await server.resolveChainContact({ corpId: 'wwdownstream0001', userId: 'bob' })
    await collect(server.resolveChainContact({ corpId: 'wwdownstream0001', userId: 'hidden' }))
    fake.fail('gettoken', 45009)
    fake.revokeTokens()
    await collect(server.signAgentConfig(PAGE).then(() => server.exchangeCode('x')))
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled()
    consoleSpies.forEach((s) => s.mockRestore())
    expect(entries.length).toBeGreaterThan(5)
    expect(errors.length).toBe(3)
    const text = JSON.stringify([entries, errors])
    for (const secret of [
      fake.secret,
      SESSION_SECRET,
      'session-key-alice',
      'app-token-',
      'down-wwdownstream0001-token-',
      fake.state.ticket,
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})
