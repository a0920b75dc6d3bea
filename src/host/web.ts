import { ChainToolbarError } from '../errors'
import { parseWeComVersion } from '../version'
import { toHostError } from './errors'
import { toHostContext } from './context'
import { bound, checkScope, deadline, within, type ActivationScope } from './scope'
import type { AgentConfigSignature, ChainContact, ChainHost, ChainToolbarWebOptions, ChatMessage, HostContext } from './types'

/** The @wecom/jssdk functions the web host calls (a subset of `import * as ww from '@wecom/jssdk'`). */
export interface WeComSdk {
  register(options: Record<string, unknown>): void
  /** Resolves once agentConfig is done for the current URL (the SDK runs it itself when needed). */
  ensureConfigReady?(): Promise<unknown>
  getContext(params?: object): Promise<any>
  getCurCorpGroupContact(params: object): Promise<any>
  getCurCorpGroupChat(params?: object): Promise<any>
  sendChatMessage(params: any): Promise<any>
  env?: { isWeCom?: boolean }
}

export interface WebHostOptions extends ChainToolbarWebOptions {
  /** The SDK module, or a loader of it. Default: the lazily imported `@wecom/jssdk`. */
  sdk?: WeComSdk | (() => Promise<WeComSdk>)
  /** Default: `navigator.userAgent`, read when the host is created. */
  userAgent?: string
  /**
   * Deadline of the signature function, until a call brings the kit's own `timeoutMs` (with its scope).
   * Default 8000; above 2^31-1 ms (Infinity included): none.
   */
  timeoutMs?: number
}

/** The APIs the kit calls: registered by the kit, or by the app (`register: false`). */
export const KIT_JS_API_LIST = ['getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage']

/**
 * The H5 host: the official @wecom/jssdk in the WeCom browser. The SDK is imported on the first call,
 * and only when the user agent says WeCom: an ordinary browser never loads it, and never waits on it.
 * The kit registers the app identity (`ww.register`, with the app's `jsApiList` merged in), unless
 * `register: false` says the app does; either way each call waits for agentConfig first, so that a call
 * whose activation ended while the SDK signs (again, after a route change) is dropped before the SDK
 * holds it (docs/wecom-host.md §3).
 */
export function createWebHost(options: WebHostOptions): ChainHost {
  const userAgent = options.userAgent ?? (typeof navigator !== 'undefined' ? navigator.userAgent : '')
  // The SDK decides "in WeCom" the same way, once, from the user agent (docs/wecom-host.md §3).
  const version = parseWeComVersion(userAgent)
  const isWeCom = version != null
  const registers = options.register !== false
  const sign = options.getAgentConfigSignature ?? options.getSignature
  /** The signature's deadline: the option, then the one the calls' scopes carry (the kit's timeoutMs). */
  let ms = deadline(options.timeoutMs)
  let ready: Promise<WeComSdk> | null = null

  /**
   * The app's signature, bounded: a hung server gives TIMEOUT, which fails the SDK's agentConfig task,
   * so that the next call signs again instead of waiting on it for good (docs/wecom-host.md §3).
   */
  function getSignature(url: string): Promise<AgentConfigSignature> {
    return bound('agentConfig', ms, undefined, () => sign!(url)).then(
      (sig) => {
        if (!sig || typeof sig.signature !== 'string' || typeof sig.nonceStr !== 'string' || sig.timestamp == null) {
          const message = 'getAgentConfigSignature returned no { timestamp, nonceStr, signature }'
          throw new ChainToolbarError('NO_PERMISSION', message, { api: 'agentConfig', raw: sig })
        }
        return sig
      },
      (error) => {
        if (error instanceof ChainToolbarError && error.code === 'TIMEOUT') throw error
        throw new ChainToolbarError('NO_PERMISSION', 'getAgentConfigSignature(url) failed', { api: 'agentConfig', raw: error })
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
      if (registers && typeof location !== 'undefined') {
        const url = location.href.split('#')[0]
        early = { url, signature: getSignature(url) }
        early.signature.catch(() => {})
      }
      const load =
        typeof options.sdk === 'function'
          ? options.sdk
          : options.sdk
            ? () => Promise.resolve(options.sdk as WeComSdk)
            : () => import('./wecom-sdk') as unknown as Promise<WeComSdk>
      ready = load().then((ww) => {
        if (!registers) return ww // the app owns ww.register (its options object is the SDK's only one)
        const jsApiList = [...KIT_JS_API_LIST, ...(options.jsApiList ?? []).filter((api) => !KIT_JS_API_LIST.includes(api))]
        const registration: Record<string, unknown> = { corpId: options.corpId, agentId: options.agentId, jsApiList }
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

  async function call<T>(api: string, scope: ActivationScope | undefined, run: (ww: WeComSdk) => Promise<T>, write = false): Promise<T> {
    if (!isWeCom) throw new ChainToolbarError('NOT_IN_WECOM', 'Not in WeCom', { api })
    if (scope) ms = scope.timeoutMs
    if (registers && !(options.corpId && sign)) {
      const message = 'createChainToolbar({ web: { corpId, agentId, getAgentConfigSignature } }) is required in the WeCom browser'
      throw new ChainToolbarError('NO_PERMISSION', message, { api })
    }
    let ww: WeComSdk
    try {
      ww = await within(scope, sdk())
    } catch (error) {
      if (error instanceof ChainToolbarError) throw error
      throw new ChainToolbarError('HOST_ERROR', '@wecom/jssdk could not be loaded', { api, raw: error })
    }
    try {
      await within(scope, Promise.resolve(ww.ensureConfigReady?.()))
      checkScope(scope)
      // A send once dispatched is waited for (its answer says whether it went out); a read is dropped with its activation.
      return await (write ? run(ww) : within(scope, run(ww)))
    } catch (error) {
      // register: false and the app has not called ww.register yet: the SDK has no signature function.
      if (error instanceof Error && /Missing get\w*Signature/.test(error.message)) {
        const message = 'web.register is false, and the app has not called ww.register({ getAgentConfigSignature }) yet'
        throw new ChainToolbarError('NO_PERMISSION', message, { api, raw: error })
      }
      // The SDK rejects with its result object ({ errMsg: '<api>:<keyword>' }), not an Error.
      throw toHostError(api, error)
    }
  }

  return {
    name: 'web',
    isWeCom,
    getClientVersion: () => version,
    hasApi: () => isWeCom,
    getContext: (scope) => call<HostContext>('getContext', scope, async (ww) => toHostContext(await ww.getContext())),
    // Its .d.ts requires an argument (docs/wecom-host.md §3).
    getCurCorpGroupContact: (scope) => call<ChainContact>('getCurCorpGroupContact', scope, (ww) => ww.getCurCorpGroupContact({})),
    getCurCorpGroupChat: (scope) => call<{ chatId: string }>('getCurCorpGroupChat', scope, (ww) => ww.getCurCorpGroupChat()),
    sendChatMessage: (message: ChatMessage, scope) =>
      call(
        'sendChatMessage',
        scope,
        async (ww) => {
          await ww.sendChatMessage({ ...message })
        },
        true,
      ),
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
