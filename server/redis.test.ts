import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeJsSdkSignature, createChainToolbarServer, createRedisCache } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'
import { startRedisServer } from './testing/redis-server.mjs'

// Two server instances (as on two machines) sharing a real redis-server on 127.0.0.1: one token,
// one ticket, one downstream token for both, fetched once; sessions valid on either.
const PAGE = 'https://app.example.com/pages/index/index'
const SESSION_SECRET = 'redis-test-session-secret-32-bytes!!!'

let redis: Awaited<ReturnType<typeof startRedisServer>>
let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
let client: ReturnType<typeof createClient>
const caches: ReturnType<typeof createRedisCache>[] = []

beforeAll(async () => {
  redis = await startRedisServer() // fails (does not skip) when redis-server is missing
  fake = await createFakeWeComApi({ latencyMs: 30 })
  client = createClient({ url: redis.url })
  await client.connect()
})
afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()))
  await client?.close()
  await fake?.close()
  await redis?.stop()
})

let prefixes = 0
/** Instance A connects its own client from a URL; instance B gets the caller's client. */
function twoInstances() {
  const prefix = `test-${++prefixes}:`
  const a = createRedisCache({ url: redis.url, prefix })
  const b = createRedisCache({ client, prefix })
  caches.push(a)
  const options = {
    ...fake.companion,
    allowedOrigins: ['https://app.example.com'],
    sessionSecret: SESSION_SECRET,
  }
  return { a: createChainToolbarServer({ ...options, cache: a }), b: createChainToolbarServer({ ...options, cache: b }), prefix }
}
const counts = () => ({
  gettoken: fake.count('gettoken'),
  ticket: fake.count('ticket/get'),
  downstream: fake.count('corpgroup/corp/gettoken'),
  share: fake.count('corpgroup/corp/list_app_share_info'),
})

describe('two server instances sharing Redis', () => {
  it('100 concurrent signatures, 50 on each instance → 1 token fetch and 1 ticket fetch in all', async () => {
    fake.calls.length = 0
    const { a, b } = twoInstances()
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).signAgentConfig(PAGE)))
    expect(counts()).toMatchObject({ gettoken: 1, ticket: 1 })
    for (const s of results)
      expect(s.signature).toBe(
        computeJsSdkSignature({ ticket: fake.state.ticket, nonceStr: s.nonceStr, timestamp: s.timestamp, url: PAGE }),
      )
    // The token sits in Redis under a key that does not contain the secret.
    const keys = await client.keys('test-1:*')
    expect(keys.sort()).toEqual([expect.stringMatching(/^test-1:ticket:/), expect.stringMatching(/^test-1:token:/)])
    expect(keys.join()).not.toContain(fake.secret)
  })

  it('a token WeCom expired is refreshed once for both instances', async () => {
    const { a, b } = twoInstances()
    await a.getAccessToken()
    fake.calls.length = 0
    fake.revokeTokens()
    for (let i = 0; i < 20; i++) fake.addCode(`redis-code-${i}`, `user-${i}`)
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).exchangeCode(`redis-code-${i}`)))
    expect(results.map((r) => r.userId)).toEqual(Array.from({ length: 20 }, (_, i) => `user-${i}`))
    expect(fake.count('gettoken')).toBe(1)
    expect(fake.count('miniprogram/jscode2session')).toBe(40)
  })

  it('a session from one instance is valid on the other, and its session_key is there', async () => {
    const { a, b } = twoInstances()
    fake.addCode('redis-session', 'dave', 'dave-session-key')
    const { token } = await a.exchangeCode('redis-session')
    expect(b.verifySession(token)).toMatchObject({ userId: 'dave' })
    expect(await b.getSessionKey(token)).toBe('dave-session-key')
  })

  it('shares the share info and the downstream token per corp', async () => {
    const { a, b } = twoInstances()
    fake.calls.length = 0
    const bob = { corpId: 'wwdownstream0001', userId: 'bob' }
    const profiles = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).resolveChainContact(bob)))
    expect(new Set(profiles.map((p) => p.name))).toEqual(new Set(['王小明']))
    expect(counts()).toMatchObject({ gettoken: 1, share: 1, downstream: 1 })
  })
})

describe('createRedisCache', () => {
  it('get / set with a TTL / delete', async () => {
    const cache = createRedisCache({ client, prefix: 'unit:' })
    await cache.set('k', 'v', 1000)
    expect(await cache.get('k')).toBe('v')
    expect(await client.pTTL('unit:k')).toBeGreaterThan(900)
    await cache.delete('k')
    expect(await cache.get('k')).toBeNull()
  })

  it("lock: one holder at a time; a holder whose lock expired does not release the next holder's lock", async () => {
    const cache = createRedisCache({ client, prefix: 'unit:' })
    const first = await cache.lock('L', 100)
    expect(first).toBeTypeOf('function')
    expect(await cache.lock('L', 100)).toBeNull()
    await new Promise((r) => setTimeout(r, 150)) // first's lock expires
    const second = await cache.lock('L', 5000)
    expect(second).toBeTypeOf('function')
    await first!() // too late: must not delete second's lock
    expect(await cache.lock('L', 100)).toBeNull()
    await second!()
    const third = await cache.lock('L', 100)
    expect(third).toBeTypeOf('function')
    await third!()
  })

  it('a cache created from a URL connects lazily and close() disconnects it', async () => {
    const cache = createRedisCache({ url: redis.url, prefix: 'unit:' })
    await cache.set('x', '1', 1000)
    expect(await client.get('unit:x')).toBe('1')
    await cache.close()
    await expect(createRedisCache({}).get('x')).rejects.toThrow(/client.*url/)
  })

  it('Redis down: each command fails within commandTimeoutMs instead of hanging, and signing fails with it', async () => {
    const dead = await startRedisServer()
    await dead.stop()
    const cache = createRedisCache({ url: dead.url, commandTimeoutMs: 200 })
    caches.push(cache)
    const started = Date.now()
    await expect(cache.get('x')).rejects.toThrow(/Redis did not answer GET within 200 ms/)
    const server = createChainToolbarServer({
      env: {},
      corpId: fake.corpId,
      secret: fake.secret,
      apiBaseUrl: fake.url,
      allowedOrigins: ['https://app.example.com'],
      cache,
    })
    await expect(server.signAgentConfig(PAGE)).rejects.toThrow(/Redis did not answer/)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
