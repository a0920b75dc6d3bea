// The member's identity on H5 through WeCom OAuth (docs/wecom-host.md §5): the real @wecom/jssdk on a scripted
// WeixinJSBridge that verifies the agentConfig signature over the page URL when the client receives it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createWebHost, useChainContact, useEntry, useShareToChat, type ChainToolbarError, type WebHostOptions } from '../../index'
import { KIT_JS_API_LIST } from './web'
import { mountKit, sleep } from '../../tests/support/kit'
import { enterWeComBrowser, jsSdkSignature, WECOM_UA } from '../../tests/support/scripted-bridge'

const TICKET = 'agent-config-ticket'
/** Where the kit keeps its redirect's state for the tab. */
const OAUTH_STORAGE_KEY = 'uni-chain-toolbar:oauth'
const ordinaryUA = navigator.userAgent
const startUrl = location.href
const until = (check: () => void) => vi.waitFor(check, { timeout: 3000 })

/** The app's server: signs exactly the URL it is given, with the app ticket. */
const signer = () =>
  vi.fn(async (url: string) => {
    const nonceStr = 'nonce' + url.length
    const timestamp = 1717171717
    return { timestamp, nonceStr, signature: jsSdkSignature(TICKET, nonceStr, timestamp, url) }
  })

/** The page as WeCom opens it: `path` (with its query and hash), inside the WeCom browser, on a chain single chat. */
function openPage(path: string) {
  history.replaceState(null, '', path)
  return enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', contact: { corpId: 'wwdown', userId: 'lisi' }, ticket: TICKET })
}

function oauthHost(overrides: Partial<WebHostOptions> = {}) {
  const getAgentConfigSignature = signer()
  const exchangeOAuthCode = vi.fn(async (_code: string) => {})
  const redirects: string[] = []
  const host = createWebHost({
    corpId: 'wwupstream',
    agentId: 1000002,
    getAgentConfigSignature,
    exchangeOAuthCode,
    oauthRedirect: (url) => redirects.push(url),
    ...overrides,
  })
  return { host, getAgentConfigSignature, exchangeOAuthCode, redirects }
}

beforeEach(() => {
  vi.resetModules() // the SDK reads the user agent when its module is evaluated (docs/wecom-host.md §3)
  sessionStorage.clear()
})
afterEach(() => {
  Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
  delete (window as any).WeixinJSBridge
  history.replaceState(null, '', startUrl)
  sessionStorage.clear()
})

describe('H5 identity through WeCom OAuth', () => {
  it('takes the code the toolbar brought, exchanges it once, and the URL loses code and state before agentConfig signs it', async () => {
    const wecom = openPage('/pages/cards/cards?from=toolbar&code=CODE1&state=app-state#/pages/cards/cards')
    const { host, exchangeOAuthCode, getAgentConfigSignature } = oauthHost()
    expect(location.href).toBe(new URL('/pages/cards/cards?from=toolbar#/pages/cards/cards', startUrl).href)
    const { consumers } = mountKit({ host }, () => ({ contact: useChainContact(), share: useShareToChat() }))
    await until(() => expect(consumers[0].contact.contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' }))
    await consumers[0].share.share({ msgtype: 'text', text: { content: 'hi' } })
    expect(exchangeOAuthCode.mock.calls).toEqual([['CODE1']])
    // WeCom accepted the signature: it was made for the URL the page showed when agentConfig ran.
    expect(wecom.count('agentConfig')).toBe(1)
    expect(consumers[0].contact.error.value).toBeNull()
    expect(getAgentConfigSignature.mock.calls).toEqual([[new URL('/pages/cards/cards?from=toolbar', startUrl).href]])
    expect(location.search).toBe('?from=toolbar')
  })

  it('answers a host call only once the code was exchanged (resolveContact then has the session)', async () => {
    const wecom = openPage('/?code=CODE2&state=s')
    let release: () => void = () => {}
    const exchangeOAuthCode = vi.fn(() => new Promise<void>((done) => (release = done)))
    const { host } = oauthHost({ exchangeOAuthCode })
    let exchanged = false
    const resolveContact = vi.fn(async () => ({ name: exchanged ? '李四' : 'no session' }))
    const { consumers } = mountKit({ host, resolveContact }, useChainContact)
    // The SDK loads and signs meanwhile; no host call is answered before the exchange.
    await until(() => expect(wecom.count('agentConfig')).toBe(1))
    await sleep(50)
    expect(wecom.count('getContext')).toBe(0)
    expect(consumers[0].contact.value).toBeNull()
    expect(resolveContact).not.toHaveBeenCalled()
    exchanged = true
    release()
    await until(() => expect(consumers[0].profile.value).toEqual({ name: '李四' }))
  })

  it('one exchange per code: concurrent calls, later activations and a refresh share it', async () => {
    openPage('/?code=CODE3&state=s')
    const { host, exchangeOAuthCode } = oauthHost()
    const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), contact: useChainContact() }), 3)
    await until(() => expect(consumers[2].contact.contact.value?.userId).toBe('lisi'))
    await consumers[0].entry.refresh()
    await consumers[1].contact.refresh()
    expect(exchangeOAuthCode).toHaveBeenCalledTimes(1)
  })

  it('without a code, redirects once to WeCom OAuth with a random state, and starts nothing else; the wait is bounded', async () => {
    const wecom = openPage('/pages/cards/cards?from=toolbar#/pages/cards/cards')
    const { host, redirects, getAgentConfigSignature, exchangeOAuthCode } = oauthHost()
    const { consumers } = mountKit({ host, timeoutMs: 100 }, () => ({ entry: useEntry(), contact: useChainContact() }))
    await until(() => expect(consumers[0].entry.error.value?.code).toBe('TIMEOUT'))
    expect(redirects).toHaveLength(1)
    const target = new URL(redirects[0])
    expect(target.origin + target.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize')
    expect(target.hash).toBe('#wechat_redirect')
    const q = Object.fromEntries(target.searchParams)
    expect(q).toMatchObject({ appid: 'wwupstream', response_type: 'code', scope: 'snsapi_base', agentid: '1000002' })
    expect(q.redirect_uri).toBe(new URL('/pages/cards/cards?from=toolbar', startUrl).href)
    expect(q.state).toMatch(/^[0-9a-f]{32}$/)
    expect(JSON.parse(sessionStorage.getItem(OAUTH_STORAGE_KEY)!)).toEqual({ state: q.state, hash: '#/pages/cards/cards' })
    expect(wecom.calls).toEqual([])
    expect(getAgentConfigSignature).not.toHaveBeenCalled()
    expect(exchangeOAuthCode).not.toHaveBeenCalled()

    // WeCom comes back to redirect_uri with the code and the same state: the kit takes it, and the page's #hash is
    // back. A redirect keeps the fragment of the URL it left (#wechat_redirect), which the kit drops.
    vi.resetModules()
    const back = `${q.redirect_uri}&code=CODE4&state=${q.state}#wechat_redirect`
    const again = openPage(back)
    const next = oauthHost()
    expect(location.href).toBe(new URL('/pages/cards/cards?from=toolbar#/pages/cards/cards', startUrl).href)
    const page = mountKit({ host: next.host }, useChainContact)
    await until(() => expect(page.consumers[0].contact.value?.userId).toBe('lisi'))
    expect(next.exchangeOAuthCode.mock.calls).toEqual([['CODE4']])
    expect(next.redirects).toEqual([])
    expect(again.count('agentConfig')).toBe(1)
    expect(sessionStorage.getItem(OAUTH_STORAGE_KEY)).toBeNull() // a reload signs in again
  })

  it('refuses a code that comes back with another state than the kit sent: nothing exchanged, no new redirect, LOGIN_FAILED', async () => {
    sessionStorage.setItem(OAUTH_STORAGE_KEY, JSON.stringify({ state: 'a'.repeat(32), hash: '' }))
    const wecom = openPage(`/?code=ATTACKER&state=${'b'.repeat(32)}`)
    const { host, exchangeOAuthCode, redirects } = oauthHost()
    expect(location.search).toBe('')
    const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), contact: useChainContact() }))
    await until(() => expect(consumers[0].entry.error.value?.code).toBe('LOGIN_FAILED'))
    expect(consumers[0].entry.error.value?.message).toContain('state')
    await consumers[0].entry.refresh()
    expect(consumers[0].entry.error.value?.code).toBe('LOGIN_FAILED')
    expect(exchangeOAuthCode).not.toHaveBeenCalled()
    expect(redirects).toEqual([])
    expect(wecom.count('getContext')).toBe(0)
  })

  it('never loops: a refused code fails every call with LOGIN_FAILED, a refresh and a reload redirect no more', async () => {
    openPage('/?code=USED&state=s')
    const refused = Object.assign(new Error('POST /wecom/oauth-session: HTTP 400 INVALID_CODE'), { code: 'INVALID_CODE' })
    const exchangeOAuthCode = vi.fn(async () => Promise.reject(refused))
    const { host, redirects } = oauthHost({ exchangeOAuthCode })
    const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), contact: useChainContact() }))
    await until(() => expect(consumers[0].entry.error.value?.code).toBe('LOGIN_FAILED'))
    const error = consumers[0].entry.error.value as ChainToolbarError
    expect(error.message).toContain('INVALID_CODE')
    expect(error.raw).toBe(refused)
    await consumers[0].entry.refresh()
    await consumers[0].contact.refresh()
    expect(consumers[0].contact.error.value?.code).toBe('LOGIN_FAILED')
    expect(exchangeOAuthCode).toHaveBeenCalledTimes(1)
    expect(redirects).toEqual([])

    // The page reloaded in the same tab (its URL no longer has the code): still no redirect, and it says why.
    vi.resetModules()
    openPage(location.pathname + location.search)
    const reloaded = oauthHost()
    const page = mountKit({ host: reloaded.host }, useEntry)
    await until(() => expect(page.consumers[0].error.value?.code).toBe('LOGIN_FAILED'))
    expect(reloaded.redirects).toEqual([])
    expect(reloaded.exchangeOAuthCode).not.toHaveBeenCalled()
  })

  it('does not redirect again when WeCom came back without a code', async () => {
    sessionStorage.setItem(OAUTH_STORAGE_KEY, JSON.stringify({ state: 'c'.repeat(32), hash: '' }))
    openPage(`/?state=${'c'.repeat(32)}`)
    const { host, redirects } = oauthHost()
    const { consumers } = mountKit({ host }, useEntry)
    await until(() => expect(consumers[0].error.value?.code).toBe('LOGIN_FAILED'))
    expect(redirects).toEqual([])
  })

  it('bounds the exchange by timeoutMs (TIMEOUT), and a refresh exchanges the same code again', async () => {
    openPage('/?code=SLOW&state=s')
    let answer = () => new Promise<void>(() => {})
    const exchangeOAuthCode = vi.fn((_code: string) => answer())
    const { host } = oauthHost({ exchangeOAuthCode })
    const { consumers } = mountKit({ host, timeoutMs: 80 }, useEntry)
    await until(() => expect(consumers[0].error.value?.code).toBe('TIMEOUT'))
    answer = async () => {}
    await consumers[0].refresh()
    expect(consumers[0].entry.value).toBe('chain_single_chat_tools')
    expect(exchangeOAuthCode.mock.calls).toEqual([['SLOW'], ['SLOW']])
  })

  it('oauthRedirect: false: no code, no redirect, the calls go on without an exchange', async () => {
    openPage('/')
    const { host, redirects, exchangeOAuthCode } = oauthHost({ oauthRedirect: false })
    const { consumers } = mountKit({ host }, useChainContact)
    await until(() => expect(consumers[0].contact.value?.userId).toBe('lisi'))
    expect(redirects).toEqual([])
    expect(exchangeOAuthCode).not.toHaveBeenCalled()
  })

  it('with web.register: false, the app registers after createChainToolbar: its agentConfig signs the URL without the code, and verifies', async () => {
    const wecom = openPage('/pages/cards/cards?code=CODE5&state=s')
    const appSignature = signer()
    const exchangeOAuthCode = vi.fn(async (_code: string) => {})
    const redirects: string[] = []
    const host = createWebHost({
      register: false,
      corpId: 'wwupstream',
      agentId: 1000002,
      exchangeOAuthCode,
      oauthRedirect: (url) => redirects.push(url),
    })
    const { consumers } = mountKit({ host }, useChainContact)
    const ww = await import('@wecom/jssdk')
    ww.register({ corpId: 'wwupstream', agentId: 1000002, jsApiList: KIT_JS_API_LIST, getAgentConfigSignature: appSignature })
    await until(() => expect(consumers[0].contact.value?.userId).toBe('lisi'))
    expect(exchangeOAuthCode.mock.calls).toEqual([['CODE5']])
    expect(appSignature.mock.calls).toEqual([[new URL('/pages/cards/cards', startUrl).href]])
    expect(wecom.count('agentConfig')).toBe(1)
    expect(location.search).toBe('')
  })

  it('an agentConfig signed for the URL with the code would be refused (the scripted client checks the URL it shows)', async () => {
    const wecom = openPage('/?code=CODE6&state=s')
    const withCode = location.href.split('#')[0]
    const { host } = oauthHost({ getAgentConfigSignature: async () => (await signer()(withCode)) as never })
    const { consumers } = mountKit({ host }, useEntry)
    await until(() => expect(consumers[0].error.value?.code).toBe('NO_PERMISSION'))
    expect(wecom.count('agentConfig')).toBe(1)
  })
})
