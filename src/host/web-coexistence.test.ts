// An app that uses @wecom/jssdk itself, next to the kit: `ww.register()` keeps one options
// object, the last call wins. The real SDK over a scripted WeixinJSBridge, both orders.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createWebHost, useChainContact, useShareToChat, type ChainToolbarError } from '../../index'
import { KIT_JS_API_LIST } from './web'
import { mountKit } from '../../tests/support/kit'
import { enterWeComBrowser, WECOM_UA } from '../../tests/support/scripted-bridge'

const SIGNATURE = { timestamp: 1414587457, nonceStr: 'Wm3WZYTPz0wzccnW', signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' }
const ordinaryUA = navigator.userAgent
const TEXT = { msgtype: 'text', text: { content: 'hello' } } as const
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000 })

/** The page in WeCom on a chain single chat; the app's own API (getCurExternalContact) answers too. */
function inWeCom() {
  return enterWeComBrowser(WECOM_UA, {
    entry: 'chain_single_chat_tools',
    contact: { corpId: 'wwdown', userId: 'lisi' },
    extra: { getCurExternalContact: { userId: 'wmEXTERNAL' } },
  })
}

beforeEach(() => vi.resetModules()) // the SDK reads the user agent when its module is evaluated (docs/wecom-host.md §3)
afterEach(() => {
  Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
  delete (window as any).WeixinJSBridge
})

describe('an app that registers @wecom/jssdk itself (web.register: false)', () => {
  it('the app registers first and calls its own API; then the kit reads the contact and shares through that registration', async () => {
    const bridge = inWeCom()
    const ww = await import('@wecom/jssdk')
    const appSignature = vi.fn(async (_url: string) => SIGNATURE)
    const jsApiList = ['getCurExternalContact', ...KIT_JS_API_LIST]
    ww.register({ corpId: 'wwapp', agentId: 1000009, jsApiList, getAgentConfigSignature: appSignature })
    expect((await ww.getCurExternalContact()).userId).toBe('wmEXTERNAL')

    const host = createWebHost({ register: false })
    const { consumers } = mountKit({ host }, () => ({ contact: useChainContact(), share: useShareToChat() }))
    await until(() => expect(consumers[0].contact.contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' }))
    await consumers[0].share.share(TEXT)
    expect(bridge.count('agentConfig')).toBe(1) // the app's registration, not replaced
    expect(bridge.calls[0].params).toMatchObject({ corpid: 'wwapp', agentid: '1000009' })
    expect(appSignature).toHaveBeenCalledTimes(1)
    expect(bridge.order()).toEqual(['agentConfig', 'getCurExternalContact', 'getContext', 'getCurCorpGroupContact', 'sendChatMessage'])
    // The app's API still works after the kit's calls.
    expect((await ww.getCurExternalContact()).userId).toBe('wmEXTERNAL')
  })

  it('the kit first: it says NO_PERMISSION (nothing sent) until the app registers; then a retry works', async () => {
    const bridge = inWeCom()
    const host = createWebHost({ register: false })
    const { consumers } = mountKit({ host }, () => ({ contact: useChainContact(), share: useShareToChat() }))
    await until(() => expect(consumers[0].contact.error.value?.code).toBe('NO_PERMISSION'))
    expect(consumers[0].contact.error.value?.message).toContain('ww.register')
    expect(bridge.calls).toEqual([])

    const ww = await import('@wecom/jssdk')
    const jsApiList = ['getCurExternalContact', ...KIT_JS_API_LIST]
    ww.register({ corpId: 'wwapp', agentId: 1000009, jsApiList, getAgentConfigSignature: async () => SIGNATURE })
    expect((await ww.getCurExternalContact()).userId).toBe('wmEXTERNAL')
    await consumers[0].contact.refresh()
    expect(consumers[0].contact.contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' })
    await consumers[0].share.share(TEXT)
    expect(bridge.count('agentConfig')).toBe(1)
    expect(bridge.count('sendChatMessage')).toBe(1)
  })
})

describe("the app's own APIs in the kit's registration (web.jsApiList)", () => {
  it('the kit registers first (its APIs and the app’s, one agentConfig); then the app calls its own API directly', async () => {
    const bridge = inWeCom()
    const getAgentConfigSignature = vi.fn(async (_url: string) => SIGNATURE)
    const jsApiList = ['getCurExternalContact', 'getContext'] // getContext: already the kit's, not listed twice
    const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getAgentConfigSignature, jsApiList })
    const { consumers } = mountKit({ host }, () => ({ contact: useChainContact(), share: useShareToChat() }))
    await until(() => expect(consumers[0].contact.contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' }))
    const registered = bridge.calls[0].params.jsApiList as string[]
    expect([...registered].sort()).toEqual([...KIT_JS_API_LIST, 'getCurExternalContact'].sort()) // merged, no duplicates

    const ww = await import('@wecom/jssdk')
    expect((await ww.getCurExternalContact()).userId).toBe('wmEXTERNAL')
    await consumers[0].share.share(TEXT)
    expect(bridge.count('agentConfig')).toBe(1)
    expect(getAgentConfigSignature).toHaveBeenCalledTimes(1)
    expect(bridge.order()).toEqual(['agentConfig', 'getContext', 'getCurCorpGroupContact', 'getCurExternalContact', 'sendChatMessage'])
  })

  it('the app calls its own API before the kit loaded anything; the kit’s registration then covers both', async () => {
    const bridge = inWeCom()
    const getAgentConfigSignature = async () => SIGNATURE
    const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getAgentConfigSignature, jsApiList: ['getCurExternalContact'] })
    const { consumers } = mountKit({ host }, useChainContact)
    const ww = await import('@wecom/jssdk')
    const own = ww.getCurExternalContact() // queued behind the kit's agentConfig once the kit registered
    await until(() => expect(consumers[0].contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' }))
    expect((await own).userId).toBe('wmEXTERNAL')
    expect(bridge.count('agentConfig')).toBe(1)
  })

  it('getSignature, the former name of getAgentConfigSignature, still signs', async () => {
    const bridge = inWeCom()
    const getSignature = vi.fn(async (_url: string) => SIGNATURE)
    const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getSignature })
    const { consumers } = mountKit({ host }, useChainContact)
    await until(() => expect(consumers[0].contact.value).not.toBeNull())
    expect(getSignature).toHaveBeenCalledTimes(1)
    expect(bridge.calls[0].params).toMatchObject({ signature: SIGNATURE.signature })
  })

  it('without corpId or a signature function (and the kit registering), a call says NO_PERMISSION', async () => {
    inWeCom()
    const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002 })
    const error = (await host.getContext().catch((e) => e)) as ChainToolbarError
    expect(error.code).toBe('NO_PERMISSION')
  })
})
