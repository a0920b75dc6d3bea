import { ChainToolbarError, type ErrorCode } from '../errors'

/**
 * Host texts → error codes (docs/wecom-host.md §4), matched on the lower-cased text with `_` read as a
 * space. Patterns allow the SDK's normalised forms, which drop `_` and lower-case the keyword
 * (`fail_nopermission` → `nopermission`, docs/wecom-host.md §3), and the raw forms (`fail_no_permission`).
 */
const RULES: Array<[ErrorCode, RegExp]> = [
  ['CANCELLED', /cancel/],
  ['UNSUPPORTED_ENTRY', /without ?context ?of|only ?support ?chain|unsupported ?msgtype/],
  ['CLIENT_TOO_OLD', /function ?not ?exist|is ?not ?a ?function/],
  [
    'NO_PERMISSION',
    /no ?permission|(permission|access) ?denied|not ?in ?allow ?list|not ?allow ?to ?cross ?corp|e=80001|\b40093\b|invalid ?signature/,
  ],
  ['INVALID_MESSAGE', /invalid ?imgurl|invalid ?param|content ?empty/],
  ['LOGIN_FAILED', /session|login/],
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

export function codeForHostText(text: string): ErrorCode {
  const lower = text.toLowerCase().replace(/_/g, ' ')
  return RULES.find(([, pattern]) => pattern.test(lower))?.[0] ?? 'HOST_ERROR'
}

/** Turns whatever a host rejected with into a ChainToolbarError (kept as is when it already is one). */
export function toHostError(api: string, raw: unknown, code?: ErrorCode): ChainToolbarError {
  if (raw instanceof ChainToolbarError) return raw
  const text = hostText(raw)
  return new ChainToolbarError(code ?? codeForHostText(text), text ? `${api} failed: ${text}` : `${api} failed`, { api, raw })
}

/** A failure caused by the mini program session (checkSession / login / an expired session_key). */
export const isSessionFailure = (error: unknown) => error instanceof ChainToolbarError && error.code === 'LOGIN_FAILED'
