import express from 'express'
import Koa from 'koa'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { computeJsSdkSignature, createChainToolbarHandlers, toKoaMiddleware, toNodeHandler } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'

// The companion inside real apps: mounted in a real Express 5 and a real Koa 3 app next to the app's own
// routes, and as a plain node:http server spoken to over raw sockets (keep-alive, stalls, disconnects).
const SESSION_SECRET = 'mounting-test-session-secret-32-bytes!'
const ORIGIN = 'https://app.example.com'
const PAGE = `${ORIGIN}/pages/index/index`

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
const servers: Server[] = []
const logged: any[] = []

function options(extra: Record<string, unknown> = {}) {
  return {
    ...fake.companion,
    allowedOrigins: [ORIGIN],
    sessionSecret: SESSION_SECRET,
    log: (entry: any) => logged.push(entry),
    ...extra,
  }
}

async function listen(server: Server) {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return (server.address() as AddressInfo).port
}

beforeAll(async () => {
  fake = await createFakeWeComApi()
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await fake.close()
})
beforeEach(() => {
  logged.length = 0
})

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  signal: AbortSignal.timeout(5000),
})
const orderOf = (bytes: number) => ({ item: 'x', pad: 'p'.repeat(bytes - 21) }) // JSON of exactly `bytes` bytes

describe('mounted in a real Express app', () => {
  let port: number
  let seen: { flowing: boolean | null; dataListeners: number }[] = []

  beforeAll(async () => {
    const app = express()
    app.use('/api', toNodeHandler(createChainToolbarHandlers(options())))
    app.use((req, _res, next) => {
      seen.push({ flowing: req.readableFlowing, dataListeners: req.listenerCount('data') + req.listenerCount('readable') })
      next()
    })
    app.post('/api/orders', express.json({ limit: '2mb' }), (req, res) => {
      res.json({ bytes: JSON.stringify(req.body).length, pad: req.body.pad.length })
    })
    port = await listen(createServer(app))
  })
  beforeEach(() => {
    seen = []
  })

  it.each([16 * 1024, 20 * 1024, 1024 * 1024])("the app's own POST route gets a %i-byte body untouched", async (bytes) => {
    const order = orderOf(bytes)
    const res = await fetch(`http://127.0.0.1:${port}/api/orders`, json(order))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ bytes, pad: order.pad.length })
    // The companion attached nothing to the request stream of a path it does not serve.
    expect(seen).toEqual([{ flowing: null, dataListeners: 0 }])
  })

  it('serves its own endpoints under the mount path: signature, session (body read by the companion), contact', async () => {
    const sig = await (await fetch(`http://127.0.0.1:${port}/api/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`)).json()
    expect(sig.signature).toBe(
      computeJsSdkSignature({ ticket: fake.state.ticket, nonceStr: sig.nonceStr, timestamp: sig.timestamp, url: PAGE }),
    )
    fake.addCode('express-code', 'alice')
    const login = await fetch(`http://127.0.0.1:${port}/api/wecom/session`, json({ code: 'express-code' }))
    const { token } = await login.json()
    const profile = await fetch(`http://127.0.0.1:${port}/api/chain/wwdownstream0001/bob`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect([login.status, profile.status, (await profile.json()).name]).toEqual([200, 200, '王小明'])
    expect(seen).toEqual([]) // answered by the companion, never passed on
  })

  it('after express.json() ran first, the parsed body is used', async () => {
    const app = express()
    app.use(express.json())
    app.use(toNodeHandler(createChainToolbarHandlers(options())))
    const other = await listen(createServer(app))
    fake.addCode('express-parsed', 'alice')
    const res = await fetch(`http://127.0.0.1:${other}/wecom/session`, json({ code: 'express-parsed' }))
    expect([res.status, (await res.json()).userId]).toEqual([200, 'alice'])
  })
})

describe('mounted in a real Koa app', () => {
  it('serves its endpoints and passes every other request, body unread, to the next middleware', async () => {
    const app = new Koa()
    app.use(toKoaMiddleware(createChainToolbarHandlers(options({ basePath: '/api' }))))
    app.use(async (ctx) => {
      const flowing = ctx.req.readableFlowing
      const chunks: Buffer[] = []
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer)
      ctx.body = { path: ctx.path, flowing, bytes: Buffer.concat(chunks).length }
    })
    const port = await listen(createServer(app.callback()))
    for (const bytes of [16 * 1024, 20 * 1024, 1024 * 1024]) {
      const res = await fetch(`http://127.0.0.1:${port}/api/orders`, json(orderOf(bytes)))
      expect(await res.json()).toEqual({ path: '/api/orders', flowing: null, bytes })
    }
    fake.addCode('koa-code', 'alice')
    const login = await fetch(`http://127.0.0.1:${port}/api/wecom/session`, json({ code: 'koa-code' }))
    expect([login.status, (await login.json()).userId]).toEqual([200, 'alice'])
    const sig = await fetch(`http://127.0.0.1:${port}/api/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`)
    expect([sig.status, sig.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8'])
  })
})

/** A raw HTTP/1.1 client on one socket: what was received, split into responses. */
function rawSocket(port: number) {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  let closed = false
  socket.setEncoding('latin1')
  socket.on('data', (chunk) => (received += chunk))
  socket.on('error', () => {})
  socket.on('close', () => (closed = true))
  const statuses = () => [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]))
  return {
    socket,
    statuses,
    text: () => received,
    closed: () => closed,
    /** Waits until `n` responses arrived or the socket closed, at most `ms`. */
    async until(n: number, ms = 4000) {
      const end = Date.now() + ms
      while (statuses().length < n && !closed && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
      return statuses()
    },
  }
}

describe('a node:http server speaking to raw sockets', () => {
  let port: number
  beforeAll(async () => {
    port = await listen(createServer(toNodeHandler(createChainToolbarHandlers(options({ basePath: '/api', bodyTimeoutMs: 400 })))))
  })

  const next = `GET /api/wecom/agent-signature?url=${encodeURIComponent(PAGE)} HTTP/1.1\r\nhost: x\r\n\r\n`
  const big = 'x'.repeat(256 * 1024)
  it.each([
    ['415', `POST /api/wecom/session HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: ${big.length}\r\n\r\n`, 415],
    ['413', `POST /api/wecom/session HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${big.length}\r\n\r\n`, 413],
    [
      '405',
      `PUT /api/wecom/agent-signature HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${big.length}\r\n\r\n`,
      405,
    ],
    ['404', `POST /api/nothing-here HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${big.length}\r\n\r\n`, 404],
  ])('keep-alive survives an early %s to a 256 KB body: the next request on the socket is answered', async (_, head, status) => {
    const raw = rawSocket(port)
    raw.socket.write(head)
    raw.socket.write(big)
    raw.socket.write(next)
    expect(await raw.until(2)).toEqual([status, 200])
    raw.socket.destroy()
  })

  it('a body too large to drain: the early answer says Connection: close and the socket is closed, not left stuck', async () => {
    const raw = rawSocket(port)
    raw.socket.write(
      `POST /api/wecom/session HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${64 * 1024 * 1024}\r\n\r\n`,
    )
    raw.socket.write(big)
    expect(await raw.until(1)).toEqual([413])
    expect(raw.text().toLowerCase()).toContain('connection: close')
    const end = Date.now() + 3000
    while (!raw.closed() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    expect(raw.closed()).toBe(true)
  })

  it('a body that stalls is answered 408 at the body-read deadline and the socket is closed', async () => {
    const raw = rawSocket(port)
    raw.socket.write('POST /api/wecom/session HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"code":')
    expect(await raw.until(1)).toEqual([408])
    expect(JSON.parse(raw.text().slice(raw.text().indexOf('\r\n\r\n') + 4)).error.code).toBe('REQUEST_TIMEOUT')
    const end = Date.now() + 3000
    while (!raw.closed() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    expect(raw.closed()).toBe(true)
  })

  it('a client that disconnects mid-body is no 500 and no error: one info-level log entry', async () => {
    const raw = rawSocket(port)
    raw.socket.write(
      'POST /api/wecom/session HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"code":"ab',
    )
    await new Promise((r) => setTimeout(r, 100))
    raw.socket.destroy()
    const end = Date.now() + 2000
    while (!logged.some((e) => e.event === 'client-aborted') && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    expect(logged.filter((e) => e.level === 'error')).toEqual([])
    expect(logged.filter((e) => e.event === 'client-aborted')).toEqual([expect.objectContaining({ level: 'info' })])
  })

  it('HEAD is answered where GET is (headers, no body); OPTIONS varies by Origin', async () => {
    const head = await fetch(`http://127.0.0.1:${port}/api/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`, { method: 'HEAD' })
    expect([head.status, await head.text(), head.headers.get('content-type')]).toEqual([200, '', 'application/json; charset=utf-8'])
    const preflight = await fetch(`http://127.0.0.1:${port}/api/wecom/session`, { method: 'OPTIONS', headers: { origin: ORIGIN } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('vary')).toMatch(/\bOrigin\b/i)
    const foreign = await fetch(`http://127.0.0.1:${port}/api/wecom/session`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.net' },
    })
    expect([foreign.headers.get('vary'), foreign.headers.get('access-control-allow-origin')]).toEqual(['Origin', null])
  })
})
