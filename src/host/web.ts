import { ChainToolbarError } from '../errors'
import type { AgentConfigSignature, ChainContact, ChatMessage } from '../types'
import { parseWeComVersion } from '../version'
import { toHostError } from './errors'
import { toHostContext } from './context'
import type { ChainHost, HostContext } from './types'

/** The @wecom/jssdk functions the web host calls (a subset of `import * as ww from '@wecom/jssdk'`). */
export interface WeComSdk {
  register(options: Record<string, unknown>): void
  getContext(params?: object): Promise<any>
  getCurCorpGroupContact(params: object): Promise<any>
  getCurCorpGroupChat(params?: object): Promise<any>
  sendChatMessage(params: any): Promise<any>
  env?: { isWeCom?: boolean }
}

export interface WebHostOptions {
  corpId: string
  agentId: string | number
  /** Your server's agentConfig signature for exactly this URL (app jsapi ticket, docs/wecom-host.md §5). */
  getSignature: (url: string) => AgentConfigSignature | Promise<AgentConfigSignature>
  /** The SDK module, or a loader of it. Default: the lazily imported `@wecom/jssdk`. */
  sdk?: WeComSdk | (() => Promise<WeComSdk>)
  /** Default: `navigator.userAgent`, read when the host is created. */
  userAgent?: string
}

const JS_API_LIST = ['getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage']

/**
 * The H5 host: the official @wecom/jssdk in the WeCom browser. The SDK is imported on the first call,
 * and only when the user agent says WeCom: an ordinary browser never loads it, and never waits on it.
 */
export function createWebHost(options: WebHostOptions): ChainHost {
  const userAgent = options.userAgent ?? (typeof navigator !== 'undefined' ? navigator.userAgent : '')
  // The SDK decides "in WeCom" the same way, once, from the user agent (docs/wecom-host.md §3).
  const version = parseWeComVersion(userAgent)
  const isWeCom = version != null
  let ready: Promise<WeComSdk> | null = null

  function getSignature(url: string): Promise<AgentConfigSignature> {
    return Promise.resolve()
      .then(() => options.getSignature(url))
      .then(
        (sig) => {
          if (!sig || typeof sig.signature !== 'string' || typeof sig.nonceStr !== 'string' || sig.timestamp == null) {
            throw new ChainToolbarError('NO_PERMISSION', 'getSignature returned no { timestamp, nonceStr, signature }', { api: 'agentConfig', raw: sig })
          }
          return sig
        },
        (error) => {
          throw new ChainToolbarError('NO_PERMISSION', 'getSignature(url) failed', { api: 'agentConfig', raw: error })
        },
      )
  }

  /** The first signature, asked for while the SDK chunk loads (one round trip less on a cold page). */
  let early: { url: string; signature: Promise<AgentConfigSignature> } | null = null
  function signatureFor(url: string): Promise<AgentConfigSignature> {
    const reuse = early && early.url === url ? early.signature : null
    early = null
    return reuse ?? getSignature(url)
  }

  function sdk(): Promise<WeComSdk> {
    if (!ready) {
      // The SDK signs the page URL without its #hash (docs/wecom-host.md §3): ask for it now, in parallel.
      if (typeof location !== 'undefined') {
        const url = location.href.split('#')[0]
        early = { url, signature: getSignature(url) }
        early.signature.catch(() => {})
      }
      const load = typeof options.sdk === 'function' ? options.sdk : options.sdk ? () => Promise.resolve(options.sdk as WeComSdk) : () => import('./wecom-sdk') as unknown as Promise<WeComSdk>
      ready = load().then((ww) => {
        const registration: Record<string, unknown> = { corpId: options.corpId, agentId: options.agentId, jsApiList: JS_API_LIST }
        // register() starts agentConfig itself and drops the rejection, which then surfaces as an
        // unhandled promise rejection (docs/wecom-host.md §3). Registering without the signature function
        // starts nothing; adding it to the same options object afterwards lets every API call run
        // agentConfig and receive its failure, where the kit handles it.
        ww.register(registration)
        registration.getAgentConfigSignature = signatureFor
        return ww
      })
      ready.catch(() => {
        ready = null
      })
    }
    return ready
  }

  async function call<T>(api: string, run: (ww: WeComSdk) => Promise<T>): Promise<T> {
    if (!isWeCom) throw new ChainToolbarError('NOT_IN_WECOM', 'Not in WeCom', { api })
    if (!options.corpId) throw new ChainToolbarError('NO_PERMISSION', 'createChainToolbar({ web: { corpId, agentId, getSignature } }) is required in the WeCom browser', { api })
    let ww: WeComSdk
    try {
      ww = await sdk()
    } catch (error) {
      throw new ChainToolbarError('HOST_ERROR', '@wecom/jssdk could not be loaded', { api, raw: error })
    }
    try {
      return await run(ww)
    } catch (error) {
      // The SDK rejects with its result object ({ errMsg: '<api>:<keyword>' }), not an Error.
      throw toHostError(api, error)
    }
  }

  return {
    name: 'web',
    isWeCom,
    getClientVersion: () => version,
    hasApi: () => isWeCom,
    getContext: () =>
      call<HostContext>('getContext', async (ww) => toHostContext(await ww.getContext())),
    getCurCorpGroupContact: () =>
      // Its .d.ts requires an argument (docs/wecom-host.md §3).
      call<ChainContact>('getCurCorpGroupContact', (ww) => ww.getCurCorpGroupContact({})),
    getCurCorpGroupChat: () => call<{ chatId: string }>('getCurCorpGroupChat', (ww) => ww.getCurCorpGroupChat()),
    sendChatMessage: (message: ChatMessage) =>
      call('sendChatMessage', async (ww) => {
        await ww.sendChatMessage({ ...message })
      }),
    onForeground(listener) {
      if (typeof window === 'undefined' || typeof document === 'undefined') return () => {}
      // A new activation: the page visible again, or restored from the back-forward cache. A bfcache
      // restore fires both events: after one hide, the second of the pair is the same activation.
      let hidden = false
      let last: { by: 'visible' | 'pageshow'; at: number } | null = null
      const fire = (by: 'visible' | 'pageshow') => {
        const twin = last && last.by !== by && !hidden && Date.now() - last.at < 1000
        hidden = false
        if (twin) return
        last = { by, at: Date.now() }
        listener()
      }
      const onHide = () => {
        hidden = true
        last = null
      }
      const onVisibility = () => {
        if (document.visibilityState === 'hidden') onHide()
        else if (document.visibilityState === 'visible') fire('visible')
      }
      const onPageHide = onHide
      const onPageShow = (event: PageTransitionEvent) => {
        if (event.persisted) fire('pageshow')
      }
      document.addEventListener('visibilitychange', onVisibility)
      window.addEventListener('pagehide', onPageHide)
      window.addEventListener('pageshow', onPageShow)
      return () => {
        document.removeEventListener('visibilitychange', onVisibility)
        window.removeEventListener('pagehide', onPageHide)
        window.removeEventListener('pageshow', onPageShow)
      }
    },
  }
}
