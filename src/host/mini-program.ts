import { ChainToolbarError, type ErrorCode } from '../errors'
import type { ChainContact, ChatMessage } from '../types'
import { toHostContext } from './context'
import { isSessionFailure, toHostError } from './errors'
import type { ChainHost, HostApi, HostContext } from './types'

type Callbacks = { success?: (res: any) => void; fail?: (res: any) => void; complete?: (res: any) => void }
/** The part of `wx.qy` the kit uses; every method is callback style (docs/wecom-host.md §2). */
export type QyLike = { [method: string]: ((options?: Callbacks & Record<string, unknown>) => unknown) | unknown }

/** The app-level events of the mini program (`wx.onAppShow` / `wx.onAppHide`). */
export interface MiniProgramAppEvents {
  onAppShow?: (listener: () => void) => void
  offAppShow?: (listener: () => void) => void
}

export interface MiniProgramHostOptions {
  /** The `wx.qy` object. Default: the global `wx.qy`, read when the host is created. None: outside WeCom. */
  qy?: QyLike | null
  /** Sends a `wx.qy.login` code to the app's server (jscode2session), which makes the session valid. */
  exchangeCode?: (code: string) => unknown
  /** Where app show events come from. Default: the global `wx` (then `uni`). */
  app?: MiniProgramAppEvents | null
}

declare const wx: any
declare const uni: any

/** Calls one callback-style wx.qy method as a promise; failures become ChainToolbarError (with `code`, when given). */
function invoke<T = any>(qy: QyLike, api: string, params?: Record<string, unknown>, code?: ErrorCode): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fn = qy[api]
    // Old clients lack the function (docs/wecom-host.md §2: "wx.qy.getCurCorpGroupContact is not a function").
    if (typeof fn !== 'function') throw new ChainToolbarError('CLIENT_TOO_OLD', `wx.qy.${api} is not a function`, { api })
    fn.call(qy, {
      ...params,
      // Success is errMsg ending in ':ok' (`qy__getContext:ok` and `qy.sendChatMessage:ok` both reported).
      success: (res: any) => (typeof res?.errMsg === 'string' && res.errMsg && !/:\s*ok$/i.test(res.errMsg) ? reject(res) : resolve(res)),
      fail: reject,
    })
  }).catch((raw) => {
    // The fail result, a success result that is not ok, or what the call threw.
    throw toHostError(api, raw, code)
  })
}

/** `g` when it has app show events. */
const withAppShow = (g: any): MiniProgramAppEvents | null => (typeof g?.onAppShow === 'function' ? g : null)

/**
 * The WeCom mini program host: `wx.qy` (uni-app target mp-weixin), callbacks wrapped in promises.
 *
 * Session (docs/wecom-host.md §2): every wx.qy call needs `wx.qy.login` done and a valid session_key. Each
 * activation checks the session once (`checkSession`), overlapping the first call instead of adding a
 * round trip; an answer counts only once the session is known valid. When the check fails the kit logs
 * in (`login` → the app's `exchangeCode`) and makes the raced call again. A call that fails for the
 * session later is retried once after a new login.
 */
export function createMiniProgramHost(options: MiniProgramHostOptions = {}): ChainHost {
  const globalWx = typeof wx !== 'undefined' ? wx : undefined
  const qy: QyLike | null = options.qy !== undefined ? options.qy : (globalWx?.qy ?? null)
  const exchangeCode = options.exchangeCode
  const appEvents = options.app !== undefined ? options.app : (withAppShow(globalWx) ?? withAppShow(typeof uni !== 'undefined' ? uni : null))

  let session: Promise<boolean> | null = null // resolves true when this activation had to log in
  let sessionValid = false
  let version: Promise<string | null> | null = null

  /** `login` → the app's `exchangeCode` (jscode2session), which makes the session valid; resolves true. */
  async function login(): Promise<true> {
    const failed = (message: string, raw?: unknown) => new ChainToolbarError('LOGIN_FAILED', message, { api: 'login', raw })
    const code: unknown = (await invoke(qy!, 'login', undefined, 'LOGIN_FAILED'))?.code
    if (typeof code !== 'string' || !code) throw failed('wx.qy.login gave no code')
    if (!exchangeCode) throw failed('miniProgram.exchangeCode is missing')
    try {
      await exchangeCode(code)
    } catch (error) {
      throw failed('exchangeCode(code) failed', error)
    }
    return true
  }

  /** Makes `attempt` this activation's session; a failed login is tried again on the next call. */
  function track(attempt: Promise<boolean>): Promise<boolean> {
    session = attempt
    attempt.then(
      () => {
        if (session === attempt) sessionValid = true
      },
      () => {
        if (session === attempt) session = null
      },
    )
    return attempt
  }

  async function call<T>(api: string, params?: Record<string, unknown>): Promise<T> {
    if (!qy) throw new ChainToolbarError('NOT_IN_WECOM', 'Not in WeCom', { api })
    const raced = !sessionValid
    // This activation's session, checked once.
    const pending = session ?? track(invoke(qy, 'checkSession').then(() => false, login))
    const first = invoke<T>(qy, api, params)
    first.catch(() => {}) // its answer may be discarded below
    if ((await pending) && raced) return invoke<T>(qy, api, params) // it ran against an invalid session
    try {
      return await first
    } catch (error) {
      if (!isSessionFailure(error)) throw error
      // Forget the session, log in again, and retry once.
      sessionValid = false
      await track(login())
      return invoke<T>(qy, api, params)
    }
  }

  return {
    name: 'mini-program',
    isWeCom: !!qy,
    getClientVersion() {
      if (!qy) return null
      // wx.qy.getSystemInfo gives the WeCom version; wx.getSystemInfo's is WeChat-compatible (docs/wecom-host.md §2).
      return (version ??= invoke(qy, 'getSystemInfo').then(
        (res) => (typeof res?.version === 'string' && res.version) || null,
        () => (version = null), // asked again next time
      ))
    },
    hasApi(api: HostApi) {
      if (!qy || typeof qy[api] !== 'function') return false
      try {
        return typeof qy.canIUse === 'function' ? (qy.canIUse as (n: string) => unknown)(api) !== false : true
      } catch {
        return true
      }
    },
    beginActivation() {
      session = null
      sessionValid = false
    },
    getContext: () => call<any>('getContext').then(toHostContext),
    getCurCorpGroupContact: () => call<ChainContact>('getCurCorpGroupContact'),
    getCurCorpGroupChat: () => call<{ chatId: string }>('getCurCorpGroupChat'),
    async sendChatMessage(message: ChatMessage) {
      await call('sendChatMessage', message as unknown as Record<string, unknown>)
    },
    onForeground(listener) {
      if (!appEvents?.onAppShow) return () => {}
      const handler = () => listener()
      appEvents.onAppShow(handler)
      return () => appEvents.offAppShow?.(handler)
    },
  }
}
