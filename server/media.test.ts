import express from 'express'
import fc from 'fast-check'
import Koa from 'koa'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChainToolbarHandlers, createChainToolbarServer, DEFAULT_MEDIA_LIMITS, toKoaMiddleware, toNodeHandler } from './index.mjs'
import { createFakeWeComApi, fakeMediaStatus, MEDIA_LIFETIME_MS } from './testing/fake-wecom.mjs'

// Temporary media end to end on 127.0.0.1: the fake WeCom API's media/upload (shape, limits, expiry), the companion's
// uploadMedia (checks before any byte is sent, dedup by content, one upload per content however many ask together)
// and POST /wecom/media mounted in real Express and Koa apps, fed the multipart body uni.uploadFile sends.
const SESSION_SECRET = 'media-test-session-secret-32-bytes!!!!'
const MB = 1024 * 1024

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0])
const MP4 = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32])
const AMR = Buffer.from('#!AMR\n', 'latin1')
const PDF = Buffer.from('%PDF-1.7\n', 'latin1')
/** `bytes` bytes starting with `magic`, the rest random (distinct content per call). */
const content = (magic: Buffer, bytes: number) => Buffer.concat([magic, randomBytes(Math.max(0, bytes - magic.length))])
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
/** This file's own spool folder (media.tmpDir), so a leftover is this file's, not another suite's. */
const spoolDir = mkdtempSync(join(tmpdir(), 'uct-media-test-'))
let clock = Date.now()
const now = () => clock
const servers: Server[] = []

beforeAll(async () => {
  fake = await createFakeWeComApi({ now })
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await fake.close()
  rmSync(spoolDir, { recursive: true, force: true })
})
beforeEach(() => {
  fake.calls.length = 0
})

/** media/upload calls that carried a whole file (not one dropped before its end, not one refused unread). */
const uploads = () => fake.calls.filter((c) => c.api === 'media/upload' && c.body?.parts?.length && !c.body.aborted)
/** Every media/upload request WeCom saw, dropped ones included. */
const requests = () => fake.calls.filter((c) => c.api === 'media/upload')
function server(extra: Record<string, unknown> = {}) {
  return createChainToolbarServer({
    ...fake.companion,
    allowedOrigins: ['https://app.example.com'],
    sessionSecret: SESSION_SECRET,
    now,
    media: { tmpDir: spoolDir },
    ...extra,
  })
}
async function listen(server: Server) {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A multipart body written by hand: each part's headers exactly as given. */
function multipart(parts: { headers: string[]; body: Buffer | string }[], boundary = 'test-boundary-0123') {
  const chunks: Buffer[] = []
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`))
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body))
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

describe("the fake WeCom API's media/upload", () => {
  let token: string
  beforeAll(async () => {
    token = await server().getAccessToken()
  })
  async function upload(type: string, parts: { headers: string[]; body: Buffer | string }[], accessToken = token) {
    const { body, contentType } = multipart(parts)
    const res = await fetch(`${fake.url}/cgi-bin/media/upload?access_token=${accessToken}&type=${type}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    })
    return res.json()
  }
  const media = (filename: string, contentType: string, body: Buffer) => ({
    headers: [`Content-Disposition: form-data; name="media"; filename="${filename}"; filelength=${body.length}`, `Content-Type: ${contentType}`],
    body,
  })

  it('takes one part named media with a filename and a content-type, and issues an id that lives 3 days', async () => {
    const bytes = content(PDF, 1000)
    const answer = await upload('file', [media('报价单.pdf', 'application/pdf', bytes)])
    expect(answer).toEqual({ errcode: 0, errmsg: 'ok', type: 'file', media_id: expect.any(String), created_at: String(Math.floor(clock / 1000)) })
    expect(fake.media.issued.get(answer.media_id)).toMatchObject({ filename: '报价单.pdf', size: 1000, sha256: sha256(bytes) })
    expect([fake.media.status(answer.media_id), fakeMediaStatus(answer.media_id), fakeMediaStatus('made-up')]).toEqual(['valid', 'valid', 'unknown'])
    fake.advanceClock(MEDIA_LIFETIME_MS)
    expect([fake.media.status(answer.media_id), fakeMediaStatus(answer.media_id)]).toEqual(['expired', 'expired'])
    fake.advanceClock(-MEDIA_LIFETIME_MS)
  })

  it.each([
    ['a part not named media', 'file', [{ headers: ['Content-Disposition: form-data; name="file"; filename="a.pdf"', 'Content-Type: application/pdf'], body: content(PDF, 100) }], 40058],
    ['no filename', 'file', [{ headers: ['Content-Disposition: form-data; name="media"', 'Content-Type: application/pdf'], body: content(PDF, 100) }], 40058],
    ['no content-type', 'file', [{ headers: ['Content-Disposition: form-data; name="media"; filename="a.pdf"'], body: content(PDF, 100) }], 40058],
    ['two parts', 'file', [media('a.pdf', 'application/pdf', content(PDF, 100)), media('b.pdf', 'application/pdf', content(PDF, 100))], 40058],
    ['a filelength that is not the size', 'file', [{ ...media('a.pdf', 'application/pdf', content(PDF, 100)), headers: ['Content-Disposition: form-data; name="media"; filename="a.pdf"; filelength=99', 'Content-Type: application/pdf'] }], 40006],
    ['5 bytes', 'file', [media('a.txt', 'text/plain', Buffer.from('12345'))], 40006],
    ['an image over 2 MB', 'image', [media('a.png', 'image/png', content(PNG, 2 * MB + 1))], 40009],
    ['an image that is no JPG or PNG', 'image', [media('a.gif', 'image/gif', content(Buffer.from('GIF89a'), 100))], 40004],
    ['a video over 10 MB', 'video', [media('a.mp4', 'video/mp4', content(MP4, 10 * MB + 1))], 40011],
    ['a voice that is no AMR', 'voice', [media('a.mp3', 'audio/mpeg', content(Buffer.from('ID3'), 100))], 40004],
    ['a file over 20 MB', 'file', [media('a.bin', 'application/octet-stream', content(PDF, 20 * MB + 1))], 40006],
    ['an unknown type', 'music', [media('a.pdf', 'application/pdf', content(PDF, 100))], 40005],
  ])('refuses %s like WeCom', async (_, type, parts, errcode) => {
    const answer = await upload(type as string, parts as any)
    expect(answer.errcode).toBe(errcode)
    expect(answer.media_id).toBeUndefined()
  })

  it('accepts files at each limit, and refuses a token it did not issue', async () => {
    expect((await upload('image', [media('a.jpg', 'image/jpeg', content(JPEG, 2 * MB))])).errcode).toBe(0)
    expect((await upload('voice', [media('a.amr', 'audio/amr', content(AMR, 2 * MB))])).errcode).toBe(0)
    expect((await upload('video', [media('a.mp4', 'video/mp4', content(MP4, 10 * MB))])).errcode).toBe(0)
    expect((await upload('file', [media('a.pdf', 'application/pdf', content(PDF, 6))])).errcode).toBe(0)
    expect((await upload('file', [media('a.pdf', 'application/pdf', content(PDF, 100))], 'not-a-token')).errcode).toBe(42001)
  })
})

describe('uploadMedia (for apps without HTTP)', () => {
  it.each([
    ['image', PNG, 'photo.png', 'image/png'],
    ['image', JPEG, 'photo.jpg', 'image/jpeg'],
    ['voice', AMR, 'note.amr', 'audio/amr'],
    ['video', MP4, 'demo.mp4', 'video/mp4'],
    ['file', PDF, '价目表.pdf', 'application/pdf'],
  ] as const)('%s %#: reaches media/upload as one part named media, its bytes intact', async (type, magic, name, contentType) => {
    const bytes = content(magic, 4096)
    const uploaded = await server().uploadMedia({ type, data: bytes, name, contentType: type === 'file' ? 'application/pdf' : undefined })
    expect(uploaded).toMatchObject({ type, name, size: 4096, sha256: sha256(bytes) })
    expect(uploaded.expiresAt).toBe(Math.floor(clock / 1000) * 1000 + MEDIA_LIFETIME_MS)
    expect(fake.media.status(uploaded.mediaid)).toBe('valid')
    expect(uploads().map((c) => c.body.parts)).toEqual([
      [{ name: 'media', filename: name, filelength: 4096, contentType, size: 4096, sha256: sha256(bytes) }],
    ])
  })

  it('refuses what breaks a limit before any byte is sent, naming the limit', async () => {
    const s = server()
    const cases: [any, string, object][] = [
      [{ type: 'image', data: content(PNG, DEFAULT_MEDIA_LIMITS.image + 1) }, 'PAYLOAD_TOO_LARGE', { type: 'image', maxBytes: 2 * MB }],
      [{ type: 'voice', data: content(AMR, 2 * MB + 1) }, 'PAYLOAD_TOO_LARGE', { type: 'voice', maxBytes: 2 * MB }],
      [{ type: 'video', data: content(MP4, 10 * MB + 1) }, 'PAYLOAD_TOO_LARGE', { type: 'video', maxBytes: 10 * MB }],
      [{ type: 'file', data: content(PDF, 20 * MB + 1) }, 'PAYLOAD_TOO_LARGE', { type: 'file', maxBytes: 20 * MB }],
      [{ type: 'file', data: Buffer.from('12345') }, 'INVALID_REQUEST', { type: 'file', minBytes: 6 }],
      [{ type: 'image', data: content(Buffer.from('GIF89a'), 500) }, 'UNSUPPORTED_MEDIA_TYPE', { type: 'image', accepts: ['jpeg', 'png'] }],
      [{ type: 'video', data: content(PNG, 500) }, 'UNSUPPORTED_MEDIA_TYPE', { type: 'video', accepts: ['mp4'] }],
      [{ type: 'voice', data: content(MP4, 500) }, 'UNSUPPORTED_MEDIA_TYPE', { type: 'voice', accepts: ['amr'] }],
    ]
    for (const [input, code, limit] of cases) {
      await expect(s.uploadMedia(input), `${input.type} ${code}`).rejects.toMatchObject({ code, limit })
    }
    await expect(s.uploadMedia({ type: 'gif' as any, data: content(PNG, 100) })).rejects.toMatchObject({ code: 'INVALID_REQUEST' })
    expect(requests().map((c) => JSON.stringify(c.query) + JSON.stringify(c.body))).toEqual([])
    // No spool is left behind.
    expect(readdirSync(spoolDir)).toEqual([])
  })

  it('the image limit is configurable (WeCom gives 2 MB or 10 MB): 3 MB passes with limits.image = 10 MB', async () => {
    const roomy = await createFakeWeComApi({ imageMaxBytes: 10 * MB })
    try {
      const s = createChainToolbarServer({ ...roomy.companion, allowedOrigins: ['https://app.example.com'], media: { limits: { image: 10 * MB } } })
      const uploaded = await s.uploadMedia({ type: 'image', data: content(JPEG, 3 * MB) })
      expect(roomy.media.status(uploaded.mediaid)).toBe('valid')
    } finally {
      await roomy.close()
    }
  })

  it('the same bytes get the same id while it is valid; another type, another file name, or an id near expiry uploads again', async () => {
    const s = server()
    const bytes = content(PNG, 2000)
    const first = await s.uploadMedia({ type: 'image', data: bytes })
    const again = await s.uploadMedia({ type: 'image', data: Buffer.from(bytes), name: 'other.png' })
    expect(again.mediaid).toBe(first.mediaid)
    expect(uploads()).toHaveLength(1)
    // The second was streamed on while it arrived and dropped before its end once its hash was known: no second id.
    const end = Date.now() + 2000
    while (requests().some((c) => !c.body) && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
    expect(requests().map((c) => Boolean(c.body.aborted))).toEqual([false, true])
    expect([...fake.media.issued.values()].filter((m) => m.sha256 === sha256(bytes))).toHaveLength(1)
    const pdf = content(PDF, 2000)
    const quote = await s.uploadMedia({ type: 'file', data: pdf, name: 'quote.pdf' })
    expect((await s.uploadMedia({ type: 'file', data: pdf, name: 'quote.pdf' })).mediaid).toBe(quote.mediaid)
    // A file's name is what the chat shows: the same bytes under another name are another upload.
    expect((await s.uploadMedia({ type: 'file', data: pdf, name: 'quote-v2.pdf' })).mediaid).not.toBe(quote.mediaid)
    expect(uploads()).toHaveLength(3)
    // Within the margin (6 h by default) of the id's 3 days, the content is uploaded again.
    clock += MEDIA_LIFETIME_MS - 6 * 60 * 60 * 1000 + 1000
    try {
      const later = await s.uploadMedia({ type: 'image', data: bytes })
      expect(later.mediaid).not.toBe(first.mediaid)
      expect(fake.media.status(later.mediaid)).toBe('valid')
      expect(uploads()).toHaveLength(4)
    } finally {
      clock = Date.now()
    }
  })

  it('a token WeCom rejects mid-way is refreshed and the spooled upload sent again', async () => {
    const s = server()
    await s.getAccessToken()
    fake.revokeTokens()
    const uploaded = await s.uploadMedia({ type: 'video', data: content(MP4, 300_000) })
    expect(fake.media.status(uploaded.mediaid)).toBe('valid')
    // The request streamed with the old token is refused (42001), the token refreshed, the spool sent.
    expect(requests().map((c) => c.body?.parts?.[0]?.size ?? null)).toEqual([null, 300_000])
  })

  it('a WeCom that stops reading the early request: it is dropped after a 2 s stall and the spool sent instead', async () => {
    fake.hang('media/upload', 1)
    const chunk = randomBytes(64 * 1024)
    // 20 MB: more than the early request's window and the loopback socket's buffers can take without WeCom reading.
    async function* source() {
      for (let i = 0; i < 320; i++) yield i === 0 ? Buffer.concat([PDF, chunk.subarray(PDF.length)]) : chunk
    }
    const s = server({ media: { tmpDir: spoolDir, uploadTimeoutMs: 8000 } })
    const uploaded = await s.uploadMedia({ type: 'file', data: source(), name: 'catalogue.pdf' })
    expect([uploaded.size, fake.media.status(uploaded.mediaid)]).toEqual([20 * MB, 'valid'])
    expect(uploads().map((c) => c.body.parts[0].filelength)).toEqual([20 * MB])
    expect(requests()).toHaveLength(2)
  })

  it('streams: a readable of 20 MB in 64 KB chunks is uploaded whole', async () => {
    const chunk = randomBytes(64 * 1024)
    const hash = createHash('sha256')
    async function* source() {
      for (let i = 0; i < 320; i++) {
        const bytes = i === 0 ? Buffer.concat([PDF, chunk.subarray(PDF.length)]) : chunk
        hash.update(bytes)
        yield bytes
      }
    }
    const uploaded = await server().uploadMedia({ type: 'file', data: source(), name: 'big.bin' })
    expect(uploaded.size).toBe(20 * MB)
    expect(fake.media.issued.get(uploaded.mediaid)?.sha256).toBe(hash.digest('hex'))
  })

  it('one upload per content however many ask together (fast-check scheduler over the order callers start in)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 8 }), async (s, picks) => {
        const contents = [content(PNG, 3000), content(JPEG, 3000), content(PNG, 3000)]
        const companion = server()
        fake.calls.length = 0
        // Each caller starts when the scheduler lets it; the uploads themselves run over real HTTP.
        const results = picks.map((pick) => s.schedule(Promise.resolve(pick)).then((i) => companion.uploadMedia({ type: 'image', data: contents[i] })))
        await s.waitAll()
        const ids = await Promise.all(results)
        const distinct = new Set(picks)
        if (uploads().length !== distinct.size) return false
        for (const pick of distinct) {
          const same = ids.filter((_, i) => picks[i] === pick).map((r) => r.mediaid)
          if (new Set(same).size !== 1) return false
        }
        return new Set(ids.map((r) => r.mediaid)).size === distinct.size
      }),
      { numRuns: 15 },
    )
  })

  it('a refused upload is shared only by the callers waiting on it; the next caller uploads (fast-check scheduler)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 6 }), async (s, callers) => {
        const bytes = content(PNG, 3000)
        const companion = server()
        fake.calls.length = 0
        const issuedBefore = fake.media.issued.size
        fake.fail('media/upload', 45009, 1) // WeCom's rate limit, once
        const results = Array.from({ length: callers }, () =>
          s.schedule(Promise.resolve()).then(() => companion.uploadMedia({ type: 'image', data: bytes }).then((r) => r.mediaid, (e) => e.code)),
        )
        await s.waitAll()
        const answers = await Promise.all(results)
        const ids = new Set(answers.filter((a) => a !== 'RATE_LIMITED'))
        // Each caller: the refusal, or the one id of an upload that succeeded. The uploads run over real HTTP,
        // outside the scheduler's order: a caller may start its own upload beside the refused one (the same
        // bytes are known the same only once hashed) and the refused caller then gets that upload's id.
        if (ids.size > 1) return false
        const next = await companion.uploadMedia({ type: 'image', data: bytes })
        if (ids.size === 1 && !ids.has(next.mediaid)) return false
        // One id issued in all: the refusal was not kept as one, and the upload after it was made once.
        return fake.media.status(next.mediaid) === 'valid' && fake.media.issued.size - issuedBefore === 1
      }),
      { numRuns: 15 },
    )
  })
})

describe('POST /wecom/media in a real Express app', () => {
  let base: string
  let token: string
  let companion: ReturnType<typeof createChainToolbarHandlers>
  beforeAll(async () => {
    companion = createChainToolbarHandlers({
      ...fake.companion,
      allowedOrigins: ['https://app.example.com'],
      sessionSecret: SESSION_SECRET,
      now,
      rateLimits: { media: { limit: 25, windowMs: 60_000 } },
      media: { limits: { image: 1 * MB }, tmpDir: spoolDir },
    })
    const app = express()
    app.use('/api', toNodeHandler(companion))
    base = await listen(createServer(app))
    fake.addCode('media-alice', 'alice')
    token = (await companion.server.exchangeCode('media-alice')).token
  })

  /** What uni.uploadFile sends: the file part (named `file` unless told), and formData fields. */
  function uploadFile(bytes: Buffer, fields: Record<string, string>, filename = 'upload.bin', auth = token, mime = 'application/octet-stream') {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    form.append('file', new Blob([bytes], { type: mime }), filename)
    return fetch(`${base}/api/wecom/media`, { method: 'POST', headers: auth ? { authorization: `Bearer ${auth}` } : {}, body: form })
  }

  it('a file from uni.uploadFile → { mediaid, expiresAt }; the name field is what WeCom gets', async () => {
    const bytes = content(PDF, 50_000)
    const res = await uploadFile(bytes, { type: 'file', name: '报价单 2026.pdf' }, 'tmp_8a7f.pdf', token, 'application/pdf')
    expect(res.status).toBe(200)
    const answer = await res.json()
    expect(answer).toEqual({ mediaid: expect.any(String), expiresAt: Math.floor(clock / 1000) * 1000 + MEDIA_LIFETIME_MS })
    expect(fake.media.issued.get(answer.mediaid)).toMatchObject({ filename: '报价单 2026.pdf', contentType: 'application/pdf', sha256: sha256(bytes) })
    // The same bytes again: the same id, no second upload.
    const again = await (await uploadFile(bytes, { type: 'file', name: '报价单 2026.pdf' })).json()
    expect([again.mediaid, uploads().length]).toEqual([answer.mediaid, 1])
  })

  it('fields after the file part, and ?type= in the query, are read too', async () => {
    const bytes = content(JPEG, 20_000)
    const { body, contentType } = multipart([
      { headers: ['Content-Disposition: form-data; name="file"; filename="photo.jpg"', 'Content-Type: image/jpeg'], body: bytes },
      { headers: ['Content-Disposition: form-data; name="type"'], body: 'image' },
    ])
    const res = await fetch(`${base}/api/wecom/media`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body })
    expect(res.status).toBe(200)
    const viaQuery = await fetch(`${base}/api/wecom/media?type=image`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: multipart([{ headers: ['Content-Disposition: form-data; name="file"; filename="p.jpg"', 'Content-Type: image/jpeg'], body: content(JPEG, 900) }]).body,
    })
    expect(viaQuery.status).toBe(200)
  })

  it('413 and 415 name the limit, and WeCom issues nothing', async () => {
    const issuedBefore = fake.media.issued.size
    const big = await uploadFile(content(PNG, 1 * MB + 1), { type: 'image' })
    expect([big.status, await big.json()]).toEqual([
      413,
      { error: { code: 'PAYLOAD_TOO_LARGE', message: 'An image may be at most 1048576 bytes', limit: { type: 'image', maxBytes: MB } } },
    ])
    // Whatever was streamed on while it arrived (the declared length was within the limit and the framing) was cut
    // at the limit and its request dropped before the end.
    const end = Date.now() + 2000
    while (requests().some((c) => !c.body) && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
    expect(requests().filter((c) => !c.body?.aborted)).toEqual([])
    expect(fake.media.issued.size).toBe(issuedBefore)
    fake.calls.length = 0
    // Type named after the file: the file is capped at the largest limit, then checked against its own.
    const { body, contentType } = multipart([
      { headers: ['Content-Disposition: form-data; name="file"; filename="a.png"', 'Content-Type: image/png'], body: content(PNG, 1 * MB + 1) },
      { headers: ['Content-Disposition: form-data; name="type"'], body: 'image' },
    ])
    const late = await fetch(`${base}/api/wecom/media`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body })
    expect([late.status, (await late.json()).error.limit]).toEqual([413, { type: 'image', maxBytes: MB }])
    const fake415 = await uploadFile(Buffer.from('<html>not an image</html>'), { type: 'image' }, 'a.png', token, 'image/png')
    expect([fake415.status, (await fake415.json()).error]).toEqual([
      415,
      { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'An image must be a JPG or PNG image; the content is not', limit: { type: 'image', accepts: ['jpeg', 'png'] } },
    ])
    expect(requests()).toEqual([])
    // No spool is left behind.
    expect(readdirSync(spoolDir)).toEqual([])
  })

  it('with streamWhileReceiving off, a file over its limit sends WeCom nothing at all', async () => {
    const strict = createChainToolbarHandlers({
      ...fake.companion,
      allowedOrigins: ['https://app.example.com'],
      sessionSecret: SESSION_SECRET,
      media: { limits: { image: 1 * MB }, streamWhileReceiving: false },
    })
    const strictBase = await listen(createServer(toNodeHandler(strict)))
    const form = new FormData()
    form.append('type', 'image')
    form.append('file', new Blob([content(PNG, 1 * MB + 1)], { type: 'image/png' }), 'a.png')
    const res = await fetch(`${strictBase}/wecom/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
    expect([res.status, requests()]).toEqual([413, []])
    const ok = new FormData()
    ok.append('type', 'image')
    ok.append('file', new Blob([content(PNG, 5000)], { type: 'image/png' }), 'a.png')
    const answer = await (await fetch(`${strictBase}/wecom/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: ok })).json()
    expect([fake.media.status(answer.mediaid), uploads().map((c) => c.body.parts[0].filelength)]).toEqual(['valid', [5000]])
  })

  it('a declared body far over the limit is answered 413 at once and the connection closed, not read', async () => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1')
    let received = ''
    let closed = false
    socket.on('data', (c) => (received += c)).on('close', () => (closed = true)).on('error', () => {})
    socket.write(
      `POST /api/wecom/media?type=video HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\n` +
        `content-type: multipart/form-data; boundary=b\r\ncontent-length: ${200 * MB}\r\n\r\n--b\r\n`,
    )
    const end = Date.now() + 4000
    while (!closed && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    expect(received).toMatch(/^HTTP\/1\.1 413/)
    expect(received.toLowerCase()).toContain('connection: close')
    expect(closed).toBe(true)
  })

  it('401 without a session, 403 for a member of another corp, 400 for no file, 405 for GET', async () => {
    expect((await uploadFile(content(PDF, 100), { type: 'file' }, 'a.pdf', '')).status).toBe(401)
    fake.state.codes.set('media-downstream', { userId: 'dora', corpId: 'wwdownstream0001' })
    const { token: downstream } = await companion.server.exchangeCode('media-downstream')
    expect((await uploadFile(content(PDF, 100), { type: 'file' }, 'a.pdf', downstream)).status).toBe(403)
    const form = new FormData()
    form.append('type', 'file')
    const none = await fetch(`${base}/api/wecom/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
    expect([none.status, (await none.json()).error.code]).toEqual([400, 'INVALID_REQUEST'])
    expect((await fetch(`${base}/api/wecom/media`)).status).toBe(405)
    expect(requests()).toEqual([])
  })

  it('rate limited per member: 429 with Retry-After past the limit', async () => {
    fake.addCode('media-carol', 'carol')
    const { token: carol } = await companion.server.exchangeCode('media-carol')
    const bytes = content(PDF, 200)
    const statuses: number[] = []
    for (let i = 0; i < 26; i++) statuses.push((await uploadFile(bytes, { type: 'file' }, 'a.pdf', carol)).status)
    expect(statuses.slice(0, 25).every((s) => s === 200)).toBe(true)
    const last = await uploadFile(bytes, { type: 'file' }, 'a.pdf', carol)
    expect([last.status, Number(last.headers.get('retry-after')) > 0]).toEqual([429, true])
    expect(uploads()).toHaveLength(1) // 25 answers, one upload
  })
})

describe('a WeCom that requires filelength (unconfirmed)', () => {
  it('refuses the early request, which has none; the spool is sent with it, and the app is told in its log', async () => {
    const strictWeCom = await createFakeWeComApi({ requireFileLength: true })
    const logged: any[] = []
    try {
      const handlers = createChainToolbarHandlers({
        ...strictWeCom.companion,
        allowedOrigins: ['https://app.example.com'],
        authorizeMedia: () => true,
        media: { tmpDir: spoolDir },
        log: (entry: any) => logged.push(entry),
      })
      const base = await listen(createServer(toNodeHandler(handlers)))
      const form = new FormData()
      form.append('type', 'file')
      form.append('file', new Blob([content(PDF, 3 * MB)], { type: 'application/pdf' }), 'catalogue.pdf')
      const res = await fetch(`${base}/wecom/media`, { method: 'POST', body: form })
      const answer = await res.json()
      expect([res.status, strictWeCom.media.status(answer.mediaid)]).toEqual([200, 'valid'])
      const seen = strictWeCom.calls.filter((c) => c.api === 'media/upload').map((c) => c.body.parts[0].filelength ?? null)
      expect(seen).toEqual([null, 3 * MB])
      expect(logged.filter((e) => e.event === 'media-early-refused')).toEqual([expect.objectContaining({ level: 'warn', errcode: 40006 })])
    } finally {
      await strictWeCom.close()
    }
  })
})

describe('POST /wecom/media over Web Request / Response (handlers.handle, handlers.media)', () => {
  it('a multipart Request is answered like the node:http one', async () => {
    const handlers = createChainToolbarHandlers({
      ...fake.companion,
      allowedOrigins: ['https://app.example.com'],
      sessionSecret: SESSION_SECRET,
      now,
      authorizeMedia: (_request: Request, session: unknown) => session === null,
    })
    const bytes = content(PDF, 30_000)
    const form = () => {
      const f = new FormData()
      f.append('type', 'file')
      f.append('name', 'web.pdf')
      f.append('file', new Blob([bytes], { type: 'application/pdf' }), 'tmp.pdf')
      return f
    }
    const viaHandle = await handlers.handle(new Request('http://localhost/wecom/media', { method: 'POST', body: form() }))
    const answer = await viaHandle.json()
    expect([viaHandle.status, fake.media.issued.get(answer.mediaid)?.sha256]).toEqual([200, sha256(bytes)])
    const viaMedia = await handlers.media(new Request('http://localhost/anything', { method: 'POST', body: form() }))
    expect((await viaMedia.json()).mediaid).toBe(answer.mediaid)
  })
})

describe('POST /wecom/media in a real Koa app, with the H5 hook', () => {
  it('the app authorises by its own login; an upload is answered and other routes are untouched', async () => {
    const handlers = createChainToolbarHandlers({
      ...fake.companion,
      allowedOrigins: ['https://app.example.com'],
      now,
      authorizeMedia: (request: Request, session: unknown) => session === null && request.headers.get('cookie') === 'login=ok',
    })
    const app = new Koa()
    app.use(toKoaMiddleware(handlers))
    app.use(async (ctx) => {
      ctx.body = { path: ctx.path }
    })
    const base = await listen(createServer(app.callback()))
    const form = () => {
      const f = new FormData()
      f.append('type', 'video')
      f.append('file', new Blob([content(MP4, 70_000)], { type: 'video/mp4' }), 'demo.mp4')
      return f
    }
    const ok = await fetch(`${base}/wecom/media`, { method: 'POST', headers: { cookie: 'login=ok' }, body: form() })
    const answer = await ok.json()
    expect([ok.status, fake.media.status(answer.mediaid)]).toEqual([200, 'valid'])
    const refused = await fetch(`${base}/wecom/media`, { method: 'POST', body: form() })
    expect(refused.status).toBe(403)
    expect(await (await fetch(`${base}/orders`)).json()).toEqual({ path: '/orders' })
  })
})

describe("WeCom's errors from media/upload", () => {
  // Its own fake: faults switched on here stay here.
  let wecom: Awaited<ReturnType<typeof createFakeWeComApi>>
  beforeAll(async () => {
    wecom = await createFakeWeComApi()
  })
  afterAll(() => wecom.close())
  beforeEach(() => {
    wecom.heal()
    wecom.fail('media/upload', 0, 0)
    wecom.calls.length = 0
  })
  const sent = () => wecom.calls.filter((c) => c.api === 'media/upload')

  it('the fake answers media/upload with an injected setup fault, as WeCom words it', async () => {
    const token = await createChainToolbarServer({ ...wecom.companion, allowedOrigins: ['https://app.example.com'] }).getAccessToken()
    const { body, contentType } = multipart([
      { headers: ['Content-Disposition: form-data; name="media"; filename="a.pdf"', 'Content-Type: application/pdf'], body: content(PDF, 100) },
    ])
    const post = async () =>
      (await fetch(`${wecom.url}/cgi-bin/media/upload?access_token=${token}&type=file`, { method: 'POST', headers: { 'content-type': contentType }, body })).json()
    wecom.inject('untrusted-ip')
    const refused = await post()
    expect([refused.errcode, refused.media_id]).toEqual([60020, undefined])
    expect(refused.errmsg).toMatch(/^not allow to access from your ip, hint: \[\d+\], from ip: 127\.0\.0\.1/)
    wecom.heal('untrusted-ip')
    expect((await post()).errcode).toBe(0)
  })

  describe.each([
    ['streamed on while it arrives', true],
    ['spooled, then sent', false],
  ])('through POST /wecom/media, %s', (_, streamWhileReceiving) => {
    let base: string
    beforeAll(async () => {
      const handlers = createChainToolbarHandlers({
        ...wecom.companion,
        allowedOrigins: ['https://app.example.com'],
        authorizeMedia: () => true,
        rateLimits: false,
        log: false,
        media: { tmpDir: spoolDir, streamWhileReceiving },
      })
      base = await listen(createServer(toNodeHandler(handlers)))
    })
    async function post(bytes: Buffer) {
      const form = new FormData()
      form.append('type', 'file')
      form.append('name', 'price-list.pdf')
      form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'tmp_1.pdf')
      const res = await fetch(`${base}/wecom/media`, { method: 'POST', body: form })
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }
    }
    /** The same bytes once WeCom is well again: a new, valid id (the failure was not remembered for them). */
    async function thenUploaded(bytes: Buffer) {
      wecom.heal()
      wecom.calls.length = 0
      const again = await post(bytes)
      expect([again.status, wecom.media.status(again.body.mediaid), sent().length]).toEqual([200, 'valid', 1])
    }

    it("60020 (the server's IP is not trusted): 500 CONFIG_ERROR naming the fix, sent once, nothing remembered", async () => {
      const bytes = content(PDF, 300_000)
      wecom.inject('untrusted-ip')
      const refused = await post(bytes)
      expect([refused.status, refused.body.error.code, sent().length]).toEqual([500, 'CONFIG_ERROR', 1])
      expect(refused.body.error.message).toMatch(/trusted IPs/)
      await thenUploaded(bytes)
    })

    it("45009 (WeCom's rate limit): 429 RATE_LIMITED with Retry-After, not sent again, nothing remembered", async () => {
      const bytes = content(PDF, 300_000)
      wecom.fail('media/upload', 45009, 1)
      const refused = await post(bytes)
      expect([refused.status, refused.body.error.code, Number(refused.retryAfter) > 0, sent().length]).toEqual([429, 'RATE_LIMITED', true, 1])
      await thenUploaded(bytes)
    })

    it('-1 (WeCom busy): 502 UPSTREAM_ERROR, not sent again, nothing remembered', async () => {
      const bytes = content(PDF, 300_000)
      wecom.fail('media/upload', -1, 1)
      const refused = await post(bytes)
      expect([refused.status, refused.body.error.code, sent().length]).toEqual([502, 'UPSTREAM_ERROR', 1])
      await thenUploaded(bytes)
    })

    it('42001 (token expired): the token is refreshed and the file sent once more', async () => {
      const tokensBefore = wecom.count('gettoken')
      wecom.fail('media/upload', 42001, 1)
      const bytes = content(PDF, 300_000)
      const answer = await post(bytes)
      expect([answer.status, wecom.media.status(answer.body.mediaid)]).toEqual([200, 'valid'])
      expect([sent().length, wecom.count('gettoken') - tokensBefore]).toEqual([2, 1])
      expect(wecom.media.issued.get(answer.body.mediaid)?.sha256).toBe(sha256(bytes))
    })

    it('a token rejected again after its refresh: 502 TOKEN_INVALID after one refresh and one more try', async () => {
      const tokensBefore = wecom.count('gettoken')
      wecom.fail('media/upload', 42001, 5)
      const bytes = content(PDF, 300_000)
      const refused = await post(bytes)
      expect([refused.status, refused.body.error.code]).toEqual([502, 'TOKEN_INVALID'])
      expect([sent().length, wecom.count('gettoken') - tokensBefore]).toEqual([2, 1])
      wecom.fail('media/upload', 0, 0)
      await thenUploaded(bytes)
    })
  })
})
