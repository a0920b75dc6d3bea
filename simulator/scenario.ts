// What the simulated WeCom client knows and how it behaves. Facts from docs/wecom-host.md; this file is the
// client's side of them, written independently of the kit's own tables (src/requirements.ts) so the
// simulator does not agree with the kit by construction.

/** The APIs the simulated client answers. `agentConfig` is H5 only; `login`, `checkSession`, `getSystemInfo` mini program only. */
export type SimulatedApi =
  | 'agentConfig'
  | 'getContext'
  | 'getCurCorpGroupContact'
  | 'getCurCorpGroupChat'
  | 'sendChatMessage'
  | 'login'
  | 'checkSession'
  | 'getSystemInfo'

/** How the page talks to the client: the mini program's `qy` object or the H5 `WeixinJSBridge`. */
export type SimulatedForm = 'qy' | 'bridge'

/** A failure the client can answer with (the real texts, docs/wecom-host.md §2–§4). */
export type SimulatedFailureKind =
  | 'noPermission'
  | 'notInAllowList'
  | 'wrongEntry'
  | 'functionNotExist'
  | 'cancel'
  | 'invalidParam'
  | 'sessionExpired'
  | 'untrustedDomain'
  | 'invalidSignature'
  | 'notAllowCrossCorp'
  | 'invalidMediaId'
  | 'invalidSuiteId'

export interface SimulatorScenario {
  /** `getContext().entry`: where the page was opened from. */
  entry: string
  /** The WeCom client version ('4.1.22'). Read by the page once, at launch: change it with `restart()`. */
  version: string
  /** The chain contact of a chain single chat (`getCurCorpGroupContact`). */
  contact: { corpId: string; userId: string }
  /** The chain group the toolbar is opened from, on a chain group chat (`getCurCorpGroupChat`). */
  chatId: string
  /** Mini program: whether `checkSession` succeeds. A successful `login` makes it valid again. */
  sessionValid: boolean
  /** Delay of every answer, in ms. */
  latencyMs: number
  /** Per-API failure: a kind (answered with the real text in the page's form) or a raw text. */
  fail: Partial<Record<SimulatedApi, SimulatedFailureKind | (string & {})>>
  /** APIs that never answer (the SDK has no timeout of its own, docs/wecom-host.md §3). */
  hang: SimulatedApi[]
  /**
   * The app's agentConfig ticket (`ticket/get?type=agent_config`) WeCom checks signatures with. Default: the
   * fake WeCom API's (server/testing/fake-wecom.mjs), so the server companion on it signs pages validly.
   */
  ticket: string
  /**
   * Check the agentConfig signature as WeCom does: sha1 of `jsapi_ticket=<ticket>&noncestr=…&timestamp=…&url=<page
   * URL without #hash>`; a wrong one fails with `invalid signature` (40093). Default true.
   */
  checkSignature: boolean
  /** iOS: the signature must be for the URL the single-page app landed on, not the one it routed to (docs/wecom-host.md §3). */
  landingUrlRule: boolean
  /**
   * What the simulator's own `getSignature` plays: a working endpoint (`ok`), one that signs with the corp's
   * jsapi ticket instead of the app's (`corp-ticket`), a page origin the server does not allow (`cors`: the
   * browser reports only a failed fetch), or an HTTP error status.
   */
  signatureEndpoint: 'ok' | 'corp-ticket' | 'cors' | 401 | 500
  /** The media ids WeCom issued (temporary media, 3 days); a send with another fails `invalid media_id` (40007). Null: any non-empty id. */
  mediaIds: string[] | null
}

export const DEFAULT_SCENARIO: Readonly<SimulatorScenario> = Object.freeze({
  entry: 'chain_single_chat_tools',
  version: '4.1.22',
  contact: { corpId: 'wwd6f2ad1e8b7c3a90', userId: 'ZhangWei' },
  chatId: 'wrkSFfCgAAtMQKg4xqDatM5C9IY7nbqA',
  sessionValid: true,
  latencyMs: 120,
  fail: {},
  hang: [],
  ticket: 'fake-agent-config-ticket',
  checkSignature: true,
  landingUrlRule: false,
  signatureEndpoint: 'ok',
  mediaIds: null,
})

/** The entries `getContext` reports (docs/wecom-host.md §1), with the client version that introduced each. */
export const SIMULATED_ENTRIES: ReadonlyArray<{ entry: string; since: string }> = [
  { entry: 'chain_single_chat_tools', since: '4.0.8' },
  { entry: 'chain_group_chat_tools', since: '4.0.8' },
  { entry: 'single_chat_tools', since: '3.0.24' },
  { entry: 'group_chat_tools', since: '3.0.24' },
  { entry: 'chat_attachment', since: '3.1.6' },
  { entry: 'single_kf_tools', since: '3.1.10' },
  { entry: 'contact_profile', since: '3.0.24' },
  { entry: 'internal_group_chat_board', since: '4.1.36' },
  { entry: 'normal', since: '3.0.24' },
]

/** The first client version that has each API (docs/wecom-host.md §1); older clients answer "function not exist". */
export const CLIENT_API_SINCE: Readonly<Partial<Record<SimulatedApi, string>>> = {
  getContext: '3.0.24',
  getCurCorpGroupContact: '4.0.8',
  getCurCorpGroupChat: '4.0.12',
  sendChatMessage: '2.8.10',
}

/** Entries of a chat toolbar, where sendChatMessage has a chat to send to (docs/wecom-host.md §1). */
export const CHAT_TOOLBAR_ENTRIES: readonly string[] = [
  'single_chat_tools',
  'group_chat_tools',
  'chat_attachment',
  'single_kf_tools',
  'chain_single_chat_tools',
  'chain_group_chat_tools',
]

interface FailureText {
  /** Which APIs answer with it; undefined: any. */
  apis?: readonly SimulatedApi[]
  qy?: (api: SimulatedApi) => string
  bridge?: (api: SimulatedApi) => string
}

/**
 * The failure texts per form (docs/wecom-host.md §2–§4): the mini program answers `qy__<api>:fail <text>`
 * (the one real report: `qy__login:fail:invalid suiteId`), the bridge `<api>:fail_<text>` which the
 * SDK normalises (`sendChatMessage:fail_nopermission` → `sendChatMessage:nopermission`).
 */
export const SIMULATED_FAILURES: Readonly<Record<SimulatedFailureKind, FailureText>> = {
  noPermission: {
    qy: (api) => `qy__${api}:fail no permission`,
    bridge: (api) => `${api}:fail_nopermission`,
  },
  notInAllowList: {
    qy: (api) => `qy__${api}:fail not in allow list`,
    bridge: (api) => `${api}:fail_not in allow list`,
  },
  wrongEntry: {
    apis: ['getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage'],
    qy: (api) => `qy__${api}:fail ${wrongEntryText(api, 'qy')}`,
    bridge: (api) => `${api}:fail_${wrongEntryText(api, 'bridge')}`,
  },
  functionNotExist: {
    qy: (api) => `qy__${api}:fail function not exist`,
    bridge: (api) => `${api}:fail_function not exist`,
  },
  cancel: {
    apis: ['sendChatMessage'],
    qy: (api) => `qy__${api}:fail cancel`,
    bridge: (api) => `${api}:cancel`,
  },
  invalidParam: {
    apis: ['sendChatMessage'],
    qy: (api) => `qy__${api}:fail invalid param`,
    bridge: (api) => `${api}:fail_invalid param`,
  },
  sessionExpired: {
    apis: ['getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage', 'checkSession'],
    qy: (api) => `qy__${api}:fail session expired`,
  },
  untrustedDomain: {
    apis: ['agentConfig'],
    // An untrusted domain (docs/wecom-host.md §3): the SDK reports `agentConfig://open.work.weixin.qq.com/devtool/query?e=80001`.
    bridge: () => 'agentConfig://open.work.weixin.qq.com/devtool/query?e=80001',
  },
  invalidSignature: {
    apis: ['agentConfig'],
    // WeCom's answer to a wrong agentConfig signature: `invalid signature`, errcode 40093 (docs/wecom-host.md §4).
    bridge: () => 'agentConfig:fail_invalid signature',
  },
  notAllowCrossCorp: {
    apis: ['getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage'],
    qy: (api) => `qy__${api}:fail not allow to cross corp`,
    bridge: (api) => `${api}:fail_not allow to cross corp`,
  },
  invalidMediaId: {
    apis: ['sendChatMessage'],
    // WeCom's text for an id it does not know (errcode 40007); the client's own wording is unconfirmed (docs/wecom-host.md §4).
    qy: (api) => `qy__${api}:fail invalid media_id`,
    bridge: (api) => `${api}:fail_invalid media_id`,
  },
  invalidSuiteId: {
    apis: ['login'],
    qy: () => 'qy__login:fail:invalid suiteId',
  },
}

/** WeCom's error codes that ride along with some texts (`err_code` / `errCode`). */
export const SIMULATED_ERROR_CODES: Readonly<Record<string, number>> = {
  'invalid signature': 40093,
  'invalid media_id': 40007,
}

/**
 * Scenarios for the faults a toolbar page meets (docs/troubleshooting.md has one row each): the patch to apply
 * (`set`, `installWeComSimulator`, `createTestingChainToolbar({ scenario })`) and the error `reason` the kit
 * then reports. `form`: where the fault exists (H5 only for the agentConfig signature and domain).
 */
export const SIMULATED_FAULTS: Readonly<
  Record<string, { reason: string; form?: SimulatedForm; scenario: Partial<SimulatorScenario>; what: string }>
> = {
  'signature-endpoint-cors': {
    reason: 'signature-endpoint-failed',
    form: 'bridge',
    scenario: { signatureEndpoint: 'cors' },
    what: "the page's origin is not in the server's allowedOrigins (the browser reports only a CORS failure)",
  },
  'signature-endpoint-401': {
    reason: 'signature-endpoint-failed',
    form: 'bridge',
    scenario: { signatureEndpoint: 401 },
    what: 'the signature endpoint refuses the page (401)',
  },
  'signature-endpoint-500': {
    reason: 'signature-endpoint-failed',
    form: 'bridge',
    scenario: { signatureEndpoint: 500 },
    what: "the signature endpoint fails (500: the app's secret, WeCom's API)",
  },
  'untrusted-domain': {
    reason: 'untrusted-domain',
    form: 'bridge',
    scenario: { fail: { agentConfig: 'untrustedDomain' } },
    what: "the page's domain is not the app's trusted domain (80001)",
  },
  'invalid-signature': {
    reason: 'signature-rejected',
    form: 'bridge',
    scenario: { signatureEndpoint: 'corp-ticket' },
    what: "the server signs with the corp's jsapi ticket, not the app's agent_config ticket (40093)",
  },
  'ios-landing-url': {
    reason: 'signature-rejected',
    form: 'bridge',
    scenario: { landingUrlRule: true },
    what: 'iOS: a history-mode page signs the URL it routed to, not the one it landed on (40093)',
  },
  'no-permission': {
    reason: 'no-permission',
    scenario: { fail: { getCurCorpGroupContact: 'noPermission', getCurCorpGroupChat: 'noPermission', sendChatMessage: 'noPermission' } },
    what: "the member is outside the app's visible range, or the app lacks the API's permission",
  },
  'not-in-allow-list': {
    reason: 'api-not-allowed',
    scenario: { fail: { getCurCorpGroupContact: 'notInAllowList', getCurCorpGroupChat: 'notInAllowList', sendChatMessage: 'notInAllowList' } },
    what: 'the API is not allowed for the app',
  },
  'not-shared-across-corps': {
    reason: 'cross-corp-not-allowed',
    scenario: { fail: { getCurCorpGroupContact: 'notAllowCrossCorp', getCurCorpGroupChat: 'notAllowCrossCorp' } },
    what: 'the upstream app is not shared with the downstream corp',
  },
  'customer-toolbar': {
    reason: 'wrong-entry',
    scenario: { entry: 'contact_profile' },
    what: 'the page is opened outside a chat toolbar (configured as a customer-contact page, say)',
  },
  'old-client': {
    reason: 'client-too-old',
    scenario: { version: '3.0.0' },
    what: 'a WeCom client older than the API (getContext: 3.0.24)',
  },
  'unknown-media': {
    reason: 'media-expired',
    scenario: { mediaIds: [] },
    what: 'a mediaid WeCom did not issue, or one older than 3 days',
  },
  'session-expired': {
    reason: 'session-expired',
    form: 'qy',
    scenario: { fail: { getContext: 'sessionExpired' } },
    what: 'the WeCom session is not valid even after a new login',
  },
  'login-fails': {
    reason: 'login-failed',
    form: 'qy',
    scenario: { sessionValid: false, fail: { login: 'invalidSuiteId' } },
    what: 'the mini program is not bound to the WeCom app (wx.qy.login fails)',
  },
  'client-hangs': {
    reason: 'timeout',
    scenario: { hang: ['getContext'] },
    what: 'the client never answers',
  },
  'user-cancels': {
    reason: 'cancelled',
    scenario: { fail: { sendChatMessage: 'cancel' } },
    what: 'the member cancels the send',
  },
}

/** The wrong-entry texts differ per API and per document (docs/wecom-host.md §1). */
export function wrongEntryText(api: SimulatedApi, form: SimulatedForm): string {
  if (api === 'sendChatMessage') return 'without context of external contact'
  if (api === 'getCurCorpGroupContact' && form === 'qy') return 'only support chain group chat tools entry'
  return 'without context of corpgroup contact'
}

/** The failure kinds that apply to `api` in `form` (what a scenario panel offers). */
export function failureKindsFor(api: SimulatedApi, form: SimulatedForm): SimulatedFailureKind[] {
  return (Object.keys(SIMULATED_FAILURES) as SimulatedFailureKind[]).filter((kind) => {
    const failure = SIMULATED_FAILURES[kind]
    return !!failure[form] && (!failure.apis || failure.apis.includes(api))
  })
}

/** The text the client answers for a scripted failure: a known kind in the page's form, else the raw text. */
export function failureText(api: SimulatedApi, form: SimulatedForm, failure: string): string {
  const known = (SIMULATED_FAILURES as Record<string, FailureText>)[failure]
  const text = known?.[form]?.(api) ?? known?.[form === 'qy' ? 'bridge' : 'qy']?.(api)
  return text ?? failure
}

/** The APIs each form answers, in the order a scenario panel lists them. */
export const SIMULATED_APIS: Readonly<Record<SimulatedForm, readonly SimulatedApi[]>> = {
  bridge: ['agentConfig', 'getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage'],
  qy: ['checkSession', 'login', 'getSystemInfo', 'getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage'],
}

export function compareVersion(a: string, b: string): number {
  const pa = a.split('.')
  const pb = b.split('.')
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (parseInt(pa[i], 10) || 0) - (parseInt(pb[i], 10) || 0)
    if (d) return d > 0 ? 1 : -1
  }
  return 0
}

/** Whether a client of `version` has `api` at all. */
export function clientHasApi(api: SimulatedApi, version: string): boolean {
  const since = CLIENT_API_SINCE[api]
  return !since || compareVersion(version, since) >= 0
}

/** A complete scenario from defaults, a base and patches (deep enough for `contact`, `fail`, `hang`). */
export function mergeScenario(base: SimulatorScenario, patch: Partial<SimulatorScenario> = {}): SimulatorScenario {
  return {
    ...base,
    ...patch,
    contact: { ...base.contact, ...(patch.contact ?? {}) },
    fail: { ...(patch.fail ?? base.fail) },
    hang: [...(patch.hang ?? base.hang)],
    mediaIds: patch.mediaIds !== undefined ? patch.mediaIds && [...patch.mediaIds] : base.mediaIds && [...base.mediaIds],
  }
}
