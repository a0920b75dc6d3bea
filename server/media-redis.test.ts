import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChainToolbarHandlers, createRedisCache, toNodeHandler } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'
import { startRedisServer } from './testing/redis-server.mjs'

// Two companion instances (as on two machines) on one real redis-server, each behind its own node:http server on
// 127.0.0.1: the same bytes sent to either get one id, uploaded once, however the requests are spread and timed.
const SESSION_SECRET = 'media-redis-session-secret-32-bytes!!'
const PDF = Buffer.from('%PDF-1.7\n')

let redis: Awaited<ReturnType<typeof startRedisServer>>
let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
const caches: ReturnType<typeof createRedisCache>[] = []
const servers: Server[] = []

beforeAll(async () => {
  redis = await startRedisServer() // fails (does not skip) when redis-server is missing
  // WeCom takes a while per upload, so concurrent requests overlap it.
  fake = await createFakeWeComApi({ latencyMs: 150 })
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await Promise.all(caches.map((c) => c.close()))
  await fake?.close()
  await redis?.stop()
})
beforeEach(() => {
  fake.calls.length = 0
})

/** Retries a first command while the client loads `redis` and connects (slow on a busy machine). */
async function connected(cache: ReturnType<typeof createRedisCache>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await cache.get('connect')
    } catch (error) {
      if (attempt >= 10) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

let prefixes = 0
async function twoInstances() {
  const prefix = `media-${++prefixes}:`
  const bases: string[] = []
  let token = ''
  for (let i = 0; i < 2; i++) {
    const cache = createRedisCache({ url: redis.url, prefix })
    caches.push(cache)
    await connected(cache) // running instances are connected before requests come
    const handlers = createChainToolbarHandlers({ ...fake.companion, allowedOrigins: ['https://app.example.com'], sessionSecret: SESSION_SECRET, cache })
    const http = createServer(toNodeHandler(handlers))
    servers.push(http)
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()))
    bases.push(`http://127.0.0.1:${(http.address() as AddressInfo).port}`)
    if (!token) {
      fake.addCode(`media-redis-${prefix}`, 'alice')
      token = (await handlers.server.exchangeCode(`media-redis-${prefix}`)).token
    }
  }
  const post = (base: string, bytes: Buffer, name = 'quote.pdf') => {
    const form = new FormData()
    form.append('type', 'file')
    form.append('name', name)
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'tmp.pdf')
    return fetch(`${base}/wecom/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  }
  const upload = (base: string, bytes: Buffer, name = 'quote.pdf') =>
    post(base, bytes, name).then(async (res) => {
      expect(res.status).toBe(200)
      return (await res.json()) as { mediaid: string; expiresAt: number }
    })
  return { bases, upload, post }
}
/** media/upload calls that carried a whole file (not one dropped before its end). */
const uploads = () => fake.calls.filter((c) => c.api === 'media/upload' && c.body?.parts?.length && !c.body.aborted).length

describe('media ids shared by two instances on one Redis', () => {
  it('the same bytes, 12 requests at once spread over both instances: one upload, one id', async () => {
    const { bases, upload } = await twoInstances()
    const bytes = Buffer.concat([PDF, randomBytes(300_000)])
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => upload(bases[i % 2], bytes)))
    expect(new Set(answers.map((a) => a.mediaid)).size).toBe(1)
    expect(uploads()).toBe(1)
    expect(fake.media.status(answers[0].mediaid)).toBe('valid')
  })

  it('uploaded through one instance, asked later through the other: the same id, no second upload', async () => {
    const { bases, upload } = await twoInstances()
    const bytes = Buffer.concat([PDF, randomBytes(5000)])
    const first = await upload(bases[0], bytes)
    const second = await upload(bases[1], bytes)
    expect([second, uploads()]).toEqual([first, 1])
    // Other bytes, or the same bytes under another file name, are other uploads.
    await upload(bases[1], Buffer.concat([PDF, randomBytes(5000)]))
    await upload(bases[0], bytes, 'quote-v2.pdf')
    expect(uploads()).toBe(3)
  })

  it('a failure is not shared as an id: refused by WeCom (45009) through one instance, uploaded through the other', async () => {
    const { bases, upload, post } = await twoInstances()
    const bytes = Buffer.concat([PDF, randomBytes(5000)])
    fake.fail('media/upload', 45009, 1)
    const refused = await post(bases[0], bytes)
    expect([refused.status, ((await refused.json()) as any).error.code]).toEqual([429, 'RATE_LIMITED'])
    const later = await upload(bases[1], bytes)
    expect([fake.media.status(later.mediaid), uploads()]).toEqual(['valid', 1])
    expect(await upload(bases[0], bytes)).toEqual(later)
  })
})
