// The activation as a scope (issue 12): the right chat, exactly once, under session renewal, re-signing,
// hangs and chat switches. Each test reproduces one defect of the issue (numbered as there), on the real
// mini program adapter over a scripted wx.qy and/or the real @wecom/jssdk over a scripted WeixinJSBridge.
import { createApp, defineComponent } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ChainToolbarError,
  createChainToolbar,
  createWebHost,
  useChainChat,
  useChainContact,
  useChainToolbarStore,
  useEntry,
  useShareToChat,
  type ChainHost,
} from '../../index'
import { codeForHostText, toHostError } from '../../src/host/errors'
import { appEvents, miniProgram, mountKit, sleep, thrownIn } from '../support/kit'
import { enterWeComBrowser, WECOM_UA } from '../support/scripted-bridge'

const SIGNATURE = { timestamp: 1414587457, nonceStr: 'Wm3WZYTPz0wzccnW', signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' }
const TEXT = { msgtype: 'text', text: { content: 'hello' } } as const
const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } }
const ordinaryUA = navigator.userAgent
const SESSION_EXPIRED = (api: string) => `qy__${api}:fail session expired`

/** Waits for `check` to pass (the first SDK load of a test file can take a while on a busy machine). */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000 })
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error) => error as ChainToolbarError)
/** A promise the test settles. */
function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

/** The web host on the real SDK over a scripted bridge (a fresh SDK module per test: it reads the user agent once). */
function web(script: Parameters<typeof enterWeComBrowser>[1] = {}, overrides: Record<string, unknown> = {}) {
  const bridge = enterWeComBrowser(WECOM_UA, script)
  const getSignature = vi.fn(async (_url: string) => SIGNATURE)
  const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getSignature, ...overrides } as any)
  return { bridge, host, getSignature }
}

beforeEach(() => vi.resetModules())
afterEach(() => {
  Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
  delete (window as any).WeixinJSBridge
  history.replaceState(null, '', '/')
})

describe('wrong chat / twice', () => {
  it('1. mini program: a send that failed for the session is not retried once the chat changed during the login', async () => {
    const events = appEvents()
    const exchange = deferred()
    const mp = miniProgram({ entry: 'single_chat_tools', version: '4.1.22' }, { exchangeCode: () => exchange.promise, app: events })
    const { consumers } = mountKit({ host: mp.host }, () => ({ entry: useEntry(), share: useShareToChat() }))
    await until(() => expect(consumers[0].entry.entry.value).toBe('single_chat_tools'))
    mp.state.fail = { sendChatMessage: SESSION_EXPIRED('sendChatMessage') }
    const shared = failure(consumers[0].share.share(TEXT))
    await until(() => expect(mp.count('login')).toBe(1)) // the send failed for the session: logging in
    await until(() => expect(mp.exchangeCode).toHaveBeenCalled())
    mp.state.fail = {}
    mp.state.entry = 'group_chat_tools' // the page is shown from another chat
    events.cycle()
    exchange.resolve()
    expect((await shared)?.code).toBe('CANCELLED')
    await sleep(5)
    expect(mp.count('sendChatMessage')).toBe(1) // only the one that failed in chat A
  })

  it('1. H5: a send held by the SDK for a new agentConfig (route change) is not sent once the chat changed', async () => {
    const { bridge, host, getSignature } = web({ entry: 'single_chat_tools' })
    const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), share: useShareToChat() }))
    await until(() => expect(consumers[0].entry.entry.value).toBe('single_chat_tools'))
    history.pushState(null, '', '/pages/other') // the SDK signs again for the new URL
    const signed = deferred<typeof SIGNATURE>()
    getSignature.mockImplementationOnce(() => signed.promise)
    const shared = failure(consumers[0].share.share(TEXT))
    await until(() => expect(getSignature).toHaveBeenCalledTimes(2))
    void consumers[0].entry.refresh() // a new activation: the page shown from another chat
    signed.resolve(SIGNATURE)
    expect((await shared)?.code).toBe('CANCELLED')
    await sleep(10)
    expect(bridge.count('sendChatMessage')).toBe(0)
  })

  it('2. mini program: a share started while another call logs in again is sent once', async () => {
    const exchange = deferred()
    const mp = miniProgram(chainSingle, { exchangeCode: () => exchange.promise })
    const { consumers } = mountKit({ host: mp.host }, () => ({ entry: useEntry(), contact: useChainContact(), share: useShareToChat() }))
    await until(() => expect(consumers[0].contact.contact.value).not.toBeNull())
    mp.state.fail = { getCurCorpGroupContact: SESSION_EXPIRED('getCurCorpGroupContact') }
    void consumers[0].contact.refresh()
    await until(() => expect(mp.exchangeCode).toHaveBeenCalled())
    mp.state.fail = {}
    const shared = consumers[0].share.share(TEXT)
    await sleep(5)
    exchange.resolve()
    await shared
    expect(mp.count('sendChatMessage')).toBe(1)
  })
})

describe('hangs that nothing recovered from', () => {
  for (const step of ['checkSession', 'login', 'exchangeCode']) {
    it(`3. mini program: a ${step} that hangs once does not leave the activation stuck`, async () => {
      let hangExchange = step === 'exchangeCode'
      const mp = miniProgram(
        { ...chainSingle, sessionValid: step === 'checkSession', hang: step === 'exchangeCode' ? [] : [step] },
        { exchangeCode: () => (hangExchange ? new Promise(() => {}) : undefined) },
      )
      if (step === 'login') mp.state.sessionValid = false
      mp.exchangeCode.mockImplementation(async () => {
        if (hangExchange) return new Promise(() => {})
        mp.state.sessionValid = true
      })
      const { consumers } = mountKit({ host: mp.host, timeoutMs: 40 }, () => ({ contact: useChainContact(), share: useShareToChat() }))
      await until(() => expect(consumers[0].contact.error.value?.code).toBe('TIMEOUT'))
      mp.state.hang = []
      hangExchange = false
      await sleep(50)
      await consumers[0].contact.refresh()
      expect(consumers[0].contact.error.value).toBeNull()
      expect(consumers[0].contact.contact.value).toEqual(chainSingle.contact)
      await consumers[0].share.share(TEXT)
    })
  }

  it('4. H5: a getSignature that hangs once does not leave the page stuck', async () => {
    const hung = new Promise<never>(() => {})
    const { host, getSignature } = web({ entry: 'chain_single_chat_tools' }, { timeoutMs: 40 })
    getSignature.mockImplementationOnce(() => hung)
    const { consumers } = mountKit({ host, timeoutMs: 40 }, () => ({ entry: useEntry(), contact: useChainContact() }))
    await until(() => expect(consumers[0].contact.error.value?.code).toBe('TIMEOUT'))
    await sleep(50)
    await consumers[0].contact.refresh()
    expect(consumers[0].contact.error.value).toBeNull()
    expect(consumers[0].contact.contact.value).toEqual({ corpId: 'wwcorp', userId: 'zhangsan' })
  })

  it('5. mini program: a getSystemInfo that never answers does not hold the entry back', async () => {
    const events = appEvents()
    const mp = miniProgram({ ...chainSingle, hang: ['getSystemInfo'] }, { app: events })
    const { consumers } = mountKit({ host: mp.host, timeoutMs: 60_000 }, useEntry)
    await until(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    events.cycle()
    await until(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    expect(consumers[0].error.value).toBeNull()
  })

  for (const timeoutMs of [Infinity, 2 ** 31, 1e12]) {
    it(`6. timeoutMs ${timeoutMs} is no deadline, not an immediate TIMEOUT (both hosts)`, async () => {
      const mp = miniProgram(chainSingle)
      const onMp = mountKit({ host: mp.host, timeoutMs }, () => ({ contact: useChainContact(), share: useShareToChat() }))
      await until(() => expect(onMp.consumers[0].contact.contact.value).toEqual(chainSingle.contact))
      await onMp.consumers[0].share.share(TEXT)
      const { host } = web({ entry: 'chain_single_chat_tools' }, { timeoutMs })
      const onWeb = mountKit({ host, timeoutMs }, useChainContact)
      await until(() => expect(onWeb.consumers[0].contact.value).toEqual({ corpId: 'wwcorp', userId: 'zhangsan' }))
      expect(onWeb.consumers[0].error.value).toBeNull()
    })
  }
})

describe('session bookkeeping', () => {
  it('7. mini program: one exchangeCode at a time per app, also when the app is shown again during it', async () => {
    const events = appEvents()
    let inFlight = 0
    let most = 0
    const exchanges: Array<{ resolve: () => void }> = []
    const mp = miniProgram({ ...chainSingle, sessionValid: false }, {
      app: events,
      exchangeCode: async () => {
        most = Math.max(most, ++inFlight)
        const exchange = deferred()
        exchanges.push(exchange)
        await exchange.promise.finally(() => inFlight--)
      },
    })
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await until(() => expect(exchanges).toHaveLength(1))
    events.cycle() // app show during the exchange
    await sleep(10)
    mp.state.sessionValid = true
    for (const exchange of [...exchanges].reverse()) exchange.resolve()
    await until(() => expect(consumers[0].contact.value).toEqual(chainSingle.contact))
    expect(most).toBe(1)
    expect(mp.exchangeCode).toHaveBeenCalledTimes(1)
  })

  it('8. mini program: a session failure answered for an older activation costs the new one nothing', async () => {
    const events = appEvents()
    const mp = miniProgram({ ...chainSingle, defer: ['getContext'] }, { app: events })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await until(() => expect(mp.held('getContext')).toBe(1))
    events.cycle()
    await until(() => expect(mp.held('getContext')).toBe(2))
    mp.release('getContext', SESSION_EXPIRED('getContext')) // the older activation's call
    await sleep(10)
    mp.release('getContext')
    await until(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    await sleep(10)
    expect(mp.count('login')).toBe(0)
    expect(mp.count('getContext')).toBe(2) // one per activation
  })
})

describe('state and lifecycle', () => {
  it('9. one plugin on two apps: unmounting the first keeps the second app listening for app show', async () => {
    const events = appEvents()
    const mp = miniProgram(chainSingle, { app: events })
    const plugin = createChainToolbar({ host: mp.host })
    const mount = () => {
      const seen: Array<ReturnType<typeof useChainContact>> = []
      const app = createApp(defineComponent({ setup: () => (seen.push(useChainContact()), () => null) }))
      app.use(createPinia()).use(plugin).mount(document.createElement('div'))
      return { app, contact: seen[0] }
    }
    const first = mount()
    const second = mount()
    await until(() => expect(second.contact.contact.value).toEqual(chainSingle.contact))
    first.app.unmount()
    mp.state.contact = { corpId: 'wwother', userId: 'wangwu' }
    events.cycle()
    await until(() => expect(second.contact.contact.value).toEqual({ corpId: 'wwother', userId: 'wangwu' }))
    second.app.unmount()
    expect(events.listeners).toBe(0)
  })

  it("10. a persisted or hydrated state does not show the last launch's context, and $patch cannot fake an entry", async () => {
    const mp = miniProgram({ entry: 'normal', version: '4.1.22', defer: ['getContext'] })
    const consumers: Array<{
      contact: ReturnType<typeof useChainContact>
      chat: ReturnType<typeof useChainChat>
      share: ReturnType<typeof useShareToChat>
      entry: ReturnType<typeof useEntry>
    }> = []
    const app = createApp(defineComponent({
      setup() {
        consumers.push({ contact: useChainContact(), chat: useChainChat(), share: useShareToChat(), entry: useEntry() })
        return () => null
      },
    }))
    const pinia = createPinia()
    // What SSR hydration or a persisted-state plugin restores before the store is made.
    pinia.state.value['chain-toolbar'] = {
      entry: 'chain_single_chat_tools',
      contact: { corpId: 'wwold', userId: 'old' },
      chatId: 'wrold',
      clientVersion: '4.1.22',
    }
    app.use(pinia).use(createChainToolbar({ host: mp.host })).mount(document.createElement('div'))
    const [c] = consumers
    expect(c.entry.entry.value).toBeNull()
    expect(c.contact.contact.value).toBeNull()
    expect(c.contact.isSupported.value).toBe(false)
    expect(c.chat.chatId.value).toBeNull()
    expect(c.share.isSupported.value).toBe(false)
    await until(() => expect(mp.held('getContext')).toBe(1))
    mp.release('getContext')
    await until(() => expect(c.entry.entry.value).toBe('normal'))
    const store = useChainToolbarStore(pinia)
    store.$patch({ entry: 'chain_single_chat_tools', contact: { corpId: 'wwfake', userId: 'fake' } } as any)
    store.$state = { entry: 'chain_group_chat_tools', chatId: 'wrfake' } as any
    expect(c.entry.entry.value).toBe('normal')
    expect(c.contact.contact.value).toBeNull()
    expect(c.chat.chatId.value).toBeNull()
    expect(c.share.isSupported.value).toBe(false)
    app.unmount()
  })

  it('11. a Pinia the kit was never installed on, or an app without the plugin, throws instead of borrowing a host', async () => {
    const mp = miniProgram(chainSingle)
    mountKit({ host: mp.host }, useEntry) // another app has the kit
    const bare = createPinia()
    setActivePinia(bare)
    expect(() => useChainToolbarStore(bare)).toThrow('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
    expect(() => useChainToolbarStore(bare)).toThrow('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
    expect(String(thrownIn(useEntry))).toContain('app.use(createChainToolbar()) is missing')
  })

  for (const hostName of ['mini-program', 'web'] as const) {
    describe(`on the ${hostName} host`, () => {
      /** A host whose sendChatMessage and getContext answers the test releases. */
      function held(entry = 'chain_single_chat_tools', defer: string[] = []) {
        if (hostName === 'mini-program') {
          const mp = miniProgram({ ...chainSingle, entry, defer }, {})
          return {
            host: mp.host as ChainHost,
            release: (api: string, fail?: string) => mp.release(api, fail && `qy__${api}:fail ${fail}`),
            heldCount: mp.held,
            count: mp.count,
            set: (s: any) => Object.assign(mp.state, s),
          }
        }
        const w = web({ entry, defer })
        return {
          host: w.host as ChainHost,
          release: (api: string, fail?: string) => w.bridge.release(api, fail && `${api}:fail_${fail}`),
          heldCount: w.bridge.held,
          count: w.bridge.count,
          set: (s: any) => Object.assign(w.bridge.state, s),
        }
      }

      it('12. a share from chat A that fails after the switch does not show its error in chat B', async () => {
        const h = held('single_chat_tools', ['sendChatMessage'])
        const { consumers } = mountKit({ host: h.host }, () => ({ entry: useEntry(), share: useShareToChat() }))
        await until(() => expect(consumers[0].entry.entry.value).toBe('single_chat_tools'))
        const shared = failure(consumers[0].share.share(TEXT))
        await until(() => expect(h.heldCount('sendChatMessage')).toBe(1))
        await consumers[0].entry.refresh() // chat B
        h.release('sendChatMessage', 'no permission')
        expect((await shared)?.code).toBeTruthy()
        await sleep(5)
        expect(consumers[0].share.error.value).toBeNull()
      })

      it("13. a share started while the old activation's getContext is pending follows the new activation at once", async () => {
        const h = held('single_chat_tools', ['getContext'])
        const { consumers } = mountKit({ host: h.host, timeoutMs: 60_000 }, () => ({ entry: useEntry(), share: useShareToChat() }))
        await until(() => expect(h.heldCount('getContext')).toBe(1))
        const shared = failure(consumers[0].share.share(TEXT))
        void consumers[0].entry.refresh()
        const error = await Promise.race([shared, sleep(1000).then(() => 'still waiting')])
        expect((error as ChainToolbarError)?.code).toBe('CANCELLED')
        expect(h.count('sendChatMessage')).toBe(0)
      })

      it("14. an entry failure shows on the chain contact and chat with a retry", async () => {
        const h = held('chain_single_chat_tools')
        h.set({ fail: { getContext: hostName === 'web' ? 'getContext:fail_no permission' : 'qy__getContext:fail no permission' } })
        const { consumers } = mountKit({ host: h.host }, () => ({ contact: useChainContact(), chat: useChainChat() }))
        await until(() => expect(consumers[0].contact.error.value?.code).toBe('NO_PERMISSION'))
        expect(consumers[0].contact.isSupported.value).toBe(true) // the card renders, with the error and its retry
        expect(consumers[0].chat.error.value?.code).toBe('NO_PERMISSION')
        expect(consumers[0].chat.isSupported.value).toBe(true)
        h.set({ fail: {} })
        await consumers[0].contact.refresh()
        expect(consumers[0].contact.error.value).toBeNull()
        expect(consumers[0].contact.contact.value).not.toBeNull()
        expect(consumers[0].chat.isSupported.value).toBe(false) // a chain single chat: no group
        expect(consumers[0].chat.error.value).toBeNull()
      })
    })
  }
})

describe('error texts', () => {
  it('15. maps the texts that ended as HOST_ERROR, and keeps raw', () => {
    const cases: Array<[unknown, string]> = [
      [{ errMsg: 'qy__sendChatMessage:fail_no_permission' }, 'NO_PERMISSION'],
      [{ errMsg: 'qy__getCurCorpGroupChat:fail_function_not_exist' }, 'CLIENT_TOO_OLD'],
      [{ errMsg: 'sendChatMessage:fail_invalid_param' }, 'INVALID_MESSAGE'],
      [{ errMsg: 'getContext:fail_not_in_allow_list' }, 'NO_PERMISSION'],
      [{ errMsg: 'getContext:permission_denied' }, 'NO_PERMISSION'],
      [{ errMsg: 'agentConfig:fail_invalid_signature' }, 'NO_PERMISSION'],
      [{ err_msg: 'system:function_not_exist' }, 'CLIENT_TOO_OLD'],
      [{ errMsg: 'qy__getContext:fail access denied' }, 'NO_PERMISSION'],
      [{ err_msg: 'agentConfig:fail', err_code: 40093 }, 'NO_PERMISSION'],
      [{ errMsg: 'agentConfig:fail', errCode: 40093 }, 'NO_PERMISSION'],
    ]
    for (const [raw, code] of cases) {
      const error = toHostError('getContext', raw)
      expect([raw, error.code]).toEqual([raw, code])
      expect(error.raw).toBe(raw)
    }
    expect(codeForHostText('getContext:fail something else')).toBe('HOST_ERROR')
  })

  it('16. a message whose getter throws during validation is INVALID_MESSAGE, and nothing is sent', async () => {
    const mp = miniProgram({ entry: 'single_chat_tools', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    const message = {
      msgtype: 'text',
      get text(): { content: string } {
        throw new Error('boom')
      },
    }
    const error = await failure(consumers[0].share(message as any))
    expect(error?.code).toBe('INVALID_MESSAGE')
    expect(error?.api).toBeUndefined()
    expect(mp.count('sendChatMessage')).toBe(0)
  })
})
