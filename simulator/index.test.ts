// The WeCom simulator (uni-chain-toolbar/simulator): the simulated client on its own, and installed
// under the kit's real hosts — H5 (the real @wecom/jssdk on the simulated WeixinJSBridge) and the mini
// program (the kit's wx.qy adapter on the simulated wx.qy). Runs once per platform (uni's #ifdef).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMiniProgramHost, useChainContact, useChainChat, useEntry, useShareToChat, type ChainToolbarError } from '../index'
import { createSimulatedClient, getWeComSimulator, installWeComSimulator, type WeComSimulator } from './index'
import { mountKit, sleep } from '../tests/support/kit'

const platform = process.env.UNI_PLATFORM

/** Calls a simulated wx.qy method and resolves with { ok, res }. */
function callQy(qy: Record<string, unknown>, api: string, params: Record<string, unknown> = {}) {
  return new Promise<{ ok: boolean; res: any }>((resolve) => {
    ;(qy[api] as (o: unknown) => void)({
      ...params,
      success: (res: any) => resolve({ ok: true, res }),
      fail: (res: any) => resolve({ ok: false, res }),
    })
  })
}
function callBridge(
  bridge: { invoke: (n: string, p: any, cb: (r: any) => void) => void },
  name: string,
  params: Record<string, unknown> = {},
) {
  return new Promise<any>((resolve) => bridge.invoke(name, params, resolve))
}

describe('the simulated client', () => {
  it('answers each form with its own texts: qy__<api>:ok / <api>:ok, failures per form (docs/wecom-host.md §4)', async () => {
    const client = createSimulatedClient({ latencyMs: 0, contact: { corpId: 'wwc', userId: 'u1' } })
    expect((await callQy(client.qy, 'getCurCorpGroupContact')).res).toEqual({
      errMsg: 'qy__getCurCorpGroupContact:ok',
      corpId: 'wwc',
      userId: 'u1',
    })
    expect(await callBridge(client.bridge, 'getCurCorpGroupContact')).toEqual({
      err_msg: 'getCurCorpGroupContact:ok',
      corpId: 'wwc',
      userId: 'u1',
    })

    client.set({ fail: { sendChatMessage: 'noPermission', login: 'invalidSuiteId', agentConfig: 'untrustedDomain' } })
    const text = { msgtype: 'text', text: { content: 'hi' } }
    expect((await callQy(client.qy, 'sendChatMessage', text)).res.errMsg).toBe('qy__sendChatMessage:fail no permission')
    expect((await callBridge(client.bridge, 'sendChatMessage', text)).err_msg).toBe('sendChatMessage:fail_nopermission')
    expect((await callQy(client.qy, 'login')).res.errMsg).toBe('qy__login:fail:invalid suiteId')
    expect((await callBridge(client.bridge, 'agentConfig')).err_msg).toBe('agentConfig://open.work.weixin.qq.com/devtool/query?e=80001')
    client.set({ fail: { sendChatMessage: 'sendChatMessage:fail_custom text' } })
    expect((await callBridge(client.bridge, 'sendChatMessage', text)).err_msg).toBe('sendChatMessage:fail_custom text')
    expect(await callBridge(client.bridge, 'openEnterpriseChat')).toEqual({ err_msg: 'openEnterpriseChat:fail_function not exist' })
  })

  it('knows entries and versions like the client: wrong-entry texts, old clients without the functions', async () => {
    const client = createSimulatedClient({ latencyMs: 0, entry: 'chain_group_chat_tools' })
    expect((await callQy(client.qy, 'getCurCorpGroupContact')).res.errMsg).toBe(
      'qy__getCurCorpGroupContact:fail only support chain group chat tools entry',
    )
    expect((await callBridge(client.bridge, 'getCurCorpGroupContact')).err_msg).toBe(
      'getCurCorpGroupContact:fail_without context of corpgroup contact',
    )
    client.set({ entry: 'normal' })
    expect((await callBridge(client.bridge, 'sendChatMessage', { msgtype: 'text', text: { content: 'x' } })).err_msg).toBe(
      'sendChatMessage:fail_without context of external contact',
    )

    const old = createSimulatedClient({ latencyMs: 0, version: '4.0.7' })
    expect(typeof old.qy.getCurCorpGroupContact).toBe('undefined') // "is not a function" on old clients (docs/wecom-host.md §2)
    expect(typeof old.qy.getContext).toBe('function')
    expect((old.qy.canIUse as (n: string) => boolean)('getCurCorpGroupContact')).toBe(false)
    expect((await callBridge(old.bridge, 'getCurCorpGroupChat')).err_msg).toBe('getCurCorpGroupChat:fail_function not exist')
  })

  it('checks messages as the client does, answers with the chat of the moment of the call, and logs every call', async () => {
    const client = createSimulatedClient({ latencyMs: 20, contact: { corpId: 'wwa', userId: 'first' } })
    const pending = callBridge(client.bridge, 'getCurCorpGroupContact', { cb: () => {} })
    client.set({ contact: { corpId: 'wwb', userId: 'second' } })
    expect((await pending).userId).toBe('first')
    const bad = await callBridge(client.bridge, 'sendChatMessage', {
      msgtype: 'miniprogram',
      miniprogram: { appid: 'wx1', title: 't', imgUrl: 'ftp://x', page: 'a.html' },
    })
    expect(bad.err_msg).toBe('sendChatMessage:fail_invalid imgUrl')

    expect(client.log.map((c) => [c.api, c.status])).toEqual([
      ['getCurCorpGroupContact', 'ok'],
      ['sendChatMessage', 'fail'],
    ])
    expect(client.log[0].params).toEqual({}) // the callback was left out, not cloned
    expect(client.log[0].answer).toMatchObject({ userId: 'first' })
    client.set({ hang: ['getContext'] })
    client.bridge.invoke('getContext', {}, () => {})
    expect(client.log[2].status).toBe('hung')
    client.clearLog()
    expect(client.log).toHaveLength(0)
  })

  it('a mini program session: calls fail until a login makes it valid', async () => {
    const client = createSimulatedClient({ latencyMs: 0, sessionValid: false })
    expect((await callQy(client.qy, 'checkSession')).res.errMsg).toBe('qy__checkSession:fail session expired')
    expect((await callQy(client.qy, 'getContext')).res.errMsg).toBe('qy__getContext:fail session expired')
    expect((await callQy(client.qy, 'login')).res.code).toMatch(/^sim-code-/)
    expect((await callQy(client.qy, 'getContext')).ok).toBe(true)
  })
})

/** The SDK chunk loads fresh in each test (vi.resetModules): on a loaded machine that takes seconds. */
const WAIT = { timeout: 5000 }

describe.runIf(platform === 'h5')('installed in an ordinary browser (H5)', () => {
  const ordinaryUA = navigator.userAgent
  let simulator: WeComSimulator | null = null

  beforeEach(() => {
    // The SDK reads the user agent and the bridge when its module is evaluated (docs/wecom-host.md §3).
    vi.resetModules()
  })
  afterEach(() => {
    simulator?.uninstall()
    simulator = null
    Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
    delete (window as any).WeixinJSBridge
  })

  const webOptions = (sim: WeComSimulator) => ({ web: { corpId: 'wwdemo', agentId: '1000002', getSignature: sim.getSignature } })

  it('plays WeCom for the kit: wxwork user agent, the real SDK on the simulated bridge, and re-activation from another chat', async () => {
    simulator = installWeComSimulator({ latencyMs: 5, contact: { corpId: 'wwsim', userId: 'alice' } })
    expect(simulator).not.toBeNull()
    expect(getWeComSimulator()).toBe(simulator)
    expect(navigator.userAgent).toMatch(/wxwork\/4\.1\.22/)
    const { consumers } = mountKit(webOptions(simulator!), () => ({ entry: useEntry(), contact: useChainContact() }))
    const { entry, contact } = consumers[0]
    expect(entry.isWeCom.value).toBe(true)
    await vi.waitFor(() => expect(contact.contact.value).toEqual({ corpId: 'wwsim', userId: 'alice' }), WAIT)
    expect(simulator!.log.map((c) => c.api)).toEqual(['agentConfig', 'getContext', 'getCurCorpGroupContact'])

    const switching = simulator!.openFromAnotherChat({ contact: { corpId: 'wwsim', userId: 'bob' } })
    await switching
    expect(contact.contact.value).toBeNull() // cleared at once: the previous chat's contact never shows
    await vi.waitFor(() => expect(contact.contact.value).toEqual({ corpId: 'wwsim', userId: 'bob' }), WAIT)
    expect(document.visibilityState).toBe('visible')
  })

  it("plays WeCom's OAuth round trip: back to redirect_uri with a one-use code and the kit's state, which the kit exchanges once", async () => {
    const startUrl = location.href
    try {
      history.replaceState(null, '', '/pages/cards/cards?from=toolbar')
      simulator = installWeComSimulator({ latencyMs: 0, contact: { corpId: 'wwsim', userId: 'alice' } })!
      const exchanged: Array<{ userId: string }> = []
      let sentTo = ''
      const options = (sim: WeComSimulator) => ({
        web: {
          ...webOptions(sim).web,
          exchangeOAuthCode: async (code: string) => exchanged.push(await sim.exchangeOAuthCode(code)),
          oauthRedirect: (url: string) => (sentTo = sim.oauthReturnUrl(url)),
        },
      })
      const first = mountKit(options(simulator), useEntry)
      await vi.waitFor(() => expect(sentTo).not.toBe(''), { timeout: 5000 })
      const back = new URL(sentTo)
      expect(back.pathname + '?' + back.searchParams.get('from')).toBe('/pages/cards/cards?toolbar')
      const code = back.searchParams.get('code')!
      expect(code).toMatch(/^simcode/)
      expect(back.searchParams.get('state')).toBe(JSON.parse(sessionStorage.getItem('uni-chain-toolbar:oauth')!).state)
      expect(() => simulator!.oauthReturnUrl('https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww')).toThrow(/wechat_redirect/)
      first.unmount()

      // The page loads again at redirect_uri (the simulator's issued codes outlive the navigation).
      simulator.uninstall()
      vi.resetModules()
      history.replaceState(null, '', sentTo)
      simulator = installWeComSimulator({ latencyMs: 0, contact: { corpId: 'wwsim', userId: 'alice' } })!
      const { consumers } = mountKit(options(simulator), useChainContact)
      await vi.waitFor(() => expect(consumers[0].contact.value).toEqual({ corpId: 'wwsim', userId: 'alice' }), { timeout: 5000 })
      expect(exchanged).toEqual([{ userId: 'simulated-member' }])
      expect(location.search).toBe('?from=toolbar')
      // One use, as auth/getuserinfo.
      const again = (await simulator.exchangeOAuthCode(code).catch((e) => e)) as Error & { code?: string }
      expect(again.code).toBe('INVALID_CODE')
    } finally {
      history.replaceState(null, '', startUrl)
      sessionStorage.clear()
    }
  })

  it('failures and hung APIs reach the kit as its error codes', async () => {
    simulator = installWeComSimulator({ latencyMs: 0, fail: { getCurCorpGroupContact: 'noPermission' }, hang: ['sendChatMessage'] })
    // A deadline the SDK chunk's first load (a fresh module per test) meets even on a loaded machine.
    const { consumers } = mountKit({ ...webOptions(simulator!), timeoutMs: 1500 }, () => ({
      contact: useChainContact(),
      share: useShareToChat(),
    }))
    await vi.waitFor(() => expect(consumers[0].contact.error.value?.code).toBe('NO_PERMISSION'), WAIT)
    const failure = (await consumers[0].share.share({ msgtype: 'text', text: { content: 'x' } }).catch((e) => e)) as ChainToolbarError
    expect(failure.code).toBe('TIMEOUT')
    expect(simulator!.log.find((c) => c.api === 'sendChatMessage')?.status).toBe('hung')
  })

  it('stays off inside WeCom (a wxwork user agent and a bridge), and where a bridge exists unless forced', () => {
    const bridge = { invoke() {}, on() {} }
    ;(window as any).WeixinJSBridge = bridge
    Object.defineProperty(window.navigator, 'userAgent', { value: `${ordinaryUA} wxwork/4.1.22`, configurable: true })
    expect(installWeComSimulator()).toBeNull()
    expect(installWeComSimulator({}, { force: true })).toBeNull() // never replaces a real client
    expect((window as any).WeixinJSBridge).toBe(bridge)

    Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
    expect(installWeComSimulator()).toBeNull() // plain WeChat's bridge: not ours to replace
    simulator = installWeComSimulator({}, { force: true })
    expect(simulator).not.toBeNull()
    simulator!.uninstall()
    simulator = null
    expect((window as any).WeixinJSBridge).toBeUndefined()
    expect(navigator.userAgent).toBe(ordinaryUA)
  })
})

describe.runIf(platform === 'mp-weixin')('installed in WeChat DevTools (mini program)', () => {
  let simulator: WeComSimulator | null = null
  let wx: Record<string, any>
  const shown: Array<() => void> = []

  beforeEach(() => {
    shown.length = 0
    wx = { onAppShow: (fn: () => void) => shown.push(fn), onAppHide: () => {} }
    vi.stubGlobal('wx', wx)
  })
  afterEach(() => {
    simulator?.uninstall()
    simulator = null
  })

  it('provides wx.qy to the kit, and "open from another chat" fires the app show listeners', async () => {
    simulator = installWeComSimulator({ latencyMs: 5, entry: 'chain_group_chat_tools', chatId: 'wrA' })
    expect(simulator?.platform).toBe('mp-weixin')
    expect(typeof wx.qy.getContext).toBe('function')
    // The kit's host reads wx.qy and subscribes to wx.onAppShow when it is created (after the simulator).
    const host = createMiniProgramHost({ exchangeCode: () => {} })
    const { consumers } = mountKit({ host }, () => ({ chat: useChainChat() }))
    await vi.waitFor(() => expect(consumers[0].chat.chatId.value).toBe('wrA'))
    expect(simulator!.log.map((c) => c.api)).toEqual(
      expect.arrayContaining(['getSystemInfo', 'checkSession', 'getContext', 'getCurCorpGroupChat']),
    )
    expect(shown).toHaveLength(1) // passed on to the real wx.onAppShow too

    await simulator!.openFromAnotherChat({ chatId: 'wrB' })
    expect(consumers[0].chat.chatId.value).toBeNull()
    await vi.waitFor(() => expect(consumers[0].chat.chatId.value).toBe('wrB'))
  })

  it('logs in when the session is not valid, then answers', async () => {
    simulator = installWeComSimulator({ latencyMs: 0, sessionValid: false })
    const exchangeCode = vi.fn()
    const host = createMiniProgramHost({ exchangeCode })
    const { consumers } = mountKit({ host }, () => ({ contact: useChainContact() }))
    await vi.waitFor(() => expect(consumers[0].contact.contact.value).not.toBeNull())
    expect(exchangeCode).toHaveBeenCalledWith(expect.stringMatching(/^sim-code-/))
    expect(simulator!.scenario.sessionValid).toBe(true)
  })

  it('stays off where wx.qy exists', async () => {
    const qy = { getContext() {} }
    wx.qy = qy
    expect(installWeComSimulator()).toBeNull()
    expect(wx.qy).toBe(qy)
    await sleep(0)
  })
})
