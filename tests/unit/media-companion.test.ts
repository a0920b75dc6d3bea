// The kit's default uploader against the real server companion (POST /wecom/media on node:http, 127.0.0.1) and
// the fake WeCom API: a file, an image and a video shared from mini program temp paths, an image by URL. `uni` is
// a double that does what uni.uploadFile / uni.request / uni.getFileInfo do, over real HTTP; wx.qy is scripted.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
// @ts-expect-error -- plain JS for Node: its types (server/index.d.ts) are checked by the server's own suite
import { createChainToolbarHandlers, toNodeHandler } from '../../server/index.mjs'
import { createFakeWeComApi } from '../../server/testing/fake-wecom.mjs'
import { useShareToChat, type ChatMessage } from '../../index'
import { miniProgram, mountKit } from '../support/kit'
import { nodeFetch } from '../support/media-companion'

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const MP4 = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32])
const PDF = Buffer.from('%PDF-1.7\n', 'latin1')
const bytes = (magic: Buffer, size: number) => Buffer.concat([magic, randomBytes(size - magic.length)])

/** The part of the fake WeCom server API (plain JS) this test uses. */
interface FakeWeCom {
  companion: Record<string, unknown>
  calls: Array<{ api: string }>
  media: { status(id: string): string; issued: Map<string, { filename: string }> }
  addCode(code: string, userId: string): void
  close(): Promise<void>
}
let fake: FakeWeCom
const servers: Server[] = []
let endpoint = ''
let files = ''
let token = ''
let dir = ''
const listen = async (server: Server) => {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** POSTs `body` with node:http; answers { statusCode, data: text }. */
function post(url: string, headers: Record<string, string>, body: Buffer, onSent?: (fraction: number) => void) {
  return new Promise<{ statusCode: number; data: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let data = ''
      res.setEncoding('utf8').on('data', (chunk) => (data += chunk))
      res.on('end', () => resolve({ statusCode: res.statusCode!, data }))
    })
    req.on('error', reject)
    for (let at = 0; at < body.length; at += 64 * 1024) {
      req.write(body.subarray(at, at + 64 * 1024))
      onSent?.(Math.min(1, (at + 64 * 1024) / body.length))
    }
    req.end()
  })
}

/** What uni does on both hosts, over real HTTP: uploadFile (multipart, part `file`), request (JSON), getFileInfo. */
function stubUni() {
  const uploadFile = vi.fn((o: any) => {
    const listeners: Array<(r: { progress: number }) => void> = []
    const boundary = 'uni-' + randomBytes(8).toString('hex')
    const fields = Object.entries(o.formData as Record<string, string>).map(
      ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    )
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="${o.name}"; filename="${o.filePath.split('/').pop()}"\r\ncontent-type: application/octet-stream\r\n\r\n`
    const body = Buffer.concat([Buffer.from(fields.join('') + head), readFileSync(o.filePath), Buffer.from(`\r\n--${boundary}--\r\n`)])
    setTimeout(() =>
      post(o.url, { ...o.header, 'content-type': `multipart/form-data; boundary=${boundary}` }, body, (f) =>
        listeners.forEach((l) => l({ progress: Math.round(f * 100) })),
      ).then(o.success, (e) => o.fail({ errMsg: `uploadFile:fail ${e.message}` })),
    )
    return { onProgressUpdate: (l: (r: { progress: number }) => void) => listeners.push(l) }
  })
  const request_ = vi.fn((o: any) =>
    post(o.url, o.header, Buffer.from(JSON.stringify(o.data))).then(
      (r) => o.success({ statusCode: r.statusCode, data: JSON.parse(r.data) }),
      (e) => o.fail({ errMsg: `request:fail ${e.message}` }),
    ),
  )
  const getFileInfo = (o: any) => o.success({ size: statSync(o.filePath).size })
  vi.stubGlobal('uni', { uploadFile, request: request_, getFileInfo })
  return { uploadFile, request: request_ }
}

beforeAll(async () => {
  fake = (await createFakeWeComApi()) as unknown as FakeWeCom
  dir = mkdtempSync(join(tmpdir(), 'uct-media-'))
  const photo = bytes(PNG, 50_000)
  files = await listen(createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(photo)))
  const handlers = createChainToolbarHandlers({
    ...fake.companion,
    fetch: nodeFetch,
    allowedOrigins: ['https://app.example.com'],
    sessionSecret: 'media-companion-session-secret-32-bytes!',
    media: { fetchOrigins: [files], isAddressAllowed: (address: string) => address === '127.0.0.1' },
  })
  endpoint = (await listen(createServer(toNodeHandler(handlers)))) + '/wecom/media'
  fake.addCode('kit-alice', 'alice')
  token = (await handlers.server.exchangeCode('kit-alice')).token
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

const uploads = () => fake.calls.filter((c) => c.api === 'media/upload').length

describe('the default uploader through the server companion, against the fake WeCom API', () => {
  it('shares a file, an image and a video from temp paths; the second share of the file uploads nothing', async () => {
    const net = stubUni()
    const paths = { file: join(dir, 'tmp_quote.pdf'), image: join(dir, 'tmp_photo.png'), video: join(dir, 'tmp_clip.mp4') }
    writeFileSync(paths.file, bytes(PDF, 300_000))
    writeFileSync(paths.image, bytes(PNG, 120_000))
    writeFileSync(paths.video, bytes(MP4, 400_000))
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22' })
    const { consumers } = mountKit(
      { host: mp.host, media: { endpoint, headers: async () => ({ Authorization: `Bearer ${token}` }), storage: false } },
      useShareToChat,
    )
    const share = consumers[0]
    await vi.waitFor(() => expect(share.isSupported.value).toBe(true))
    const seen: number[] = []
    const { watch } = await import('vue')
    const off = watch(share.progress, (p) => p !== null && seen.push(p))
    const messages: ChatMessage[] = [
      { msgtype: 'file', file: { path: paths.file, name: '报价单.pdf' } },
      { msgtype: 'image', image: { path: paths.image } },
      { msgtype: 'video', video: { path: paths.video } },
    ]
    for (const message of messages) await share.share(message)
    off()
    const sent = mp.calls.filter((c) => c.api === 'sendChatMessage').map((c) => c.params as Record<string, { mediaid: string }>)
    expect(sent.map((m) => (m as unknown as { msgtype: string }).msgtype)).toEqual(['file', 'image', 'video'])
    const ids = sent.map((m, i) => m[messages[i].msgtype].mediaid)
    for (const id of ids) expect(fake.media.status(id)).toBe('valid')
    const issued = ids.map((id) => fake.media.issued.get(id))
    expect(issued.map((i) => i?.filename)).toEqual(['报价单.pdf', 'tmp_photo.png', 'tmp_clip.mp4'])
    expect(seen.length).toBeGreaterThan(0)
    expect(net.uploadFile).toHaveBeenCalledTimes(3)

    const before = uploads()
    await share.share(messages[0])
    expect(uploads()).toBe(before)
    expect(net.uploadFile).toHaveBeenCalledTimes(3)
    expect(mp.calls.filter((c) => c.api === 'sendChatMessage')[3].params).toEqual({ msgtype: 'file', file: { mediaid: ids[0] } })
  })

  it('shares an image by URL: the companion fetches it from an allowed origin', async () => {
    const net = stubUni()
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host, media: { endpoint, headers: { Authorization: `Bearer ${token}` }, storage: false } }, useShareToChat)
    await vi.waitFor(() => expect(consumers[0].isSupported.value).toBe(true))
    await consumers[0].share({ msgtype: 'image', image: { url: `${files}/static/product-x1.png` } })
    expect(net.request).toHaveBeenCalledTimes(1)
    const params = mp.calls.find((c) => c.api === 'sendChatMessage')!.params as { image: { mediaid: string } }
    expect(fake.media.status(params.image.mediaid)).toBe('valid')
    expect(fake.media.issued.get(params.image.mediaid)?.filename).toBe('product-x1.png')
  })

  it("a file over WeCom's 20 MB is refused before uni.uploadFile is called", async () => {
    const net = stubUni()
    const big = join(dir, 'tmp_big.zip')
    writeFileSync(big, Buffer.alloc(20 * 1024 * 1024 + 1, 1))
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host, media: { endpoint, storage: false } }, useShareToChat)
    await vi.waitFor(() => expect(consumers[0].isSupported.value).toBe(true))
    await expect(consumers[0].share({ msgtype: 'file', file: { path: big } })).rejects.toMatchObject({ code: 'INVALID_MESSAGE' })
    expect(net.uploadFile).not.toHaveBeenCalled()
    expect(mp.calls.filter((c) => c.api === 'sendChatMessage')).toEqual([])
  })
})
