import { ChainToolbarError, type ErrorCode, type ErrorReason } from '../errors'

/**
 * Host texts → error codes and reasons (docs/wecom-host.md §4), matched on the lower-cased text with `_`
 * read as a space, first match wins; a rule without a reason gives the code's own (`no-permission`). Patterns
 * allow the SDK's normalised forms, which drop `_` and lower-case the keyword (`fail_nopermission` →
 * `nopermission`, docs/wecom-host.md §3), and the raw forms (`fail_no_permission`).
 */
const RULES: Array<[ErrorCode, RegExp, ErrorReason?]> = [
  ['CANCELLED', /cancel/],
  ['UNSUPPORTED_ENTRY', /without ?context ?of|only ?support ?chain|unsupported ?msgtype/, 'wrong-entry'],
  ['CLIENT_TOO_OLD', /function ?not ?exist|is ?not ?a ?function/],
  ['NO_PERMISSION', /e=80001/, 'untrusted-domain'],
  ['NO_PERMISSION', /\b40093\b|invalid ?signature/, 'signature-rejected'],
  ['NO_PERMISSION', /not ?in ?allow ?list/, 'api-not-allowed'],
  ['NO_PERMISSION', /not ?allow ?to ?cross ?corp/, 'cross-corp-not-allowed'],
  ['NO_PERMISSION', /no ?permission|(permission|access) ?denied/],
  // An id WeCom does not know (expired, or never uploaded by the corp's apps): 40007 `invalid media_id` (docs/wecom-host.md §4).
  ['INVALID_MESSAGE', /invalid ?media ?id|\b40007\b/, 'media-expired'],
  ['INVALID_MESSAGE', /invalid ?imgurl|invalid ?param|content ?empty/],
  ['LOGIN_FAILED', /session/, 'session-expired'],
  ['LOGIN_FAILED', /login/],
]

/**
 * The text a host put in its answer: wx.qy `errMsg`, the bridge's `err_msg`, an Error's message, and the
 * numeric `err_code` / `errCode` when there is one (`agentConfig:fail 40093`).
 */
export function hostText(raw: unknown): string {
  const r = raw as Record<string, unknown> | null | undefined
  const text = ([r?.errMsg, r?.err_msg, r?.errmsg, r?.message].find((t) => typeof t == 'string' && t) as string) ?? ''
  const code = r?.err_code ?? r?.errCode
  return (code != null ? `${text} ${code}`.trim() : text) || String(raw ?? '')
}

/** The rule a host text matches: [code, pattern, reason?] (`HOST_ERROR` and no reason when none does). */
export function classifyHostText(text: string): readonly [ErrorCode, RegExp?, ErrorReason?] {
  const lower = text.toLowerCase().replace(/_/g, ' ')
  return RULES.find(([, pattern]) => pattern.test(lower)) ?? ['HOST_ERROR']
}

export const codeForHostText = (text: string): ErrorCode => classifyHostText(text)[0]

/** Turns whatever a host rejected with into a ChainToolbarError (kept as is when it already is one). */
export function toHostError(api: string, raw: unknown, code?: ErrorCode): ChainToolbarError {
  if (raw instanceof ChainToolbarError) return raw
  const text = hostText(raw)
  const [found, , reason] = code ? [code] : classifyHostText(text)
  return new ChainToolbarError(found, text ? `${api} failed: ${text}` : `${api} failed`, { api, raw, reason })
}


/** A failure caused by the mini program session (checkSession / login / an expired session_key). */
export const isSessionFailure = (error: unknown) => error instanceof ChainToolbarError && error.code === 'LOGIN_FAILED'
