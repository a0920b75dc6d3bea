import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChainToolbarHandlers, createChainToolbarServer, createRedisCache, toNodeHandler } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'
import { startRedisServer } from './testing/redis-server.mjs'

// A real redis-server stalled (SIGSTOP / SIGCONT), killed (SIGKILL) and restarted, and a server instance
// killed while it holds the fetch lock: what users of the signature and session endpoints notice.
const PAGE = 'https://app.example.com/pages/index/index'
const SESSION_SECRET = 'redis-faults-session-secret-32-bytes!!'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let redis: Awaited<ReturnType<typeof startRedisServer>>
let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
const closers: (() => Promise<unknown>)[] = []
let prefixes = 0

beforeAll(async () => {
  redis = await startRedisServer()
  fake = await createFakeWeComApi()
})
afterAll(async () => {
  redis?.resume()
  for (const close of closers.splice(0)) await close().catch(() => {})
  await fake?.close()
  await redis?.stop()
})

const base = () => ({
  ...fake.companion,
  allowedOrigins: ['https://app.example.com'],
  sessionSecret: SESSION_SECRET,
})
function redisCache(prefix: string, extra: Record<string, unknown> = {}) {
  const cache = createRedisCache({ url: redis.url, prefix, commandTimeoutMs: 500, ...extra })
  closers.push(() => cache.close())
  return cache
}
/** A running instance is connected already: connect before the fault (the first command also loads `redis`). */
async function connected(cache: { get(key: string): Promise<unknown> }) {
  const until = Date.now() + 15_000
  for (;;) {
    try {
      return void (await cache.get('connected'))
    } catch (error) {
      if (Date.now() > until) throw error
      await sleep(200)
    }
  }
}

/** Calls `attempt` every 100 ms until it succeeds; the milliseconds that took, or Infinity past `limitMs`. */
async function timeUntilSuccess(attempt: () => Promise<unknown>, limitMs: number, from = Date.now()) {
  while (Date.now() - from < limitMs) {
    try {
      await attempt()
      return Date.now() - from
    } catch {
      await sleep(100)
    }
  }
  return Infinity
}

describe('Redis stalls and dies; a lock holder dies', () => {
  it("a 3 s stall that swallows the lock command costs about 3 s, not the lock's lifetime", async () => {
    const prefix = `stall-${++prefixes}:`
    // Instance A's lock command is the one caught by the stall: Redis stops right before it is sent.
    const client = createClient({ url: redis.url })
    client.on('error', () => {}) // Redis is killed in a later test
    await client.connect()
    closers.push(() => client.close())
    let pausedAt = 0
    const stalling = {
      sendCommand(args: string[]) {
        if (!pausedAt && args[0] === 'SET' && args.includes('NX')) {
          pausedAt = Date.now()
          redis.pause()
          setTimeout(() => redis.resume(), 3000)
        }
        return client.sendCommand(args)
      },
    }
    const a = createChainToolbarServer({ ...base(), cache: createRedisCache({ client: stalling, prefix, commandTimeoutMs: 500 }) })
    const cacheB = redisCache(prefix)
    await connected(cacheB)
    const b = createChainToolbarServer({ ...base(), cache: cacheB })
    const failure = await a.signAgentConfig(PAGE).catch((error) => error)
    expect(pausedAt).toBeGreaterThan(0)
    const took = await timeUntilSuccess(() => b.signAgentConfig(PAGE), 12_000, pausedAt)
    expect(took).toBeGreaterThanOrEqual(3000)
    expect(took).toBeLessThan(7000) // the stall plus a little (the lock set during it lived 21 s before the fix)
    expect(failure).toMatchObject({ code: 'CACHE_UNAVAILABLE', status: 503 }) // A's caller got a 503, not a 500
    await expect(a.signAgentConfig(PAGE)).resolves.toHaveProperty('signature')
  }, 30_000)

  it("an instance killed while it holds the fetch lock blocks the others for about the lock's short lifetime", async () => {
    const prefix = `killed-${++prefixes}:`
    const dir = mkdtempSync(join(tmpdir(), 'uct-lock-holder-'))
    closers.push(async () => rmSync(dir, { recursive: true, force: true }))
    const script = join(dir, 'holder.mjs')
    writeFileSync(
      script,
      `import { createChainToolbarServer, createRedisCache } from ${JSON.stringify(resolve(__dirname, 'index.mjs'))}
const cache = createRedisCache({ url: ${JSON.stringify(redis.url)}, prefix: ${JSON.stringify(prefix)}, commandTimeoutMs: 10000 })
const server = createChainToolbarServer({ ...${JSON.stringify(base())}, cache })
for (;;) if (await cache.get('connected').then(() => true, () => false)) break // a running instance, already connected
server.signAgentConfig(${JSON.stringify(PAGE)}).catch((e) => console.error(e.message))`,
    )
    const cacheB = redisCache(prefix)
    const b = createChainToolbarServer({ ...base(), cache: cacheB })
    await connected(cacheB) // B is up and connected before the holder starts
    fake.calls.length = 0
    fake.hang('gettoken') // the holder's fetch never comes back
    const holder = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] })
    let holderErr = ''
    holder.stderr.on('data', (c) => (holderErr += c))
    const exited = new Promise((r) => holder.once('exit', r))
    let exitCode: number | null = null
    holder.once('exit', (code) => (exitCode = code))
    const until = Date.now() + 15_000
    while (fake.count('gettoken') === 0 && exitCode === null && Date.now() < until) await sleep(20)
    fake.hang('gettoken', 0)
    // It holds the lock and is fetching.
    expect(fake.count('gettoken'), `${holderErr} exit ${exitCode} after ${Date.now() - until + 15_000} ms`).toBe(1)
    holder.kill('SIGKILL')
    await exited
    const killedAt = Date.now()
    await expect(b.signAgentConfig(PAGE)).resolves.toHaveProperty('signature')
    expect(Date.now() - killedAt).toBeLessThan(6000) // it was 21 s: the lock's lifetime was 4 WeCom deadlines + 1 s
  }, 40_000)

  // What needs Redis is a 503 with Retry-After, logged as a dependency failure; back at once after a restart.
  it('Redis killed: warm signatures go on from the in-process copy; the rest is a 503, then back after a restart', async () => {
    const log: any[] = []
    const prefix = `outage-${++prefixes}:`
    const cache = redisCache(prefix)
    await connected(cache)
    const handlers = createChainToolbarHandlers({ ...base(), cache, log: (e: any) => log.push(e) })
    const http: Server = createServer(toNodeHandler(handlers))
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
    closers.push(() => new Promise((r) => (http.closeAllConnections(), http.close(r))))
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    const sign = () => fetch(`${url}/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`)
    let codes = 0
    const login = () => {
      const code = `outage-code-${++codes}`
      fake.addCode(code, 'alice')
      return fetch(`${url}/wecom/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      })
    }
    expect([(await sign()).status, (await login()).status]).toEqual([200, 200])

    await redis.kill()
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await sign()).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    const refused = await login()
    expect([refused.status, (await refused.json()).error.code]).toEqual([503, 'CACHE_UNAVAILABLE'])
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(log.filter((e) => e.level === 'error' && e.event !== 'dependency-failure')).toEqual([])
    expect(log).toContainEqual(expect.objectContaining({ event: 'dependency-failure', dependency: 'cache', code: 'CACHE_UNAVAILABLE' }))

    await redis.restart()
    const restartedAt = Date.now()
    const took = await timeUntilSuccess(
      async () => {
        const res = await login()
        if (res.status !== 200) throw new Error(String(res.status))
      },
      8000,
      restartedAt,
    )
    expect(took).toBeLessThan(5000)
  }, 40_000)
})

describe('per-caller limits shared through Redis', () => {
  it('two instances on one Redis count one allowance per caller', async () => {
    const prefix = `limits-${++prefixes}:`
    const make = async () => {
      const cache = redisCache(prefix)
      await connected(cache)
      return createChainToolbarHandlers({ ...base(), cache, rateLimits: { session: { limit: 4, windowMs: 60_000 } } })
    }
    const [a, b] = [await make(), await make()]
    const statuses = []
    for (let i = 0; i < 6; i++) {
      const request = new Request('http://x/wecom/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: `shared-${i}` }),
      })
      statuses.push((await (i % 2 ? a : b).handle(request, { remoteAddress: '203.0.113.9' })).status)
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429])
  })
})
