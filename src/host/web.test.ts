// The H5 host on the real @wecom/jssdk, driven through a scripted WeixinJSBridge in happy-dom.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useChainContact, useChainChat, useEntry, useShareToChat, createWebHost, ChainToolbarError } from '../../index'
import { mountKit, sleep } from '../../tests/support/kit'
import { enterWeComBrowser, WECOM_UA } from '../../tests/support/scripted-bridge'

const signature = { timestamp: 1414587457, nonceStr: 'Wm3WZYTPz0wzccnW', signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' }
const ordinaryUA = navigator.userAgent

function webHost(overrides: Partial<Parameters<typeof createWebHost>[0]> = {}) {
  const getSignature = vi.fn(async (_url: string) => signature)
  const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getSignature, ...overrides })
  return { host, getSignature }
}

beforeEach(() => {
  // The SDK captures the user agent when its module is evaluated (docs/wecom-host.md §3): a fresh module per test.
  vi.resetModules()
})
afterEach(() => {
  Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
  delete (window as any).WeixinJSBridge
})

describe('web host (@wecom/jssdk)', () => {
  it('registers the app identity, then reads entry and chain contact: agentConfig → getContext → getCurCorpGroupContact', async () => {
    const wecom = enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', contact: { corpId: 'wwdown', userId: 'lisi' } })
    const { host, getSignature } = webHost()
    const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), contact: useChainContact() }))
    const { entry, contact } = consumers[0]
    expect(entry.isWeCom.value).toBe(true)
    expect(entry.clientVersion.value).toBe('4.1.22') // parsed from the user agent
    await vi.waitFor(() => expect(contact.contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' }))
    expect(wecom.order()).toEqual(['agentConfig', 'getContext', 'getCurCorpGroupContact'])
    const agentConfig = wecom.calls[0].params
    expect(agentConfig).toMatchObject({
      corpid: 'wwupstream',
      agentid: '1000002',
      timestamp: '1414587457',
      nonceStr: signature.nonceStr,
      signature: signature.signature,
    })
    expect(agentConfig.jsApiList).toEqual(expect.arrayContaining(['getContext', 'getCurCorpGroupContact', 'sendChatMessage']))
    expect(getSignature).toHaveBeenCalledTimes(1)
    expect(getSignature.mock.calls[0][0]).toBe(location.href.split('#')[0])
  })

  it('asks for the signature while the SDK chunk is still loading (one round trip less), and only once', async () => {
    const wecom = enterWeComBrowser(WECOM_UA, { entry: 'normal' })
    const { getSignature } = webHost()
    let signedBeforeSdkLoaded = false
    const host = createWebHost({
      corpId: 'wwupstream',
      agentId: 1000002,
      getSignature,
      sdk: async () => {
        await sleep(30) // the lazy chunk on the network
        signedBeforeSdkLoaded = getSignature.mock.calls.length === 1
        return (await import('./wecom-sdk')) as any
      },
    })
    const { consumers } = mountKit({ host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('normal'))
    expect(signedBeforeSdkLoaded).toBe(true)
    expect(getSignature).toHaveBeenCalledTimes(1)
    expect(wecom.count('agentConfig')).toBe(1)
  })

  it('reads the group chat and shares into it', async () => {
    const wecom = enterWeComBrowser(WECOM_UA, { entry: 'chain_group_chat_tools', chatId: 'wrGROUP' })
    const { host } = webHost()
    const { consumers } = mountKit({ host }, () => ({ chat: useChainChat(), share: useShareToChat() }))
    await vi.waitFor(() => expect(consumers[0].chat.chatId.value).toBe('wrGROUP'))
    await consumers[0].share.share({
      msgtype: 'news',
      news: { link: 'https://e.com/q', title: 'Quote', desc: 'd', imgUrl: 'https://e.com/i.png' },
      enterChat: true,
    })
    const sent = wecom.calls.find((c) => c.name === 'sendChatMessage')!
    expect(sent.params).toMatchObject({ msgtype: 'news', enterChat: true, news: { title: 'Quote' } })
  })

  it('never loads the SDK in an ordinary browser, and nothing waits', async () => {
    const sdk = vi.fn()
    const host = createWebHost({ corpId: 'ww', agentId: 1, getSignature: () => signature, sdk })
    const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), share: useShareToChat() }))
    expect(consumers[0].entry.isWeCom.value).toBe(false)
    expect(consumers[0].entry.isLoading.value).toBe(false)
    expect(((await consumers[0].share.share({ msgtype: 'text', text: { content: 'x' } }).catch((e) => e)) as ChainToolbarError).code).toBe(
      'NOT_IN_WECOM',
    )
    await sleep(5)
    expect(sdk).not.toHaveBeenCalled()
    expect(consumers[0].entry.error.value).toBeNull()
  })

  it('bounds the SDK that hangs forever without a bridge (it has no timeout of its own): TIMEOUT', async () => {
    // The user agent says WeCom but no WeixinJSBridge ever comes: every SDK promise stays pending.
    Object.defineProperty(window.navigator, 'userAgent', { value: WECOM_UA, configurable: true })
    const { host } = webHost()
    const { consumers } = mountKit({ host, timeoutMs: 50 }, useEntry)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('TIMEOUT'))
    expect(consumers[0].isLoading.value).toBe(false)
  })

  it('maps a refused agentConfig (untrusted domain, e=80001) to NO_PERMISSION, without an unhandled rejection, and retries it on the next read', async () => {
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      const wecom = enterWeComBrowser(WECOM_UA, {
        entry: 'chain_single_chat_tools',
        fail: { agentConfig: 'agentConfig:fail_https://open.work.weixin.qq.com/devtool/query?e=80001' },
      })
      const { host } = webHost()
      const { consumers } = mountKit({ host }, useEntry)
      await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('NO_PERMISSION'))
      expect(wecom.count('getContext')).toBe(0)
      await sleep(20)
      expect(unhandled).not.toHaveBeenCalled()
      wecom.state.fail = {}
      await consumers[0].refresh()
      expect(consumers[0].entry.value).toBe('chain_single_chat_tools')
      expect(wecom.count('agentConfig')).toBe(2)
    } finally {
      process.off('unhandledRejection', unhandled)
    }
  })

  it('reports a failing signature endpoint as NO_PERMISSION for agentConfig', async () => {
    enterWeComBrowser(WECOM_UA, { entry: 'normal' })
    const { host } = webHost({
      getSignature: async () => {
        throw new Error('502 from /wecom/agent-signature')
      },
    })
    const { consumers } = mountKit({ host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('NO_PERMISSION'))
    expect(consumers[0].error.value?.api).toBe('agentConfig')
  })

  it.each([
    ['getCurCorpGroupContact:fail_without context of corpgroup contact', 'UNSUPPORTED_ENTRY'],
    ['getCurCorpGroupContact:fail_no permission to execute', 'NO_PERMISSION'],
    ['getCurCorpGroupContact:fail_not_in_allow_list', 'NO_PERMISSION'],
    ['getCurCorpGroupContact:fail_function not exist', 'CLIENT_TOO_OLD'],
  ])('normalises and maps the bridge text "%s" to %s', async (errMsg, code) => {
    enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', fail: { getCurCorpGroupContact: errMsg } })
    const { host } = webHost()
    const { consumers } = mountKit({ host }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe(code))
    const raw = consumers[0].error.value?.raw as { errMsg: string }
    expect(raw.errMsg.startsWith('getCurCorpGroupContact:')).toBe(true) // the SDK's normalised form, not an Error
    expect(raw.errMsg).not.toContain('fail_')
  })

  it.each([
    ['sendChatMessage:fail_nopermission', 'NO_PERMISSION'],
    ['sendChatMessage:cancel', 'CANCELLED'],
    ['sendChatMessage:fail_without context of external contact', 'UNSUPPORTED_ENTRY'],
  ])('rejects a share with the bridge text "%s" as %s', async (errMsg, code) => {
    enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', fail: { sendChatMessage: errMsg } })
    const { host } = webHost()
    const { consumers } = mountKit({ host }, useShareToChat)
    const error = (await consumers[0].share({ msgtype: 'text', text: { content: 'hi' } }).catch((e) => e)) as ChainToolbarError
    expect(error).toBeInstanceOf(ChainToolbarError)
    expect(error.code).toBe(code)
  })

  it('does not call getCurCorpGroupContact on a 4.0.7 client', async () => {
    const wecom = enterWeComBrowser(WECOM_UA.replace('4.1.22', '4.0.7'), { entry: 'chain_single_chat_tools' })
    const { host } = webHost()
    const { consumers } = mountKit({ host }, useChainContact)
    await vi.waitFor(() => expect(wecom.count('getContext')).toBe(1))
    await sleep(10)
    expect(consumers[0].isSupported.value).toBe(false)
    expect(wecom.count('getCurCorpGroupContact')).toBe(0)
  })

  it('starts a new activation when the page becomes visible again, and on a back-forward cache restore', async () => {
    const wecom = enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', contact: { corpId: 'wwA', userId: 'a' } })
    const { host } = webHost()
    const { consumers } = mountKit({ host }, useChainContact)
    const c = consumers[0]
    await vi.waitFor(() => expect(c.contact.value?.userId).toBe('a'))
    const setVisibility = (state: 'hidden' | 'visible') => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    }
    wecom.state.contact = { corpId: 'wwB', userId: 'b' }
    setVisibility('hidden')
    setVisibility('visible')
    expect(c.contact.value).toBeNull()
    await vi.waitFor(() => expect(c.contact.value?.userId).toBe('b'))

    // Back-forward cache: the page is hidden, then restored; the restore fires pageshow (persisted) and
    // visibilitychange, one activation for the pair.
    wecom.state.contact = { corpId: 'wwC', userId: 'c' }
    window.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }))
    setVisibility('hidden')
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }))
    setVisibility('visible')
    expect(c.contact.value).toBeNull()
    await vi.waitFor(() => expect(c.contact.value?.userId).toBe('c'))
    expect(wecom.count('getContext')).toBe(3)
    expect(wecom.count('getCurCorpGroupContact')).toBe(3)
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
  })

  it('leaves no page listener behind when the app unmounts', async () => {
    const wecom = enterWeComBrowser(WECOM_UA, { entry: 'normal' })
    const { host } = webHost()
    const mounted = mountKit({ host }, useEntry)
    await vi.waitFor(() => expect(mounted.consumers[0].entry.value).toBe('normal'))
    mounted.unmount()
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }))
    await sleep(10)
    expect(wecom.count('getContext')).toBe(1)
  })
})

describe('web host: a setup fault says which one it is (reason) and, in development, how to fix it (hint)', () => {
  // What the page sees when each of the app's setup steps is wrong (docs/troubleshooting.md).
  const faults: Array<[string, { getSignature?: (url: string) => unknown; fail?: Record<string, string> }, string, RegExp]> = [
    [
      "the page origin is missing from the server's allowedOrigins (the browser reports only a CORS failure)",
      { getSignature: async () => Promise.reject(new TypeError('Failed to fetch')) },
      'signature-endpoint-failed',
      /getSignature.*http:\/\/localhost:3000/,
    ],
    [
      'the signature endpoint answers 401',
      { getSignature: async () => Promise.reject(new Error('signature endpoint answered 401')) },
      'signature-endpoint-failed',
      /answered 401/,
    ],
    [
      'the signature endpoint answers 500',
      { getSignature: async () => Promise.reject(new Error('signature endpoint answered 500')) },
      'signature-endpoint-failed',
      /answered 500/,
    ],
    [
      'the signature endpoint answers something else than a signature',
      { getSignature: async () => ({ error: { code: 'BAD_URL' } }) },
      'signature-endpoint-failed',
      /timestamp, nonceStr, signature/,
    ],
    [
      "the page's domain is not the app's trusted domain (80001)",
      { fail: { agentConfig: 'agentConfig:fail_https://open.work.weixin.qq.com/devtool/query?e=80001' } },
      'untrusted-domain',
      /trusted domain.*localhost/,
    ],
    [
      'WeCom rejects the signature (40093, invalid signature)',
      { fail: { agentConfig: 'agentConfig:fail_invalid signature' } },
      'signature-rejected',
      /signed .*http:\/\/localhost:3000\/.* page .*http:\/\/localhost:3000\//,
    ],
  ]

  it.each(faults)('%s: NO_PERMISSION with its own reason, and a hint naming what the kit saw, warned once', async (name, fault, reason, hint) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    // A page of its own: the kit warns once per hint on a page, and an earlier test may have met the same fault.
    history.replaceState(null, '', `/quote/${faults.findIndex(([n]) => n === name)}?from=toolbar`)
    try {
      enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', fail: fault.fail })
      const { host } = webHost(fault.getSignature ? { getSignature: fault.getSignature as any } : {})
      const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), contact: useChainContact() }))
      await vi.waitFor(() => expect(consumers[0].entry.error.value?.code).toBe('NO_PERMISSION'))
      const error = consumers[0].entry.error.value!
      expect(error.reason).toBe(reason)
      expect(error.api).toBe('agentConfig')
      expect(error.hint).toMatch(hint)
      expect(error.hint).toContain('wwupstream')
      // One warning per fault, however many pieces of the page failed with it.
      await sleep(20)
      const warnings = warn.mock.calls.filter((call) => String(call[0]).includes(reason))
      expect(warnings).toHaveLength(1)
      expect(String(warnings[0][0])).toContain(error.hint)
    } finally {
      warn.mockRestore()
      history.replaceState(null, '', '/')
    }
  })

  it('tells a real permission refusal (no permission) apart from a setup fault', async () => {
    enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', fail: { getCurCorpGroupContact: 'getCurCorpGroupContact:fail_nopermission' } })
    const { host } = webHost()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const { consumers } = mountKit({ host }, useChainContact)
      await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('NO_PERMISSION'))
      expect(consumers[0].error.value?.reason).toBe('no-permission')
      expect(consumers[0].error.value?.hint).toMatch(/visible range/)
    } finally {
      warn.mockRestore()
    }
  })
})
