// Content a message names (a path, a URL, a Blob) is uploaded, kept and sent as a media id: through the real
// mini program adapter on a scripted wx.qy, with the uploader (the app's option) or the default one on a uni double.
import { describe, expect, it, vi } from 'vitest'
import { ChainToolbarError, type ChainToolbarOptions, type ChatMessage, type UploadMediaRequest } from '../../index'
import { appEvents, miniProgram, mountKit } from '../../tests/support/kit'
import { createUniStorage } from '../../tests/support/uni-storage'
import { useShareToChat } from '../../composables/useShareToChat'
import { MEDIA_CACHE_KEY } from './cache'

const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22' }
const MB = 1024 * 1024
const pdf: ChatMessage = { msgtype: 'file', file: { path: 'wxfile://tmp_quote.pdf', name: '报价单.pdf' } }

async function rejection(promise: Promise<unknown>): Promise<ChainToolbarError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ChainToolbarError)
    return error as ChainToolbarError
  }
  throw new Error('expected a rejection')
}

/** An uploader that issues MEDIA-1, MEDIA-2, … and records what it was asked. */
function uploader(answer?: (request: UploadMediaRequest, n: number) => unknown) {
  const requests: UploadMediaRequest[] = []
  const upload = vi.fn(async (request: UploadMediaRequest) => {
    requests.push(request)
    return ((await answer?.(request, requests.length)) as never) ?? { mediaid: `MEDIA-${requests.length}`, expiresAt: Date.now() + 3 * 864e5 }
  })
  return { upload, requests }
}

/** uni.getFileInfo answering `sizes[path]`, and no storage (the tests give theirs). */
function stubFiles(sizes: Record<string, number>) {
  const getFileInfo = vi.fn(({ filePath, success, fail }) =>
    filePath in sizes ? success({ size: sizes[filePath] }) : fail({ errMsg: 'getFileInfo:fail' }),
  )
  vi.stubGlobal('uni', { getFileInfo })
  return getFileInfo
}

type Script = Parameters<typeof miniProgram>[0]
async function kit(options: ChainToolbarOptions, script: Script = chainSingle, extra: Parameters<typeof miniProgram>[1] = {}) {
  const mp = miniProgram(script, extra)
  const { consumers } = mountKit({ host: mp.host, ...options }, useShareToChat)
  await vi.waitFor(() => expect(consumers[0].isSupported.value).toBe(true))
  const sent = () => mp.calls.filter((c) => c.api === 'sendChatMessage').map((c) => c.params)
  return { mp, share: consumers[0], sent }
}

describe('sharing content a message names', () => {
  it('uploads a path, then sends only its media id', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    const { upload, requests } = uploader()
    const { share, sent } = await kit({ uploadMedia: upload, media: { storage: false } })
    await share.share(pdf)
    expect(requests).toEqual([expect.objectContaining({ type: 'file', path: 'wxfile://tmp_quote.pdf', name: '报价单.pdf', size: 120_000 })])
    expect(sent()).toEqual([{ msgtype: 'file', file: { mediaid: 'MEDIA-1' } }])
  })

  it('uploads the same content once while its id is valid, also on the next launch (storage)', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    const storage = createUniStorage()
    const { upload } = uploader()
    const first = await kit({ uploadMedia: upload, media: { storage } })
    await first.share.share(pdf)
    await first.share.share(pdf)
    expect(upload).toHaveBeenCalledTimes(1)
    expect(first.sent()).toEqual([{ msgtype: 'file', file: { mediaid: 'MEDIA-1' } }, { msgtype: 'file', file: { mediaid: 'MEDIA-1' } }])
    expect(storage.data.has(MEDIA_CACHE_KEY)).toBe(true)
    const next = await kit({ uploadMedia: upload, media: { storage } })
    await next.share.share(pdf)
    expect(upload).toHaveBeenCalledTimes(1)
    expect(next.sent()).toEqual([{ msgtype: 'file', file: { mediaid: 'MEDIA-1' } }])
  })

  it('uploads again once the id is within 6 hours of its expiry; another name is other content', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    const { upload } = uploader(() => ({ mediaid: 'SHORT', expiresAt: Date.now() + 5 * 36e5 }))
    const { share } = await kit({ uploadMedia: upload, media: { storage: false } })
    await share.share(pdf)
    await share.share(pdf)
    expect(upload).toHaveBeenCalledTimes(2)
    const ok = uploader()
    const other = await kit({ uploadMedia: ok.upload, media: { storage: false } })
    await other.share.share(pdf)
    await other.share.share({ msgtype: 'file', file: { path: 'wxfile://tmp_quote.pdf', name: 'quote-v2.pdf' } })
    expect(ok.upload).toHaveBeenCalledTimes(2)
  })

  it('keys a Blob by identity: the same File twice is one upload, an equal copy is another', async () => {
    const bytes = new Uint8Array(64)
    const photo = new File([bytes], 'product.png', { type: 'image/png' })
    const { upload, requests } = uploader()
    const { share } = await kit({ uploadMedia: upload, media: { storage: false } })
    await share.share({ msgtype: 'image', image: { blob: photo } })
    await share.share({ msgtype: 'image', image: { blob: photo } })
    await share.share({ msgtype: 'image', image: { blob: new File([bytes], 'product.png', { type: 'image/png' }) } })
    expect(upload).toHaveBeenCalledTimes(2)
    expect(requests[0]).toMatchObject({ type: 'image', name: 'product.png', size: 64 })
  })

  it.each([
    ['an image over 2 MB', { msgtype: 'image', image: { blob: new File([new Uint8Array(2 * MB + 1)], 'a.png', { type: 'image/png' }) } }, /at most 2097152 bytes/],
    ['a GIF image', { msgtype: 'image', image: { blob: new File([new Uint8Array(64)], 'a.gif', { type: 'image/gif' }) } }, /JPG or PNG/],
    ['a video that is not MP4', { msgtype: 'video', video: { blob: new File([new Uint8Array(64)], 'a.mov', { type: 'video/quicktime' }) } }, /MP4/],
    ['a file of 5 bytes', { msgtype: 'file', file: { blob: new Blob(['12345']), name: 'five.txt' } }, /larger than 5 bytes/],
    ['a path of 21 MB (uni.getFileInfo)', { msgtype: 'file', file: { path: 'wxfile://tmp_big.zip' } }, /at most 20971520 bytes/],
    ['a path of 11 MB video', { msgtype: 'video', video: { path: 'wxfile://tmp_clip.mp4' } }, /at most 10485760 bytes/],
    ['a .webp path as an image', { msgtype: 'image', image: { path: 'wxfile://tmp_a.webp' } }, /JPG or PNG/],
  ])('refuses %s with INVALID_MESSAGE naming the limit, before a byte is sent', async (_, message, limit) => {
    stubFiles({ 'wxfile://tmp_big.zip': 21 * MB, 'wxfile://tmp_clip.mp4': 11 * MB, 'wxfile://tmp_a.webp': 100 })
    const { upload } = uploader()
    const { share, sent } = await kit({ uploadMedia: upload, media: { storage: false } })
    const error = await rejection(share.share(message as ChatMessage))
    expect(error.code).toBe('INVALID_MESSAGE')
    expect(error.message).toMatch(limit)
    expect(upload).not.toHaveBeenCalled()
    expect(sent()).toEqual([])
  })

  it('takes a larger image limit from media.limits', async () => {
    const { upload } = uploader()
    const { share } = await kit({ uploadMedia: upload, media: { storage: false, limits: { image: 10 * MB } } })
    await share.share({ msgtype: 'image', image: { blob: new File([new Uint8Array(3 * MB)], 'a.jpg', { type: 'image/jpeg' }) } })
    expect(upload).toHaveBeenCalledTimes(1)
  })

  it('exposes the upload progress, then null', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    let finish!: () => void
    const { upload } = uploader(
      (request) =>
        new Promise((resolve) => {
          request.onProgress(0.25)
          finish = () => resolve({ mediaid: 'M' })
        }),
    )
    const { share } = await kit({ uploadMedia: upload, media: { storage: false } })
    expect(share.progress.value).toBeNull()
    const pending = share.share(pdf)
    await vi.waitFor(() => expect(share.progress.value).toBe(0.25))
    expect(share.isSending.value).toBe(true)
    finish()
    await pending
    expect(share.progress.value).toBeNull()
  })

  it('bounds the upload by media.timeoutMs (TIMEOUT from uploadMedia), not by timeoutMs', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    const { upload } = uploader(() => new Promise((resolve) => setTimeout(() => resolve({ mediaid: 'LATE' }), 80)))
    const slow = await kit({ uploadMedia: upload, timeoutMs: 20, media: { storage: false, timeoutMs: 500 } })
    await slow.share.share(pdf) // longer than timeoutMs, within the upload's own deadline
    expect(slow.sent()).toEqual([{ msgtype: 'file', file: { mediaid: 'LATE' } }])
    const hung = await kit({ uploadMedia: () => new Promise(() => {}), media: { storage: false, timeoutMs: 30 } })
    const error = await rejection(hung.share.share(pdf))
    expect([error.code, error.api]).toEqual(['TIMEOUT', 'uploadMedia'])
    expect(hung.sent()).toEqual([])
  })

  it('a chat switch during the upload: CANCELLED, nothing sent into the new chat, the upload kept for the next share', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    const events = appEvents()
    let finish!: () => void
    const { upload } = uploader(() => new Promise((resolve) => (finish = () => resolve({ mediaid: 'KEPT' }))))
    const { share, sent } = await kit({ uploadMedia: upload, media: { storage: false } }, chainSingle, { app: events })
    const pending = share.share(pdf)
    await vi.waitFor(() => expect(upload).toHaveBeenCalledTimes(1))
    events.cycle() // opened from another chat
    const next = share.share(pdf) // the same content in the new chat joins the upload in flight
    finish()
    expect((await rejection(pending)).code).toBe('CANCELLED')
    await next
    expect(upload).toHaveBeenCalledTimes(1)
    expect(sent()).toEqual([{ msgtype: 'file', file: { mediaid: 'KEPT' } }])
  })

  it('a media id the host refuses at send time is uploaded again once, then sent', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    let sends = 0
    const { upload } = uploader()
    const script = { ...chainSingle, deliver: (api: string, respond: (f?: string) => void) => respond(api === 'sendChatMessage' && !sends++ ? 'qy__sendChatMessage:fail invalid media_id' : undefined) }
    const { share, sent } = await kit({ uploadMedia: upload, media: { storage: false } }, script)
    await share.share(pdf)
    expect(upload).toHaveBeenCalledTimes(2)
    expect(sent()).toEqual([{ msgtype: 'file', file: { mediaid: 'MEDIA-1' } }, { msgtype: 'file', file: { mediaid: 'MEDIA-2' } }])
  })

  it('…and fails when the new id is refused too, without a third upload', async () => {
    stubFiles({ 'wxfile://tmp_quote.pdf': 120_000 })
    const { upload } = uploader()
    const { share, sent } = await kit({ uploadMedia: upload, media: { storage: false } }, { ...chainSingle, fail: { sendChatMessage: 'qy__sendChatMessage:fail invalid media_id' } })
    const error = await rejection(share.share(pdf))
    expect(error.message).toMatch(/invalid media_id/)
    expect(upload).toHaveBeenCalledTimes(2)
    expect(sent()).toHaveLength(2)
  })

  it('a mediaid message is sent as it is, never uploaded', async () => {
    const { upload } = uploader()
    const { share, sent } = await kit({ uploadMedia: upload }, { ...chainSingle, fail: { sendChatMessage: 'qy__sendChatMessage:fail invalid media_id' } })
    await rejection(share.share({ msgtype: 'image', image: { mediaid: 'OLD' } }))
    expect(upload).not.toHaveBeenCalled()
    expect(sent()).toHaveLength(1)
  })
})

describe('the default uploader (the server companion, docs/media.md)', () => {
  function stubNetwork(answer: { statusCode: number; data: unknown }) {
    const progress: Array<(r: { progress: number }) => void> = []
    const uploadFile = vi.fn((options) => {
      setTimeout(() => {
        progress.forEach((fn) => fn({ progress: 50 }))
        setTimeout(() => options.success(answer), 30)
      })
      return { onProgressUpdate: (fn: (r: { progress: number }) => void) => progress.push(fn) }
    })
    const request = vi.fn((options) => setTimeout(() => options.success({ ...answer, data: typeof answer.data == 'string' ? JSON.parse(answer.data) : answer.data })))
    vi.stubGlobal('uni', { uploadFile, request, getFileInfo: ({ success }: any) => success({ size: 120_000 }) })
    return { uploadFile, request }
  }
  const media = { endpoint: 'https://app.example.com/api/wecom/media', headers: async () => ({ Authorization: 'Bearer s1' }), storage: false as const }

  it('sends a path with uni.uploadFile (part `file`, fields type and name, the headers) and reads its text answer', async () => {
    const { uploadFile } = stubNetwork({ statusCode: 200, data: JSON.stringify({ mediaid: 'SRV-1', expiresAt: Date.now() + 3 * 864e5 }) })
    const { share, sent } = await kit({ media })
    const pending = share.share(pdf)
    await vi.waitFor(() => expect(share.progress.value).toBe(0.5), { interval: 1 })
    await pending
    expect(uploadFile).toHaveBeenCalledWith(
      expect.objectContaining({
        url: media.endpoint,
        filePath: 'wxfile://tmp_quote.pdf',
        name: 'file',
        formData: { type: 'file', name: '报价单.pdf' },
        header: { Authorization: 'Bearer s1' },
      }),
    )
    expect(sent()).toEqual([{ msgtype: 'file', file: { mediaid: 'SRV-1' } }])
  })

  it('asks the server to fetch a URL with uni.request { type, url, name }', async () => {
    const { request } = stubNetwork({ statusCode: 200, data: { mediaid: 'SRV-2', expiresAt: Date.now() + 3 * 864e5 } })
    const { share, sent } = await kit({ media })
    await share.share({ msgtype: 'image', image: { url: 'https://files.example.com/p/phone.jpg?v=2' } })
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ method: 'POST', data: { type: 'image', url: 'https://files.example.com/p/phone.jpg?v=2', name: 'phone.jpg' } }))
    expect(sent()).toEqual([{ msgtype: 'image', image: { mediaid: 'SRV-2' } }])
  })

  it("turns the server's 413 into INVALID_MESSAGE with its message, and sends nothing", async () => {
    stubNetwork({ statusCode: 413, data: JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'A file may be at most 20971520 bytes' } }) })
    const { share, sent } = await kit({ media })
    const error = await rejection(share.share(pdf))
    expect([error.code, error.api]).toEqual(['INVALID_MESSAGE', 'uploadMedia'])
    expect(error.message).toMatch(/at most 20971520 bytes/)
    expect(sent()).toEqual([])
  })

  it('without media.endpoint nor uploadMedia: INVALID_MESSAGE saying so', async () => {
    stubNetwork({ statusCode: 200, data: '{}' })
    const { share } = await kit({ media: { storage: false } })
    expect((await rejection(share.share(pdf))).message).toMatch(/media\.endpoint/)
  })
})
