import type { ChainToolbarError, ErrorReason } from '../errors'
import { hostText, toHostError } from './errors'


// uni (and any Vite build) replaces `process.env.NODE_ENV` with a string (src/runtime.ts).
declare const process: { env: { NODE_ENV?: string } }
/**
 * Development builds only: every import of this module sits behind `process.env.NODE_ENV !== 'production'`,
 * so a production build drops it with its texts. One sentence per reason: the fix, and what the kit saw.
 * docs/troubleshooting.md has the same causes and fixes, one row per reason.
 */

/** What the kit saw when the error happened (each known where the error was made). */
export interface Seen {
  api?: string
  /** The URL the kit asked the app's getSignature to sign (the page URL without #hash, when the SDK asked). */
  url?: string
  /** The page's URL now, and the URL the page landed on (iOS checks the signature against that one). */
  page?: string
  landing?: string
  origin?: string
  corpId?: string
  agentId?: string | number
  entry?: string | null
  version?: string | null
}

const quote = (value: unknown) => (value == null || value === '' ? '(none)' : String(value))

const HINTS: Partial<Record<ErrorReason, (s: Seen, error: ChainToolbarError) => string>> = {
  'signature-endpoint-failed': (s, e) =>
    `The app's getSignature(url) failed (${detailOf(e)}) for ${quote(s.url)} on a page at ${quote(s.origin)} (corpId ${quote(s.corpId)}): ` +
    `add ${quote(s.origin)} to the server's allowedOrigins (a browser reports a refused origin only as a CORS failure), ` +
    'and make the signature endpoint answer { timestamp, nonceStr, signature } for that URL.',
  'untrusted-domain': (s) =>
    `WeCom refused the page's domain (80001): set the trusted domain (可信域名) of the app ${quote(s.agentId)} of corpId ` +
    `${quote(s.corpId)} to the page's host, ${quote(s.origin && s.origin.replace(/^\w+:\/\//, ''))} (the page is at ${quote(s.page)}).`,
  'signature-rejected': (s) =>
    `WeCom rejected the agentConfig signature (40093, invalid signature): the kit signed ${quote(s.url)}, the page is at ${quote(s.page)}` +
    (s.landing && s.landing !== s.url ? ` and landed on ${s.landing} (iOS checks the URL a single-page app landed on)` : '') +
    `; sign exactly that URL without #hash with the app's agent_config ticket (ticket/get?type=agent_config, not the corp's ` +
    `jsapi ticket) of corpId ${quote(s.corpId)}, app ${quote(s.agentId)}.`,
  'kit-not-configured': (s) =>
    `The kit is not set up for ${quote(s.api)}: pass createChainToolbar({ web: { corpId, agentId, getSignature } }) for H5 ` +
    '(or call ww.register({ getAgentConfigSignature }) first with web.register: false), and miniProgram.exchangeCode for the mini program.',
  'no-permission': (s) =>
    `WeCom refused ${quote(s.api)} (no permission): an admin adds the member to the app's visible range (可见范围) ` +
    `and gives the app this API's permission (corpId ${quote(s.corpId)}).`,
  'api-not-allowed': (s) =>
    `WeCom answered "not in allow list" for ${quote(s.api)}: list the API in the registration's jsApiList and enable it for the app ` +
    `(corpId ${quote(s.corpId)}).`,
  'cross-corp-not-allowed': (s) =>
    `WeCom refused ${quote(s.api)} across corps: the upstream corp's admin shares the app with the downstream corp ` +
    '(上下游 → 共享应用) and the member is in its visible range there.',
  'wrong-entry': (s, e) =>
    `${quote(s.api)} does not work from the entry ${quote(s.entry ?? hostText(e.raw))}: configure the page in the chain (上下游) ` +
    "chat toolbar, not the customer-contact one, and gate it with <chain-entry-gate> or useEntry().",
  'client-too-old': (s) => `${quote(s.api)} needs a newer WeCom client (this one is ${quote(s.version)}): the member updates WeCom.`,
  'login-failed': (_, e) =>
    e.api === 'oauth' || e.api === 'exchangeOAuthCode'
      ? `The member's WeCom OAuth sign-in failed (${detailOf(e)}): check web.exchangeOAuthCode and the server's POST /wecom/oauth-session ` +
        '(a code is used once and lives 5 minutes); opening the page again from the toolbar brings a new code.'
      : `wx.qy.login failed (${detailOf(e)}): bind the mini program to the WeCom app (企业微信管理后台 → 应用 → 小程序) and open it inside WeCom.`,
  'session-expired': (s) =>
    `The WeCom session expired during ${quote(s.api)}: the kit logs in again once; if it keeps failing, check miniProgram.exchangeCode.`,
  'session-exchange-failed': (_, e) =>
    `The app's exchangeCode(code) failed (${detailOf(e)}): check the session endpoint and the app's secret on the server ` +
    '(jscode2session; `npx uni-chain-toolbar doctor` checks it).',
  timeout: (s) => `${quote(s.api)} got no answer in time: the client is busy or offline, or the app's server (signature, session) hung.`,
  'invalid-message': (_, e) => `${e.message}: fix the message passed to share().`,
  'media-expired': () =>
    "WeCom does not know the mediaid (it lives 3 days, and only ids uploaded by this corp's apps count): upload the file again and send the new id.",
  busy: () => 'Another share() is still in flight: wait for it (useShareToChat().isSending) before sending again.',
  cancelled: () => 'The member cancelled the send in WeCom: nothing to fix.',
  'activation-ended': () =>
    'The page was opened from another chat (or hidden) before the send reached WeCom: nothing was sent; send again from the new chat.',
  'not-in-wecom': () => 'The page is not inside WeCom: open it in WeCom, or install the simulator (uni-chain-toolbar/simulator) for development.',
  'sdk-load-failed': (_, e) => `@wecom/jssdk could not be loaded (${detailOf(e)}): check that the app serves its lazy chunk.`,
}

/** What the error carries, shortly: the thrown message or the host's text. */
function detailOf(error: ChainToolbarError): string {
  const raw = error.raw
  return quote(raw instanceof Error ? raw.message : raw == null ? error.message : hostText(raw))
}

/** Gives `error` its hint (unless it has one): what the kit saw where it was made. */
export function explain(error: ChainToolbarError, seen: Seen = {}): ChainToolbarError {
  const hint = !error.hint && error.reason && HINTS[error.reason]
  if (hint) error.hint = hint({ api: error.api, ...seen }, error)
  return error
}

let warned: Set<string> | undefined

/** Warns once per hint text on this page (the same fault reaches every piece of the page). */
export function warnOnce(error: ChainToolbarError): void {
  explain(error)
  if (!error.hint || (warned ??= new Set()).has(error.hint)) return
  warned.add(error.hint)
  console.warn(`[uni-chain-toolbar] ${error.code} (${error.reason}): ${error.hint}`)
}

/**
 * An error as the app receives it (a composable's `error`, a rejected `share()`). Development builds warn
 * once with its hint (this module); production builds carry no hint code.
 */
export function reportError(api: string, thrown: unknown): ChainToolbarError {
  const error = toHostError(api, thrown)
  if (process.env.NODE_ENV !== 'production') warnOnce(error)
  return error
}
