import { describe, expect, it, vi } from 'vitest'
import { ChainToolbarError, createOutsideHost, type ChatMessage } from '../../index'
import { appEvents, miniProgram, mountKit } from '../../tests/support/kit'
import { useShareToChat } from '.'

const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22' }
const text: ChatMessage = { msgtype: 'text', text: { content: '报价单已更新' } }

async function rejection(promise: Promise<unknown>): Promise<ChainToolbarError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ChainToolbarError)
    return error as ChainToolbarError
  }
  throw new Error('expected a rejection')
}

const valid: ChatMessage[] = [
  text,
  { msgtype: 'image', image: { mediaid: 'MEDIA1' } },
  { msgtype: 'video', video: { mediaid: 'MEDIA2' } },
  { msgtype: 'file', file: { mediaid: 'MEDIA3' } },
  {
    msgtype: 'news',
    news: { link: 'https://example.com/quote/42', title: 'Quote 42', desc: 'Spring prices', imgUrl: 'https://example.com/q.png' },
  },
  {
    msgtype: 'miniprogram',
    miniprogram: { appid: 'wx123', title: 'Order', imgUrl: 'http://example.com/cover.png', page: 'pages/order/index.html?id=7' },
  },
  { msgtype: 'text', text: { content: 'open the chat' }, enterChat: true },
]

const invalid: Array<[string, unknown]> = [
  ['null', null],
  ['a string', 'hello'],
  ['an array', [text]],
  ['an unknown msgtype', { msgtype: 'voice', voice: { mediaid: 'x' } }],
  ['a prototype key as msgtype', { msgtype: 'constructor' }],
  ['a msgtype only on the prototype', Object.create({ msgtype: 'text', text: { content: 'hi' } })],
  ['a body only on the prototype', Object.assign(Object.create({ text: { content: 'hi' } }), { msgtype: 'text' })],
  ['a missing body', { msgtype: 'text' }],
  ['an empty text', { msgtype: 'text', text: { content: '' } }],
  ['a non-string content', { msgtype: 'text', text: { content: 42 } }],
  ['an image without mediaid', { msgtype: 'image', image: {} }],
  ['a news item without imgUrl', { msgtype: 'news', news: { link: 'https://e.com', title: 't', desc: 'd' } }],
  ['a news item with an empty imgUrl', { msgtype: 'news', news: { link: 'https://e.com', title: 't', desc: 'd', imgUrl: '' } }],
  [
    'a news link that is not http(s)',
    { msgtype: 'news', news: { link: 'javascript:alert(1)', title: 't', desc: 'd', imgUrl: 'https://e.com/i.png' } },
  ],
  [
    'a mini program imgUrl that is not http(s)',
    { msgtype: 'miniprogram', miniprogram: { appid: 'wx1', title: 't', imgUrl: 'wxfile://tmp.png', page: 'pages/a.html' } },
  ],
  [
    'a mini program page not ending in .html',
    { msgtype: 'miniprogram', miniprogram: { appid: 'wx1', title: 't', imgUrl: 'https://e.com/i.png', page: 'pages/index/index' } },
  ],
  [
    'a mini program without appid',
    { msgtype: 'miniprogram', miniprogram: { title: 't', imgUrl: 'https://e.com/i.png', page: 'pages/a.html' } },
  ],
  ['a non-boolean enterChat', { msgtype: 'text', text: { content: 'x' }, enterChat: 'yes' }],
  ['a file with both a mediaid and a path', { msgtype: 'file', file: { mediaid: 'M', path: 'wxfile://tmp_a.pdf' } }],
  ['a file with a path and a url', { msgtype: 'file', file: { path: 'wxfile://tmp_a.pdf', url: 'https://e.com/a.pdf' } }],
  ['an image url that is not http(s)', { msgtype: 'image', image: { url: 'ftp://e.com/a.png' } }],
  ['an empty path', { msgtype: 'video', video: { path: '' } }],
  ['a blob that is not a Blob', { msgtype: 'file', file: { blob: 'bytes', name: 'a.pdf' } }],
  ['an empty display name', { msgtype: 'file', file: { path: 'wxfile://tmp_a.pdf', name: '' } }],
]

describe('useShareToChat', () => {
  it.each(valid.map((m) => [m.msgtype, m] as const))('sends a valid %s message as it is', async (_, message) => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    await vi.waitFor(() => expect(consumers[0].isSupported.value).toBe(true))
    await consumers[0].share(message)
    const sent = mp.calls.filter((c) => c.api === 'sendChatMessage')
    expect(sent).toHaveLength(1)
    expect(sent[0].params).toEqual(message)
    expect(consumers[0].error.value).toBeNull()
  })

  it.each(invalid)('refuses %s with INVALID_MESSAGE and sends nothing', async (_, message) => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    const error = await rejection(consumers[0].share(message as ChatMessage))
    expect(error.code).toBe('INVALID_MESSAGE')
    expect(consumers[0].error.value?.code).toBe('INVALID_MESSAGE')
    expect(mp.count('sendChatMessage')).toBe(0)
  })

  it('checks the message before the host: INVALID_MESSAGE outside WeCom too', async () => {
    const { consumers } = mountKit({ host: createOutsideHost() }, useShareToChat)
    expect((await rejection(consumers[0].share({ msgtype: 'text' } as ChatMessage))).code).toBe('INVALID_MESSAGE')
    expect((await rejection(consumers[0].share(text))).code).toBe('NOT_IN_WECOM')
    expect(consumers[0].isSupported.value).toBe(false)
  })

  it('refuses UNSUPPORTED_ENTRY where the entry cannot share, without calling the host', async () => {
    const mp = miniProgram({ entry: 'normal', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    expect((await rejection(consumers[0].share(text))).code).toBe('UNSUPPORTED_ENTRY')
    expect(consumers[0].isSupported.value).toBe(false)
    expect(mp.count('sendChatMessage')).toBe(0)
  })

  it.each(['single_chat_tools', 'group_chat_tools', 'chain_single_chat_tools', 'chain_group_chat_tools'])(
    'is supported on %s',
    async (entry) => {
      const mp = miniProgram({ entry, version: '4.1.22' })
      const { consumers } = mountKit({ host: mp.host }, useShareToChat)
      await vi.waitFor(() => expect(consumers[0].isSupported.value).toBe(true))
    },
  )

  it('sends one message at a time: a second share while one is in flight is BUSY and never reaches the host', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    await vi.waitFor(() => expect(consumers[0].isSupported.value).toBe(true))
    mp.state.latencyMs = 100
    const first = consumers[0].share(text)
    await vi.waitFor(() => expect(consumers[0].isSending.value).toBe(true), { interval: 1 })
    expect((await rejection(consumers[0].share(text))).code).toBe('BUSY')
    await first
    expect(consumers[0].isSending.value).toBe(false)
    expect(mp.count('sendChatMessage')).toBe(1)
    expect(consumers[0].error.value).toBeNull()
  })

  it('two shares started together while the entry loads: the host is called once', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    const results = await Promise.allSettled([consumers[0].share(text), consumers[0].share(text)])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(mp.count('sendChatMessage')).toBe(1)
  })

  it.each([
    ['qy__sendChatMessage:fail cancel', 'CANCELLED'],
    ['qy__sendChatMessage:fail no permission', 'NO_PERMISSION'],
    ['qy__sendChatMessage:fail without context of external contact', 'UNSUPPORTED_ENTRY'],
    ['qy__sendChatMessage:fail invalid imgUrl', 'INVALID_MESSAGE'],
  ])('rejects with the host failure "%s" as %s', async (textOfHost, code) => {
    const mp = miniProgram({ ...chainSingle, fail: { sendChatMessage: textOfHost } })
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    const error = await rejection(consumers[0].share(text))
    expect(error.code).toBe(code)
    expect(error.api).toBe('sendChatMessage')
    expect(consumers[0].error.value?.code).toBe(code)
    expect(consumers[0].isSending.value).toBe(false)
  })

  it('ends a hung send with TIMEOUT and can send again', async () => {
    const mp = miniProgram({ ...chainSingle, hang: ['sendChatMessage'] })
    const { consumers } = mountKit({ host: mp.host, timeoutMs: 30 }, useShareToChat)
    expect((await rejection(consumers[0].share(text))).code).toBe('TIMEOUT')
    expect(consumers[0].isSending.value).toBe(false)
    mp.state.hang = []
    await consumers[0].share(text)
    expect(consumers[0].error.value).toBeNull()
  })

  it('never shares into the next chat a message meant for the previous one', async () => {
    const events = appEvents()
    const mp = miniProgram({ ...chainSingle, latencyMs: 10 }, { app: events })
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    await vi.waitFor(() => expect(consumers[0].isSupported.value).toBe(true))
    events.cycle() // the page is now opened from another chat; the entry is read again
    const pending = consumers[0].share(text) // waits for the new activation's entry, then sends there
    await pending
    expect(mp.count('sendChatMessage')).toBe(1)
    // …but a share that began before the switch and was still waiting for the entry is cancelled.
    mp.state.latencyMs = 20
    events.cycle()
    const early = consumers[0].share(text)
    events.cycle()
    expect((await rejection(early)).code).toBe('CANCELLED')
    expect(mp.count('sendChatMessage')).toBe(1)
  })
})
