// A scripted wx.qy, written from the docs (seed doc 38713, docs/wecom-host.md §2): callback style, answers
// asynchronously, records every call. The outermost test double: the kit's adapter runs unchanged on it.
export interface QyScript {
  entry?: string
  version?: string | null
  contact?: { corpId: string; userId: string }
  chatId?: string
  /** Whether checkSession succeeds. */
  sessionValid?: boolean
  /** Per-API failure texts, e.g. { getCurCorpGroupContact: 'qy__getCurCorpGroupContact:fail no permission' }. */
  fail?: Record<string, string>
  /** APIs that never answer. */
  hang?: string[]
  /** APIs the client does not have (old clients: "is not a function"). */
  missing?: string[]
  /** Answer delay in ms (default: next macrotask). */
  latencyMs?: number
  /** APIs whose calls wait for `release(api)` (the test decides when, and how, each one answers). */
  defer?: string[]
  /**
   * Delivers each answer when it decides (a property test's scheduler); the answer is then the one the
   * client had when it received the call. Default: after `latencyMs`, as the state is then.
   */
  deliver?: (api: string, respond: (failure?: string) => void) => void
}

export interface QyCall {
  api: string
  params: Record<string, unknown>
}

export function createScriptedQy(script: QyScript = {}) {
  const calls: QyCall[] = []
  const held: Record<string, Array<(failure?: string) => void>> = {}
  const state = { sessionValid: script.sessionValid ?? true, ...script }
  const answers: Record<string, (at?: typeof state) => Record<string, unknown>> = {
    getContext: (at = state) => ({ entry: at.entry ?? 'normal' }),
    getCurCorpGroupContact: (at = state) => ({ ...(at.contact ?? { corpId: 'wwcorp', userId: 'zhangsan' }) }),
    getCurCorpGroupChat: (at = state) => ({ chatId: at.chatId ?? 'wrchat' }),
    sendChatMessage: () => ({}),
    login: () => ({ code: `code-${calls.filter((c) => c.api === 'login').length}` }),
    checkSession: () => ({}),
    getSystemInfo: (at = state) => ({ version: at.version }),
  }
  const qy: Record<string, unknown> = {}
  for (const api of Object.keys(answers)) {
    if (state.missing?.includes(api)) continue
    qy[api] = (options: Record<string, any> = {}) => {
      const { success, fail, complete, ...params } = options
      calls.push({ api, params })
      if (state.hang?.includes(api)) return
      const at = state.deliver ? { ...state, fail: { ...state.fail } } : state
      const respond = (override?: string) => {
        const state = at
        let failure = override ?? state.fail?.[api]
        if (api === 'checkSession' && !state.sessionValid) failure = 'qy__checkSession:fail session expired'
        if (api !== 'checkSession' && api !== 'login' && api !== 'getSystemInfo' && !state.sessionValid && !failure)
          failure = `qy__${api}:fail session expired`
        if (failure) {
          const res = { errMsg: failure }
          fail?.(res)
          complete?.(res)
        } else {
          const res = { errMsg: `qy__${api}:ok`, ...answers[api](state) }
          success?.(res)
          complete?.(res)
        }
      }
      if (state.defer?.includes(api)) (held[api] ??= []).push(respond)
      else if (state.deliver) state.deliver(api, respond)
      else setTimeout(respond, state.latencyMs ?? 0)
    }
  }
  qy.canIUse = (name: string) => typeof qy[name] === 'function'
  return {
    qy,
    calls,
    state,
    count: (api: string) => calls.filter((c) => c.api === api).length,
    order: () => calls.map((c) => c.api),
    /** Calls of `api` still waiting for `release`. */
    held: (api: string) => held[api]?.length ?? 0,
    /** Answers the oldest held call of `api` now: as the state says, or with the failure text given. */
    release(api: string, failure?: string) {
      const respond = held[api]?.shift()
      if (!respond) throw new Error(`no ${api} call is held`)
      respond(failure)
    },
  }
}
