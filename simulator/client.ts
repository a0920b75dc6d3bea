// The simulated WeCom client: one scenario, one call log, and the two faces a page sees — the mini
// program's callback-style `qy` object (docs/wecom-host.md §2) and the H5 `WeixinJSBridge` that the real
// @wecom/jssdk drives (docs/wecom-host.md §3). Nothing here touches globals; index.ts installs it.
import { reactive } from 'vue'
import { BODY_FIELDS } from '../src/message'
import {
  CHAT_TOOLBAR_ENTRIES,
  clientHasApi,
  DEFAULT_SCENARIO,
  failureText,
  mergeScenario,
  SIMULATED_ERROR_CODES,
  wrongEntryText,
  type SimulatedApi,
  type SimulatedForm,
  type SimulatorScenario,
} from './scenario'
import { sha1 } from './sha1'

/** One host call as the client saw it. */
export interface SimulatorCall {
  id: number
  api: string
  form: SimulatedForm
  /** The call's parameters without functions (the SDK's and the adapter's callbacks). */
  params: Record<string, unknown>
  /** ms since the simulator started. */
  at: number
  /** `hung`: the scenario let this call never answer. */
  status: 'pending' | 'ok' | 'fail' | 'hung'
  /** What the client answered (`errMsg` / `err_msg` and the result fields). */
  answer?: Record<string, unknown>
  durationMs?: number
}

export interface SimulatedClient {
  /** The live scenario (reactive): answers follow it; edit it through `set`. */
  readonly scenario: SimulatorScenario
  /** Every call, oldest first (reactive), at most `logLimit` entries. */
  readonly log: SimulatorCall[]
  /** The mini program face: callback style, functions present per the client version at creation. */
  readonly qy: Record<string, unknown>
  /** The H5 face: what `window.WeixinJSBridge` is in the WeCom browser. */
  readonly bridge: {
    invoke(name: string, params: Record<string, unknown>, callback: (res: Record<string, unknown>) => void): void
    on(name: string, callback: (...args: unknown[]) => void): void
  }
  /** Changes the scenario for the answers that follow (a call already made keeps its answer). */
  set(patch: Partial<SimulatorScenario>): void
  /**
   * The agentConfig signature for `url` as the app's server makes it with the scenario's ticket, or the
   * scenario's fault of that endpoint (`signatureEndpoint`): for `createChainToolbar({ web: { getSignature } })`.
   */
  getSignature(url: string): Promise<{ timestamp: number; nonceStr: string; signature: string }>
  clearLog(): void
}

export interface SimulatedClientOptions {
  /** Oldest calls are dropped beyond this many. Default 200. */
  logLimit?: number
  /** The page's URL, read when agentConfig is checked (and once, at creation, as the landing URL). Default: `location.href`. */
  pageUrl?: () => string
  /**
   * Whether WeCom issued a media id (the fake WeCom API's uploads, say); a send with an id it did not fails
   * `invalid media_id` (40007). Checked besides the scenario's `mediaIds`. Default: any non-empty id.
   */
  isMediaIssued?: (mediaId: string) => boolean
}

type Outcome = { ok: true; result: Record<string, unknown> } | { ok: false; text: string; code?: number }

/** The signature WeCom expects (docs/wecom-host.md §3, §5): sha1 over the ticket, nonce, timestamp and URL, keys in this order. */
const signatureOf = (ticket: string, nonceStr: string, timestamp: unknown, url: string) =>
  sha1(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`)
/** WeCom's errcode for a text that has one (`invalid signature` 40093, `invalid media_id` 40007). */
const errorCodeOf = (text: string) => Object.entries(SIMULATED_ERROR_CODES).find(([known]) => text.includes(known))?.[1]
const withoutHash = (url: string) => url.split('#')[0]

const MSG_BODIES: Record<string, readonly string[]> = BODY_FIELDS

/** Parameters as plain data: callbacks dropped, never JSON-cloned as a whole (docs/wecom-host.md §3). */
function plain(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return undefined
  if (value == null || typeof value !== 'object') return value
  if (depth > 4) return '…'
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'function') out[key] = plain(item, depth + 1)
  }
  return out
}

export function createSimulatedClient(initial: Partial<SimulatorScenario> = {}, options: SimulatedClientOptions = {}): SimulatedClient {
  const scenario = reactive(mergeScenario(DEFAULT_SCENARIO as SimulatorScenario, initial)) as SimulatorScenario
  const log = reactive<SimulatorCall[]>([])
  const logLimit = options.logLimit ?? 200
  const started = Date.now()
  let nextId = 1
  const pageUrl = options.pageUrl ?? (() => (typeof location !== 'undefined' ? location.href : ''))
  /** iOS checks the signature against the URL a single-page app landed on (docs/wecom-host.md §3). */
  const landingUrl = withoutHash(pageUrl())

  /** The client's answer, decided when the call is made (the chat the page is in at that moment). */
  function decide(api: SimulatedApi, params: Record<string, unknown>, form: SimulatedForm): Outcome {
    const scripted = scenario.fail[api]
    if (scripted) {
      const text = failureText(api, form, scripted)
      return { ok: false, text, code: errorCodeOf(text) }
    }
    const fail = (text: string): Outcome => ({
      ok: false,
      text: form === 'qy' ? `qy__${api}:fail ${text}` : `${api}:fail_${text}`,
      code: errorCodeOf(text),
    })
    if (!clientHasApi(api, scenario.version)) return fail('function not exist')
    // Mini program: every call needs a valid session (login + the app server's code exchange, docs/wecom-host.md §2).
    if (form === 'qy' && !scenario.sessionValid && api !== 'login' && api !== 'getSystemInfo') return fail('session expired')
    switch (api) {
      case 'agentConfig': {
        // WeCom recomputes the signature over its own app ticket and the page URL without #hash (on iOS the
        // URL the page landed on) and refuses any other (docs/wecom-host.md §3, §4).
        const url = scenario.landingUrlRule ? landingUrl : withoutHash(pageUrl())
        const expected = signatureOf(scenario.ticket, String(params.nonceStr), params.timestamp, url)
        if (scenario.checkSignature && params.signature !== expected) return fail('invalid signature')
        return { ok: true, result: { checkResult: {} } }
      }
      case 'checkSession':
        return { ok: true, result: {} }
      case 'login':
        return { ok: true, result: { code: `sim-code-${Math.random().toString(36).slice(2, 10)}` } }
      case 'getSystemInfo':
        return { ok: true, result: { version: scenario.version } }
      case 'getContext':
        return { ok: true, result: { entry: scenario.entry } }
      case 'getCurCorpGroupContact':
        if (scenario.entry !== 'chain_single_chat_tools') return fail(wrongEntryText(api, form))
        return { ok: true, result: { corpId: scenario.contact.corpId, userId: scenario.contact.userId } }
      case 'getCurCorpGroupChat':
        if (scenario.entry !== 'chain_group_chat_tools') return fail(wrongEntryText(api, form))
        return { ok: true, result: { chatId: scenario.chatId } }
      case 'sendChatMessage': {
        if (!CHAT_TOOLBAR_ENTRIES.includes(scenario.entry)) return fail(wrongEntryText(api, form))
        const msgtype = params.msgtype as string
        const fields = MSG_BODIES[msgtype]
        if (!fields) return fail('unsupported msgtype')
        const body = params[msgtype] as Record<string, unknown> | undefined
        if (!body || typeof body !== 'object') return fail('invalid param')
        if (msgtype === 'text' && !body.content) return fail('content empty')
        if ((msgtype === 'news' || msgtype === 'miniprogram') && !/^https?:\/\//i.test(String(body.imgUrl ?? ''))) {
          // An empty imgUrl fails with `invalid param` on Windows; a non-http one with `invalid imgUrl` (docs/wecom-host.md §1).
          return fail(body.imgUrl ? 'invalid imgUrl' : 'invalid param')
        }
        if (fields.some((field) => body[field] == null || body[field] === '')) return fail('invalid param')
        // Only ids WeCom issued (temporary media lives 3 days): WeCom's own text for another (docs/wecom-host.md §4).
        const mediaid = fields[0] === 'mediaid' ? String(body.mediaid) : null
        if (mediaid && ((scenario.mediaIds && !scenario.mediaIds.includes(mediaid)) || options.isMediaIssued?.(mediaid) === false))
          return fail('invalid media_id')
        return { ok: true, result: {} }
      }
    }
    return fail('function not exist')
  }

  /** Records the call and answers after the scenario's latency (or never, when the API hangs). */
  function handle(
    api: string,
    rawParams: Record<string, unknown> | undefined,
    form: SimulatedForm,
    deliver: (answer: Record<string, unknown>, ok: boolean) => void,
  ) {
    const params = (plain(rawParams ?? {}) ?? {}) as Record<string, unknown>
    const known = (form === 'bridge' ? BRIDGE_APIS : QY_APIS).includes(api as SimulatedApi)
    const outcome: Outcome = known
      ? decide(api as SimulatedApi, params, form)
      : { ok: false, text: form === 'qy' ? `qy__${api}:fail function not exist` : `${api}:fail_function not exist` }
    const hung = known && scenario.hang.includes(api as SimulatedApi)
    const entry: SimulatorCall = { id: nextId++, api, form, params, at: Date.now() - started, status: hung ? 'hung' : 'pending' }
    log.push(entry)
    if (log.length > logLimit) log.splice(0, log.length - logLimit)
    const recorded = log[log.length - 1] // the reactive proxy of `entry`
    if (hung) return
    setTimeout(
      () => {
        const answer = answerOf(api, form, outcome)
        recorded.status = outcome.ok ? 'ok' : 'fail'
        recorded.answer = plain(answer) as Record<string, unknown>
        recorded.durationMs = Date.now() - started - entry.at
        // A successful login stands for the code exchange succeeding too: the session is valid from now on.
        if (outcome.ok && api === 'login') scenario.sessionValid = true
        deliver(answer, outcome.ok)
      },
      Math.max(0, scenario.latencyMs),
    )
  }

  function answerOf(api: string, form: SimulatedForm, outcome: Outcome): Record<string, unknown> {
    if (outcome.ok) return form === 'qy' ? { errMsg: `qy__${api}:ok`, ...outcome.result } : { err_msg: `${api}:ok`, ...outcome.result }
    const answer: Record<string, unknown> = form === 'qy' ? { errMsg: outcome.text } : { err_msg: outcome.text }
    if (outcome.code) answer[form === 'qy' ? 'errCode' : 'err_code'] = outcome.code
    return answer
  }

  async function getSignature(url: string) {
    const endpoint = scenario.signatureEndpoint
    // A refused origin reaches the page as a failed fetch, nothing more; an HTTP error as the app's request helper reports it.
    if (endpoint === 'cors') throw new TypeError('Failed to fetch')
    if (typeof endpoint === 'number') throw new Error(`signature endpoint answered ${endpoint}`)
    const timestamp = Math.floor(Date.now() / 1000)
    const nonceStr = Math.random().toString(36).slice(2, 12)
    const ticket = endpoint === 'corp-ticket' ? 'corp-jsapi-ticket' : scenario.ticket
    return { timestamp, nonceStr, signature: signatureOf(ticket, nonceStr, timestamp, url) }
  }

  const bridge: SimulatedClient['bridge'] = {
    invoke(name, params, callback) {
      // params keep the SDK's own fields; the callback is answered asynchronously like the real client.
      handle(name, params, 'bridge', (answer) => callback(answer))
    },
    on() {
      // The kit subscribes to no bridge events; the real client would deliver menu/share events here.
    },
  }

  const qy: Record<string, unknown> = {}
  for (const api of QY_APIS) {
    // An old client lacks the function itself ("wx.qy.getCurCorpGroupContact is not a function", docs/wecom-host.md §2).
    if (!clientHasApi(api, scenario.version)) continue
    qy[api] = (callOptions: Record<string, unknown> = {}) => {
      const { success, fail, complete, ...params } = callOptions as Record<string, any>
      handle(api, params, 'qy', (res, ok) => {
        if (ok) success?.(res)
        else fail?.(res)
        complete?.(res)
      })
    }
  }
  qy.canIUse = (name: string) => typeof qy[name] === 'function' && clientHasApi(name as SimulatedApi, scenario.version)

  return {
    scenario,
    log,
    qy,
    bridge,
    set(patch) {
      const next = mergeScenario(scenario, patch)
      Object.assign(scenario, next)
    },
    getSignature,
    clearLog() {
      log.splice(0, log.length)
    },
  }
}

const BRIDGE_APIS: readonly SimulatedApi[] = [
  'agentConfig',
  'getContext',
  'getCurCorpGroupContact',
  'getCurCorpGroupChat',
  'sendChatMessage',
]
const QY_APIS: readonly SimulatedApi[] = [
  'getContext',
  'getCurCorpGroupContact',
  'getCurCorpGroupChat',
  'sendChatMessage',
  'login',
  'checkSession',
  'getSystemInfo',
]
