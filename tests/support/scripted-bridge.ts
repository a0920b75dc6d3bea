// A scripted window.WeixinJSBridge that the real @wecom/jssdk accepts (docs/wecom-host.md §3): answers each
// invoke asynchronously with `{ err_msg: '<name>:ok', … }`, unknown names with `fail_function not exist`.
// The outermost test double for H5: the SDK and the kit's web host run unchanged on it.
import { createHash } from 'node:crypto'

export interface BridgeScript {
  entry?: string
  contact?: { corpId: string; userId: string }
  chatId?: string
  /** Per-API raw err_msg, e.g. { agentConfig: 'agentConfig://open.work.weixin.qq.com/devtool/query?e=80001' }. */
  fail?: Record<string, string>
  hang?: string[]
  latencyMs?: number
  /** Invokes that wait for `release(name)` (the test decides when, and how, each one answers). */
  defer?: string[]
  /**
   * The app jsapi ticket: agentConfig then verifies its signature as WeCom does, over the page URL without
   * its #hash when the client receives the invoke, and fails `invalid signature` otherwise (docs/wecom-host.md §3).
   */
  ticket?: string
  /** Answers for other JS APIs (an app's own, e.g. getCurExternalContact), as `<name>:ok` plus these fields. */
  extra?: Record<string, Record<string, unknown>>
  /**
   * Delivers each answer when it decides (a property test's scheduler); the answer is then the one the
   * client had when it received the invoke. Default: after `latencyMs`, as the state is then.
   */
  deliver?: (name: string, respond: (failure?: string) => void) => void
}

export interface BridgeCall {
  name: string
  params: Record<string, unknown>
}

export function createScriptedBridge(script: BridgeScript = {}) {
  const calls: BridgeCall[] = []
  const held: Record<string, Array<(failure?: string) => void>> = {}
  const state = { ...script }
  const answers: Record<string, (at: typeof state) => Record<string, unknown>> = {
    agentConfig: () => ({ checkResult: {} }),
    getContext: (at) => ({ entry: at.entry ?? 'normal' }),
    getCurCorpGroupContact: (at) => ({ ...(at.contact ?? { corpId: 'wwcorp', userId: 'zhangsan' }) }),
    getCurCorpGroupChat: (at) => ({ chatId: at.chatId ?? 'wrchat' }),
    sendChatMessage: () => ({}),
  }
  const bridge = {
    invoke(name: string, params: Record<string, unknown>, callback: (res: Record<string, unknown>) => void) {
      // Keep params as given: the SDK's callers may leave functions in them (docs/wecom-host.md §3).
      calls.push({ name, params })
      if (state.hang?.includes(name)) return
      const at = state.deliver ? { ...state, fail: { ...state.fail } } : state
      // WeCom checks the signature against the page the client shows now, not later.
      const signedUrl = location.href.split('#')[0]
      const respond = (override?: string) => {
        const failure = override ?? at.fail?.[name] ?? (name === 'agentConfig' ? badSignature(at.ticket, params, signedUrl) : undefined)
        const answer = answers[name] ?? (at.extra?.[name] && (() => ({ ...at.extra![name] })))
        if (failure) callback({ err_msg: failure })
        else if (answer) callback({ err_msg: `${name}:ok`, ...answer(at) })
        else callback({ err_msg: `${name}:fail_function not exist` })
      }
      if (state.defer?.includes(name)) (held[name] ??= []).push(respond)
      else if (state.deliver) state.deliver(name, respond)
      else setTimeout(respond, state.latencyMs ?? 0)
    },
    on() {},
  }
  return {
    bridge,
    calls,
    state,
    count: (name: string) => calls.filter((c) => c.name === name).length,
    order: () => calls.map((c) => c.name),
    /** Invokes of `name` still waiting for `release`. */
    held: (name: string) => held[name]?.length ?? 0,
    /** Answers the oldest held invoke of `name` now: as the state says, or with the err_msg given. */
    release(name: string, failure?: string) {
      const respond = held[name]?.shift()
      if (!respond) throw new Error(`no ${name} invoke is held`)
      respond(failure)
    },
  }
}

/** sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (docs/wecom-host.md §3). */
export const jsSdkSignature = (ticket: string, nonceStr: string, timestamp: string | number, url: string) =>
  createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`).digest('hex')

/** agentConfig's failure when a ticket is scripted and the signature is not the one for `url`. */
function badSignature(ticket: string | undefined, params: Record<string, unknown>, url: string): string | undefined {
  if (ticket === undefined) return undefined
  const expected = jsSdkSignature(ticket, String(params.nonceStr), String(params.timestamp), url)
  return params.signature === expected ? undefined : 'agentConfig:fail_invalid signature'
}

export const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light'

/** Makes the page look like the WeCom browser before the SDK module is evaluated. */
export function enterWeComBrowser(userAgent = WECOM_UA, script: BridgeScript = {}) {
  const scripted = createScriptedBridge(script)
  Object.defineProperty(window.navigator, 'userAgent', { value: userAgent, configurable: true })
  ;(window as any).WeixinJSBridge = scripted.bridge
  return scripted
}
