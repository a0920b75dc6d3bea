import { ChainToolbarError } from '../errors'
import { parseWeComVersion } from '../version'
import { explain } from './hints'
import { toHostError } from './errors'
import { toHostContext } from './context'
import { createWebIdentity } from './oauth'
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

// uni (and any Vite build) replaces `process.env.NODE_ENV` with a string (src/runtime.ts).
declare const process: { env: { NODE_ENV?: string } }

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
  // Created now, in the app's createChainToolbar: the OAuth code and state leave the URL before any
  // agentConfig signs it (docs/wecom-host.md §5).
  const identity =
    isWeCom && options.exchangeOAuthCode && typeof location !== 'undefined'
      ? createWebIdentity({
          corpId: options.corpId,
          agentId: options.agentId,
          exchange: options.exchangeOAuthCode,
          redirect: options.oauthRedirect,
        })
      : null

  /** Development only: the URL the kit last asked to sign and the one the page landed on, for the hints. */
  let signed: string | undefined
  let landing: string | undefined
  if (process.env.NODE_ENV !== 'production' && typeof location !== 'undefined') landing = location.href.split('#')[0]
  /** Development only: gives `error` a hint with what the kit saw (src/host/hints.ts). */
  const seen = (error: ChainToolbarError) => {
    if (process.env.NODE_ENV !== 'production') {
      const page = typeof location !== 'undefined' ? location : undefined
      explain(error, { url: signed, page: page?.href, landing, origin: page?.origin, corpId: options.corpId, agentId: options.agentId })
    }
    return error
  }

  /**
   * The app's signature, bounded: a hung server gives TIMEOUT, which fails the SDK's agentConfig task,
   * so that the next call signs again instead of waiting on it for good (docs/wecom-host.md §3). Any
   * failure of it is the app's signature endpoint's (reason `signature-endpoint-failed`): a refused origin
   * reaches the page only as a CORS failure, and an HTTP error as whatever the app's request helper threw.
   */
  function getSignature(url: string): Promise<AgentConfigSignature> {
    if (process.env.NODE_ENV !== 'production') signed = url
    const failed = (code: 'NO_PERMISSION' | 'TIMEOUT', message: string, raw: unknown) =>
      seen(new ChainToolbarError(code, message, { api: 'agentConfig', raw, reason: 'signature-endpoint-failed' }))
    return bound('agentConfig', ms, undefined, () => sign!(url)).then(
      (sig) => {
        if (!sig || typeof sig.signature !== 'string' || typeof sig.nonceStr !== 'string' || sig.timestamp == null)
          throw failed('NO_PERMISSION', 'getAgentConfigSignature returned no { timestamp, nonceStr, signature }', sig)
        return sig
      },
      (error) => {
        throw error instanceof ChainToolbarError && error.code === 'TIMEOUT'
          ? failed('TIMEOUT', error.message, error)
          : failed('NO_PERMISSION', 'getAgentConfigSignature(url) failed', error)
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
      throw seen(new ChainToolbarError('NO_PERMISSION', message, { api, reason: 'kit-not-configured' }))
    }
    // The member's identity (OAuth code → the app's server) while the SDK loads and signs; a call waits for
    // it. When the page is about to leave for WeCom's OAuth, nothing else starts.
    const who = identity?.ensure(ms, scope)
    who?.catch(() => {})
    if (identity?.leaving) await who
    let ww: WeComSdk
    try {
      ww = await within(scope, sdk())
    } catch (error) {
      if (error instanceof ChainToolbarError) throw error
      throw new ChainToolbarError('HOST_ERROR', '@wecom/jssdk could not be loaded', { api, raw: error, reason: 'sdk-load-failed' })
    }
    try {
      await within(scope, Promise.resolve(ww.ensureConfigReady?.()))
      await who
      checkScope(scope)
      // A send once dispatched is waited for (its answer says whether it went out); a read is dropped with its activation.
      return await (write ? run(ww) : within(scope, run(ww)))
    } catch (error) {
      // register: false and the app has not called ww.register yet: the SDK has no signature function.
      if (error instanceof Error && /Missing get\w*Signature/.test(error.message)) {
        const message = 'web.register is false, and the app has not called ww.register({ getAgentConfigSignature }) yet'
        throw seen(new ChainToolbarError('NO_PERMISSION', message, { api, raw: error, reason: 'kit-not-configured' }))
      }
      // The SDK rejects with its result object ({ errMsg: '<api>:<keyword>' }), not an Error; an agentConfig
      // failure reaches the call that waited for it (80001, 40093: reasons `untrusted-domain`, `signature-rejected`).
      throw seen(toHostError(/^agentConfig:/.test(String((error as { errMsg?: string } | null)?.errMsg)) ? 'agentConfig' : api, error))
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
