import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChainToolbarHandlers, createChainToolbarServer, isBlockedAddress, toNodeHandler } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'

// Fetching media by URL is an SSRF surface. Every server here is on 127.0.0.1, which the default refuses: the tests
// that need to reach the file server allow exactly 127.0.0.1 (isAddressAllowed), and the first test proves the
// default does not. A DNS name is resolved by an injected lookup, so names can point anywhere without a DNS server.
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4000)])
const MB = 1024 * 1024

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
let files: Server
let filesPort: number
let filesOrigin: string
const seen: string[] = []
let hugeSent = 0
let hugeClosed = false
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>()
const onlyLoopbackForTests = (address: string) => address === '127.0.0.1'

beforeAll(async () => {
  fake = await createFakeWeComApi()
  files = createServer((req, res) => {
    seen.push(req.url ?? '')
    const route = routes.get(req.url ?? '')
    if (route) return route(req, res)
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', () => resolve()))
  filesPort = (files.address() as AddressInfo).port
  filesOrigin = `http://127.0.0.1:${filesPort}`
  routes.set('/quote.pdf', (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF.length }).end(PDF))
  routes.set('/moved', (_req, res) => res.writeHead(302, { location: '/quote.pdf' }).end())
  routes.set('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end())
  routes.set('/away', (_req, res) => res.writeHead(302, { location: `http://localhost:${filesPort}/quote.pdf` }).end())
  routes.set('/metadata', (_req, res) => res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end())
  routes.set('/slow', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pdf' })
    res.write(PDF.subarray(0, 100)) // then nothing: the body never ends
  })
  routes.set('/huge-declared', (_req, res) => res.writeHead(200, { 'content-length': String(30 * MB) }).end())
  routes.set('/huge-chunked', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    const chunk = Buffer.concat([PDF.subarray(0, 9), Buffer.alloc(64 * 1024 - 9)])
    hugeSent = 0
    const pump = () => {
      while (hugeSent < 200 * MB && !res.destroyed) {
        hugeSent += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      res.end()
    }
    res.once('close', () => (hugeClosed = true))
    pump()
  })
})
afterAll(async () => {
  files.closeAllConnections()
  await new Promise((r) => files.close(r))
  await fake.close()
})
beforeEach(() => {
  seen.length = 0
  fake.calls.length = 0
})

function server(media: Record<string, unknown>) {
  return createChainToolbarServer({ ...fake.companion, allowedOrigins: ['https://app.example.com'], media })
}
/** A lookup that resolves every name to `address` (and records the names asked). */
function lookupTo(address: string, asked: string[] = []) {
  return ((hostname: string, options: any, callback: any) => {
    asked.push(hostname)
    const family = address.includes(':') ? 6 : 4
    if (options?.all) callback(null, [{ address, family }])
    else callback(null, address, family)
  }) as any
}
/** media/upload calls that carried a whole file (not one dropped before its end). */
const uploads = () => fake.calls.filter((c) => c.api === 'media/upload' && c.body?.parts?.length && !c.body.aborted).length

describe('fetching media by URL', () => {
  it('the default refuses loopback: an allow-listed origin on 127.0.0.1 is never connected to', async () => {
    const s = server({ fetchOrigins: [filesOrigin] })
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/quote.pdf` })).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' })
    expect([seen, uploads()]).toEqual([[], 0])
  })

  it('with 127.0.0.1 allowed for the test, an allow-listed URL is fetched and uploaded, named after its path', async () => {
    const s = server({ fetchOrigins: [filesOrigin], isAddressAllowed: onlyLoopbackForTests })
    const uploaded = await s.uploadMedia({ type: 'file', url: `${filesOrigin}/quote.pdf` })
    expect([uploaded.name, uploaded.size, fake.media.status(uploaded.mediaid)]).toEqual(['quote.pdf', PDF.length, 'valid'])
    expect(seen).toEqual(['/quote.pdf'])
  })

  it('an origin not on the allow-list is refused before any connection; no allow-list refuses every URL', async () => {
    const s = server({ fetchOrigins: ['https://files.example.com'], isAddressAllowed: onlyLoopbackForTests })
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/quote.pdf` })).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' })
    await expect(server({}).uploadMedia({ type: 'file', url: `${filesOrigin}/quote.pdf` })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(s.uploadMedia({ type: 'file', url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' })
    expect(seen).toEqual([])
  })

  it.each([
    ['loopback', 'http://127.0.0.1:1/a.pdf'],
    ['loopback (IPv6)', 'http://[::1]:1/a.pdf'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:1/a.pdf'],
    ['private', 'http://10.0.0.8/a.pdf'],
    ['private 192.168', 'http://192.168.1.1/a.pdf'],
    ['link-local metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['CGNAT', 'http://100.100.100.200/latest/meta-data/'],
    ['unique local IPv6', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['unspecified', 'http://0.0.0.0:1/a.pdf'],
  ])('an IP literal that is %s is refused without connecting', async (_, url) => {
    const s = server({ fetchOrigins: () => true, fetchTimeoutMs: 2000 })
    await expect(s.uploadMedia({ type: 'file', url })).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' })
  })

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['fe80::1', 'link-local IPv6'],
  ])('a DNS name that resolves to %s (%s) is refused at connect time', async (address) => {
    const asked: string[] = []
    const origin = `http://files.example.test:${filesPort}`
    const s = server({ fetchOrigins: [origin], lookup: lookupTo(address, asked) })
    await expect(s.uploadMedia({ type: 'file', url: `${origin}/quote.pdf` })).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' })
    expect(asked).toEqual(['files.example.test'])
    expect(seen).toEqual([])
  })

  it('the connection goes to the address the guarded lookup gave (a name allowed to 127.0.0.1 in the test is fetched)', async () => {
    const origin = `http://files.example.test:${filesPort}`
    const s = server({ fetchOrigins: [origin], lookup: lookupTo('127.0.0.1'), isAddressAllowed: onlyLoopbackForTests })
    const uploaded = await s.uploadMedia({ type: 'file', url: `${origin}/quote.pdf` })
    expect([uploaded.size, seen]).toEqual([PDF.length, ['/quote.pdf']])
  })

  it('redirects: followed within the origin; off it (another host, the metadata address) refused; a loop capped', async () => {
    const s = server({ fetchOrigins: [filesOrigin, `http://localhost:${filesPort}`], isAddressAllowed: onlyLoopbackForTests })
    expect((await s.uploadMedia({ type: 'file', url: `${filesOrigin}/moved`, name: 'q.pdf' })).size).toBe(PDF.length)
    expect(seen).toEqual(['/moved', '/quote.pdf'])
    seen.length = 0
    // localhost is on the allow-list too, but a redirect never leaves the URL's own origin.
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/away` })).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' })
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/metadata` })).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' })
    expect(seen).toEqual(['/away', '/metadata'])
    seen.length = 0
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/loop` })).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'The URL redirected more than 3 times',
    })
    expect(seen).toHaveLength(4)
  })

  it('a body that stalls fails at the deadline (504), nothing uploaded', async () => {
    const s = server({ fetchOrigins: [filesOrigin], isAddressAllowed: onlyLoopbackForTests, fetchTimeoutMs: 400 })
    const started = Date.now()
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/slow` })).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(uploads()).toBe(0)
  })

  it("a body over the type's limit is refused: declared (before reading) or streamed (cut at the cap)", async () => {
    const s = server({ fetchOrigins: [filesOrigin], isAddressAllowed: onlyLoopbackForTests })
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/huge-declared` })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
    await expect(s.uploadMedia({ type: 'file', url: `${filesOrigin}/huge-chunked` })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      limit: { type: 'file', maxBytes: 20 * MB },
    })
    // The connection was cut at the cap: the source stopped sending long before its 200 MB.
    const end = Date.now() + 2000
    while (!hugeClosed && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
    expect(hugeClosed).toBe(true)
    expect(hugeSent).toBeLessThan(30 * MB)
    expect(uploads()).toBe(0)
  })

  it('callers asking for the same URL together share one fetch and one upload', async () => {
    const s = server({ fetchOrigins: [filesOrigin], isAddressAllowed: onlyLoopbackForTests })
    const results = await Promise.all(Array.from({ length: 6 }, () => s.uploadMedia({ type: 'file', url: `${filesOrigin}/quote.pdf` })))
    expect(new Set(results.map((r) => r.mediaid)).size).toBe(1)
    expect([seen, uploads()]).toEqual([['/quote.pdf'], 1])
  })

  it('over HTTP: POST /wecom/media { type, url } with a session', async () => {
    const handlers = createChainToolbarHandlers({
      ...fake.companion,
      allowedOrigins: ['https://app.example.com'],
      sessionSecret: 'media-fetch-session-secret-32-bytes!!!',
      media: { fetchOrigins: [filesOrigin], isAddressAllowed: onlyLoopbackForTests },
    })
    const http = createServer(toNodeHandler(handlers))
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()))
    try {
      fake.addCode('fetch-alice', 'alice')
      const { token } = await handlers.server.exchangeCode('fetch-alice')
      const post = (body: unknown) =>
        fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/wecom/media`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const ok = await post({ type: 'file', url: `${filesOrigin}/quote.pdf`, name: '报价单.pdf' })
      const answer = await ok.json()
      expect([ok.status, fake.media.issued.get(answer.mediaid)?.filename]).toEqual([200, '报价单.pdf'])
      const refused = await post({ type: 'file', url: 'http://169.254.169.254/latest/meta-data/' })
      expect([refused.status, (await refused.json()).error.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED'])
    } finally {
      http.closeAllConnections()
      await new Promise((r) => http.close(r))
    }
  })
})

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.0.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.251', true],
    ['255.255.255.255', true],
    ['::', true],
    ['::1', true],
    ['fe80::1%eth0', true],
    ['fd12:3456::1', true],
    ['ff02::1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:a00:1', true],
    ['64:ff9b::7f00:1', true],
    ['2002:7f00:1::1', true],
    ['93.184.215.14', false],
    ['::ffff:93.184.215.14', false],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', false],
    ['not-an-ip', true],
  ])('%s → %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked)
  })
})
