// uni-chain-toolbar/simulator: plays the WeCom client where there is none (an ordinary browser,
// WeChat DevTools), at the outermost edge only. H5: a scripted `window.WeixinJSBridge` and a
// `wxwork/<version>` user agent, so the real @wecom/jssdk and the kit's web host run unchanged.
// Mini program: a scripted callback-style `wx.qy`, so the kit's mini program host runs unchanged.
// Not part of the kit: nothing in src/ imports it, so it reaches a bundle only where an app imports it.
import { createSimulatedClient, type SimulatedClient, type SimulatorCall } from './client'
import { DEFAULT_SCENARIO, mergeScenario, type SimulatorScenario } from './scenario'
import type { UploadedMedia, UploadMediaRequest } from '../src/types'

export { createSimulatedClient } from './client'
export type { SimulatedClient, SimulatedClientOptions, SimulatorCall, SimulatorCall as WeComSimulatorCall } from './client'
export {
  CHAT_TOOLBAR_ENTRIES,
  CLIENT_API_SINCE,
  DEFAULT_SCENARIO,
  SIMULATED_APIS,
  SIMULATED_ENTRIES,
  SIMULATED_ERROR_CODES,
  SIMULATED_FAILURES,
  SIMULATED_FAULTS,
  clientHasApi,
  failureKindsFor,
  failureText,
  mergeScenario,
} from './scenario'
export type { SimulatedApi, SimulatedFailureKind, SimulatedForm, SimulatorScenario } from './scenario'

export interface WeComSimulatorOptions {
  /**
   * Install even where a host seems present (a WeixinJSBridge without a WeCom user agent, a stubbed
   * `wx.qy` in DevTools). Never replaces a real WeCom client (H5: `wxwork/` user agent and a bridge;
   * mini program: `wx.qy` with `environment: 'wxwork'`). For tests and development set-ups only.
   */
  force?: boolean
  /** Keep the scenario across reloads (H5 sessionStorage, mini program storage). Needed by `restart()`. */
  persist?: boolean
  /** Oldest log entries are dropped beyond this many. Default 200. */
  logLimit?: number
  /** Whether WeCom issued a media id (e.g. the fake WeCom API's uploads); see `SimulatedClientOptions`. */
  isMediaIssued?: (mediaId: string) => boolean
}

export interface WeComSimulator {
  readonly platform: 'h5' | 'mp-weixin'
  /** The live scenario (reactive). Change it with `set`, `openFromAnotherChat` or `restart`. */
  readonly scenario: Readonly<SimulatorScenario>
  /** Every host call with its parameters and answer (reactive), oldest first. */
  readonly log: readonly SimulatorCall[]
  /** Changes how the client answers from now on (failures, latency, hung APIs, session) without a new activation. */
  set(patch: Partial<SimulatorScenario>): void
  /**
   * What the real client does when the user opens the toolbar page from another chat: the page goes to
   * the background, the scenario changes (entry, contact, chatId, …), and the page comes back (H5:
   * visibilitychange hidden → visible; mini program: app hide → app show), which starts a new activation.
   */
  openFromAnotherChat(patch?: Partial<SimulatorScenario>): Promise<void>
  /** Reloads the app with the scenario (the client version is read once, at launch). Needs `persist`. */
  restart(patch?: Partial<SimulatorScenario>): boolean
  /**
   * An agentConfig signature the simulated client accepts (sha1 with the scenario's ticket), or the scenario's
   * fault of a signature endpoint (`signatureEndpoint`), for `createChainToolbar({ web: { getSignature } })`.
   */
  getSignature(url: string): Promise<{ timestamp: number; nonceStr: string; signature: string }>
  /**
   * H5: plays WeCom's OAuth endpoint for `createChainToolbar({ web: { oauthRedirect: simulator.authorize } })`:
   * checks the OAuth URL the kit built, issues a one-use code and sends the page back to its `redirect_uri`
   * with `code` and the same `state` (a navigation, as WeCom does).
   */
  authorize(authorizeUrl: string): void
  /** Where WeCom's OAuth sends the page back for `authorizeUrl`, with a new one-use code. Throws for a malformed URL. */
  oauthReturnUrl(authorizeUrl: string): string
  /**
   * For `web.exchangeOAuthCode` where no server runs: takes a code the simulator issued, once (as
   * `auth/getuserinfo` does), and resolves with the member; an unknown or used code rejects with `code: 'INVALID_CODE'`.
   */
  exchangeOAuthCode(code: string): Promise<{ userId: string }>
  /**
   * Plays the server companion and WeCom's `media/upload` where no server runs, for
   * `createChainToolbar({ uploadMedia: simulator.uploadMedia })`: reports progress over four times the scenario's
   * latency, refuses 5 bytes or fewer as WeCom does, and issues an id (valid 3 days) that it adds to
   * `scenario.mediaIds`. From then on the client takes only ids on that list, as WeCom takes only ids it issued.
   */
  uploadMedia(request: UploadMediaRequest): Promise<UploadedMedia>
  clearLog(): void
  /** Takes the simulated client away again (restores the user agent, the bridge, `wx.qy`, app events). */
  uninstall(): void
}

const STORAGE_KEY = 'uni-chain-toolbar:simulator'
/** The OAuth codes the simulator issued and not yet exchanged (they outlive the page's navigation). */
const OAUTH_CODES_KEY = 'uni-chain-toolbar:simulator-oauth'
/** WeCom's OAuth endpoint (docs/wecom-host.md §5). */
const OAUTH_AUTHORIZE = 'https://open.weixin.qq.com/connect/oauth2/authorize'
let installed: WeComSimulator | null = null

/** The simulator installed in this app, or null (not installed, or a real host was found). */
export function getWeComSimulator(): WeComSimulator | null {
  return installed
}

/**
 * Installs the simulated WeCom client unless a real one is there. Call it before
 * `app.use(createChainToolbar(…))` (the kit reads the user agent and `wx.qy` when it creates its host)
 * and before anything imports `@wecom/jssdk` (the SDK reads the user agent and the bridge when its
 * module is evaluated, docs/wecom-host.md §3). Returns the controller, or null where it stayed off; once
 * installed, later calls return the same controller (change it with `set`).
 */
export function installWeComSimulator(
  scenario: Partial<SimulatorScenario> = {},
  options: WeComSimulatorOptions = {},
): WeComSimulator | null {
  if (installed) return installed
  const platform = currentPlatform()
  if (!platform || isRealWeCom() || (!options.force && hostPresent())) return null

  const saved = options.persist ? loadScenario() : null
  const client = createSimulatedClient(mergeScenario(mergeScenario(DEFAULT_SCENARIO as SimulatorScenario, scenario), saved ?? {}), {
    logLimit: options.logLimit,
    isMediaIssued: options.isMediaIssued,
  })
  const save = () => {
    if (options.persist) saveScenario(client.scenario)
  }
  const detach = attach(client)

  installed = {
    platform,
    scenario: client.scenario,
    log: client.log,
    set(patch) {
      client.set(patch)
      save()
    },
    async openFromAnotherChat(patch = {}) {
      await leaveAndReturn(() => {
        client.set(patch)
        save()
      })
    },
    restart(patch = {}) {
      client.set(patch)
      save()
      return options.persist ? relaunch() : false
    },
    getSignature: (url) => client.getSignature(url),
    authorize(authorizeUrl) {
      navigate(installed!.oauthReturnUrl(authorizeUrl))
    },
    oauthReturnUrl(authorizeUrl) {
      const { redirectUri, state } = parseAuthorizeUrl(authorizeUrl)
      const code = `simcode${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
      writeCodes([...readCodes(), code])
      const back = new URL(redirectUri)
      back.searchParams.set('code', code)
      back.searchParams.set('state', state)
      return back.href
    },
    async exchangeOAuthCode(code) {
      await delay(client.scenario.latencyMs)
      const codes = readCodes()
      if (!codes.includes(code)) {
        throw Object.assign(new Error('The OAuth code is invalid, used or expired (simulated auth/getuserinfo: errcode 40029)'), {
          code: 'INVALID_CODE',
        })
      }
      writeCodes(codes.filter((c) => c !== code)) // one use (docs/wecom-host.md §5)
      return { userId: 'simulated-member' }
    },
    async uploadMedia(request) {
      const size = request.size ?? ('blob' in request ? request.blob.size : undefined)
      // WeCom's media/upload: every file must be larger than 5 bytes (docs/wecom-host.md §5).
      if (size !== undefined && size <= 5) throw new Error(`The simulated media/upload refuses ${size} bytes: a file must be larger than 5 bytes (errcode 40006)`)
      for (let step = 1; step <= 4; step++) {
        await delay(client.scenario.latencyMs)
        request.onProgress(step / 4)
      }
      const mediaid = `sim-media-${request.type}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
      client.set({ mediaIds: [...(client.scenario.mediaIds ?? []), mediaid] })
      save()
      return { mediaid, expiresAt: Date.now() + MEDIA_LIFE_MS }
    },
    clearLog: () => client.clearLog(),
    uninstall() {
      detach()
      installed = null
    },
  }
  return installed
}

/** The parts of WeCom's OAuth URL the simulated endpoint needs; throws, as WeCom refuses, when it is malformed. */
function parseAuthorizeUrl(authorizeUrl: string): { redirectUri: string; state: string } {
  const refuse = (why: string) => new Error(`[uni-chain-toolbar/simulator] WeCom OAuth would refuse this URL: ${why}`)
  let url: URL
  try {
    url = new URL(authorizeUrl)
  } catch {
    throw refuse('it is not a URL')
  }
  const q = url.searchParams
  if (url.origin + url.pathname !== OAUTH_AUTHORIZE) throw refuse(`it is not ${OAUTH_AUTHORIZE}`)
  if (url.hash !== '#wechat_redirect') throw refuse('it does not end in #wechat_redirect')
  if (!q.get('appid')) throw refuse('appid (the corp id) is missing')
  if (q.get('response_type') !== 'code') throw refuse('response_type must be code')
  if (!['snsapi_base', 'snsapi_privateinfo'].includes(q.get('scope') ?? '')) throw refuse('scope must be snsapi_base or snsapi_privateinfo')
  const redirectUri = q.get('redirect_uri') ?? ''
  if (!/^https?:\/\//.test(redirectUri)) throw refuse('redirect_uri must be an absolute http(s) URL')
  return { redirectUri, state: q.get('state') ?? '' }
}

function readCodes(): string[] {
  try {
    const codes = JSON.parse(readOAuthCodes() ?? '[]')
    return Array.isArray(codes) ? codes : []
  } catch {
    return []
  }
}

function writeCodes(codes: string[]) {
  try {
    writeOAuthCodes(JSON.stringify(codes.slice(-20)))
  } catch {
    // Storage unavailable: the codes live in memory for this page only.
  }
}

function loadScenario(): Partial<SimulatorScenario> | null {
  try {
    const text = readStorage()
    return text ? (JSON.parse(text) as Partial<SimulatorScenario>) : null
  } catch {
    return null
  }
}

function saveScenario(scenario: SimulatorScenario) {
  try {
    writeStorage(JSON.stringify(scenario))
  } catch {
    // Storage full or unavailable: the scenario lives for this launch only.
  }
}

/** How long WeCom keeps a temporary media id: 3 days (docs/wecom-host.md §5). */
const MEDIA_LIFE_MS = 3 * 864e5
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

// ---- platform glue: the only part that touches globals (uni's #ifdef, as in src/host/platform.ts) ----

let currentPlatform: () => 'h5' | 'mp-weixin' | null = () => null
let isRealWeCom: () => boolean = () => false
let hostPresent: () => boolean = () => true
let attach: (client: SimulatedClient) => () => void = () => () => {}
let leaveAndReturn: (change: () => void) => Promise<void> = async (change) => change()
let relaunch: () => boolean = () => false
let readStorage: () => string | null = () => null
let writeStorage: (text: string) => void = () => {}
let memoryCodes: string | null = null
let readOAuthCodes: () => string | null = () => memoryCodes
let writeOAuthCodes: (text: string) => void = (text) => (memoryCodes = text)
let navigate: (url: string) => void = () => {
  throw new Error('[uni-chain-toolbar/simulator] WeCom OAuth is for pages in the WeCom browser (H5)')
}

// #ifdef H5
currentPlatform = () => (typeof window !== 'undefined' && typeof document !== 'undefined' ? 'h5' : null)
// The SDK's own test: `wxwork/<version>` in the user agent (docs/wecom-host.md §3).
const hasWeComAgent = () => /wxwork\//i.test(navigator.userAgent)
const hasBridge = () => !!(window as any).WeixinJSBridge
isRealWeCom = () => hasWeComAgent() && hasBridge()
hostPresent = () => hasWeComAgent() || hasBridge()
attach = (client) => {
  const nav = window.navigator
  const own = Object.getOwnPropertyDescriptor(nav, 'userAgent')
  const version = `wxwork/${client.scenario.version}`
  const userAgent = /wxwork\/[\d.]+/i.test(nav.userAgent)
    ? nav.userAgent.replace(/wxwork\/[\d.]+/i, version)
    : `${nav.userAgent} ${version} Language/zh`
  Object.defineProperty(nav, 'userAgent', { value: userAgent, configurable: true })
  ;(window as any).WeixinJSBridge = client.bridge
  // An SDK loaded earlier waits for this event (docs/wecom-host.md §3); a later one finds the bridge at once.
  document.dispatchEvent(new Event('WeixinJSBridgeReady'))
  return () => {
    if (own) Object.defineProperty(nav, 'userAgent', own)
    else delete (nav as any).userAgent
    if ((window as any).WeixinJSBridge === client.bridge) delete (window as any).WeixinJSBridge
  }
}
const setVisibility = (state: 'hidden' | 'visible') => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' })
  document.dispatchEvent(new Event('visibilitychange'))
}
leaveAndReturn = async (change) => {
  // The WeCom browser hides the page when the user leaves the chat and shows it again from the next one;
  // the kit's web host starts a new activation on visibilitychange → visible.
  setVisibility('hidden')
  await delay(30)
  change()
  try {
    setVisibility('visible')
  } finally {
    delete (document as any).visibilityState
    delete (document as any).hidden
  }
}
relaunch = () => {
  window.location.reload()
  return true
}
readStorage = () => window.sessionStorage.getItem(STORAGE_KEY)
writeStorage = (text) => window.sessionStorage.setItem(STORAGE_KEY, text)
readOAuthCodes = () => window.sessionStorage.getItem(OAUTH_CODES_KEY)
writeOAuthCodes = (text) => window.sessionStorage.setItem(OAUTH_CODES_KEY, text)
// WeCom's OAuth answers with a redirect: the page loads again at redirect_uri.
navigate = (url) => window.location.replace(url)
// #endif

// #ifdef MP-WEIXIN
// uni replaces the bare name `wx` with its copy of the real wx (docs/development.md), the same object the
// kit's mini program host reads `qy` and `onAppShow` from.
declare const wx: any
currentPlatform = () => (typeof wx !== 'undefined' && wx ? 'mp-weixin' : null)
isRealWeCom = () => {
  if (!wx.qy) return false
  try {
    return wx.getSystemInfoSync?.().environment === 'wxwork'
  } catch {
    return false
  }
}
hostPresent = () => !!wx.qy
type Listener = (options?: unknown) => void
const showListeners = new Set<Listener>()
const hideListeners = new Set<Listener>()
attach = (client) => {
  const previous = { qy: wx.qy, onAppShow: wx.onAppShow, offAppShow: wx.offAppShow, onAppHide: wx.onAppHide, offAppHide: wx.offAppHide }
  wx.qy = client.qy
  // The kit's host subscribes with wx.onAppShow when it is created; keep the listeners to replay a
  // re-activation, and pass them on so real app show events (DevTools) still arrive.
  const subscribe = (set: Set<Listener>, original: unknown) => (listener: Listener) => {
    set.add(listener)
    if (typeof original === 'function') original.call(wx, listener)
  }
  const unsubscribe = (set: Set<Listener>, original: unknown) => (listener: Listener) => {
    set.delete(listener)
    if (typeof original === 'function') original.call(wx, listener)
  }
  wx.onAppShow = subscribe(showListeners, previous.onAppShow)
  wx.offAppShow = unsubscribe(showListeners, previous.offAppShow)
  wx.onAppHide = subscribe(hideListeners, previous.onAppHide)
  wx.offAppHide = unsubscribe(hideListeners, previous.offAppHide)
  return () => {
    Object.assign(wx, previous)
    showListeners.clear()
    hideListeners.clear()
  }
}
leaveAndReturn = async (change) => {
  const launch = (() => {
    try {
      return wx.getLaunchOptionsSync?.() ?? {}
    } catch {
      return {}
    }
  })()
  for (const listener of [...hideListeners]) listener()
  await delay(30)
  change()
  for (const listener of [...showListeners]) listener(launch)
}
relaunch = () => {
  if (typeof wx.restartMiniProgram !== 'function') return false
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : []
  const route = pages.length ? pages[pages.length - 1].route : ''
  wx.restartMiniProgram({ path: route ? `/${route}` : undefined })
  return true
}
readStorage = () => wx.getStorageSync?.(STORAGE_KEY) || null
writeStorage = (text) => wx.setStorageSync?.(STORAGE_KEY, text)
// #endif
