import { ChainToolbarError, type ErrorCode, type ErrorReason } from '../errors'
import { toHostContext } from './context'
import { isSessionFailure, toHostError } from './errors'
import { bound, checkScope, deadline, within, type ActivationScope } from './scope'
import type { ChainContact, ChainHost, ChatMessage, HostApi } from './types'

type Callbacks = { success?: (res: any) => void; fail?: (res: any) => void; complete?: (res: any) => void }
/** The part of `wx.qy` the kit uses; every method is callback style (docs/wecom-host.md §2). */
export type QyLike = { [method: string]: ((options?: Callbacks & Record<string, unknown>) => unknown) | unknown }

/** The app-level events of the mini program (`wx.onAppShow` / `wx.onAppHide`, and their `off`). */
export interface MiniProgramAppEvents {
  onAppShow?: (listener: () => void) => void
  offAppShow?: (listener: () => void) => void
  onAppHide?: (listener: () => void) => void
  offAppHide?: (listener: () => void) => void
}

export interface MiniProgramHostOptions {
  /** The `wx.qy` object. Default: the global `wx.qy`, read when the host is created. None: outside WeCom. */
  qy?: QyLike | null
  /** Sends a `wx.qy.login` code to the app's server (jscode2session), which makes the session valid. */
  exchangeCode?: (code: string) => unknown
  /** Where app show events come from. Default: the global `wx` (then `uni`). */
  app?: MiniProgramAppEvents | null
  /**
   * Deadline of each session step (checkSession, login, exchangeCode) and getSystemInfo made for a call that
   * carries no scope; a call's scope brings the kit's own `timeoutMs`. Default: the kit's default.
   */
  timeoutMs?: number
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
 * activation (the scope its calls carry) checks the session once (`checkSession`); a read overlaps that
 * check instead of adding a round trip, and its answer counts only once the session is known valid. When
 * the check fails the kit logs in (`login` → the app's `exchangeCode`) and asks the raced read again. A
 * call that fails for the session later is retried once after a new login: a read always; a send only
 * while its activation is current (a session failure proves it was not delivered), and a send never
 * races the session: it waits for the check or a login in flight, so the client receives it once.
 * One login at a time per app (a new activation joins the one in flight); every step is bounded by
 * `timeoutMs`, and a retry after a failure or a timeout starts it again.
 */
export function createMiniProgramHost(options: MiniProgramHostOptions = {}): ChainHost {
  const globalWx = typeof wx !== 'undefined' ? wx : undefined
  const qy: QyLike | null = options.qy !== undefined ? options.qy : (globalWx?.qy ?? null)
  const exchangeCode = options.exchangeCode
  const appEvents =
    options.app !== undefined ? options.app : (withAppShow(globalWx) ?? withAppShow(typeof uni !== 'undefined' ? uni : null))
  const ms = deadline(options.timeoutMs)
  /** A step made for a call: bounded by the deadline its scope carries (the kit's timeoutMs), else the option's. */
  const step = <T>(api: string, scope: ActivationScope | undefined, run: () => T | PromiseLike<T>) =>
    bound(api, scope ? scope.timeoutMs : ms, undefined, run)

  /** The activation the session state below belongs to. */
  let current: ActivationScope | undefined
  /** This activation's session check: resolves true when it had to log in. */
  let check: Promise<boolean> | null = null
  /** The session is known valid in this activation. */
  let valid = false
  /** The login in flight, for the whole app: one exchangeCode at a time. */
  let loggingIn: Promise<void> | null = null
  let version: string | null | undefined
  let asking: Promise<string | null> | null = null

  /** `login` → the app's `exchangeCode` (jscode2session), which makes the session valid; for `scope`'s call. */
  function login(scope: ActivationScope | undefined): Promise<void> {
    if (!loggingIn) {
      const failed = (message: string, raw?: unknown, reason?: ErrorReason) =>
        new ChainToolbarError('LOGIN_FAILED', message, { api: 'login', raw, reason })
      loggingIn = (async () => {
        try {
          const code: unknown = (await step('login', scope, () => invoke(qy!, 'login', undefined, 'LOGIN_FAILED')))?.code
          if (typeof code != 'string' || !code) throw failed('wx.qy.login gave no code')
          if (!exchangeCode) throw failed('miniProgram.exchangeCode is missing', undefined, 'kit-not-configured')
          // The app's server could not make the session (its secret, its endpoint): `session-exchange-failed`.
          await step('exchangeCode', scope, () => exchangeCode(code)).catch((error) => {
            throw error instanceof ChainToolbarError && error.code == 'TIMEOUT' ? error : failed('exchangeCode(code) failed', error, 'session-exchange-failed')
          })
          valid = true
        } finally {
          // Only this login sets it while it is in flight.
          loggingIn = null
        }
      })()
    }
    return loggingIn
  }

  /** Resolves once the session is valid for `scope`'s activation: true when it had to log in. */
  function session(scope: ActivationScope | undefined): Promise<boolean> {
    if (scope !== current) {
      // A new activation: check the session again (it may have expired while the app was hidden).
      current = scope
      check = null
      valid = false
    }
    if (loggingIn) return loggingIn.then(() => true)
    if (!check) {
      const attempt: Promise<boolean> = (check = step('checkSession', scope, () => invoke(qy!, 'checkSession')).then(
        () => {
          if (check === attempt) valid = true
          return false
        },
        () => login(scope).then(() => true),
      ))
      attempt.catch(() => {
        if (check === attempt) check = null // a retry checks again
      })
    }
    return check
  }

  async function call<T>(api: string, scope?: ActivationScope, params?: Record<string, unknown>, write?: boolean): Promise<T> {
    if (!qy) throw new ChainToolbarError('NOT_IN_WECOM', 'Not in WeCom', { api })
    checkScope(scope)
    const pending = session(scope)
    const raced = !valid
    // A read overlaps the session check; a write waits for it (below), so that it is sent once.
    let answer: Promise<T> | null = raced && write ? null : invoke<T>(qy, api, params)
    answer?.catch(() => {}) // it may be discarded below
    const loggedIn = await within(scope, pending)
    if (!answer || (loggedIn && raced)) {
      checkScope(scope)
      answer = invoke<T>(qy, api, params) // a write's first send, or a read that ran against an invalid session
    }
    try {
      return await (write ? answer : within(scope, answer))
    } catch (error) {
      if (!isSessionFailure(error)) throw error
      // The client's answer proves the call did not go through: log in again and retry once, in this activation only.
      checkScope(scope)
      valid = false
      await within(scope, login(scope))
      checkScope(scope)
      const retry = invoke<T>(qy, api, params)
      return write ? retry : within(scope, retry)
    }
  }

  return {
    name: 'mini-program',
    isWeCom: !!qy,
    getClientVersion(scope) {
      if (!qy || version !== undefined) return version ?? null
      // wx.qy.getSystemInfo gives the WeCom version; wx.getSystemInfo's is WeChat-compatible (docs/wecom-host.md §2).
      // Bounded; only an answer is kept: a hung or failed ask is made again next time.
      return (asking ??= step('getSystemInfo', scope, () => invoke(qy, 'getSystemInfo')).then(
        (res) => (version = (typeof res?.version === 'string' && res.version) || null),
        () => (asking = null),
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
    getContext: (scope) => call<any>('getContext', scope).then(toHostContext),
    getCurCorpGroupContact: (scope) => call<ChainContact>('getCurCorpGroupContact', scope),
    getCurCorpGroupChat: (scope) => call<{ chatId: string }>('getCurCorpGroupChat', scope),
    async sendChatMessage(message: ChatMessage, scope) {
      await call('sendChatMessage', scope, message as unknown as Record<string, unknown>, true)
    },
    // Asked only after a read succeeded (so wx.qy is there): the wx.qy session stays valid, only the app's
    // server forgot it (a cold start, an expired token).
    renewSession: login,
    onForeground(listener) {
      if (!appEvents?.onAppShow) return () => {}
      // A listener added at install may get the launch show (docs/wecom-host.md §2, app show at launch): that is
      // the activation the kit started then, not a new one. A show counts once the app was hidden.
      let hidden = !appEvents.onAppHide
      const onHide = () => (hidden = true)
      const onShow = () => {
        if (!hidden) return
        hidden = !appEvents.onAppHide
        listener()
      }
      appEvents.onAppHide?.(onHide)
      appEvents.onAppShow(onShow)
      return () => {
        appEvents.offAppShow?.(onShow)
        appEvents.offAppHide?.(onHide)
      }
    },
  }
}
