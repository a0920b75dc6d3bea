import { ChainToolbarError, type ErrorCode } from '../errors'

/**
 * Host texts → error codes (docs/wecom-host.md §4). Patterns allow the SDK's normalised forms, which drop
 * `_` and lower-case the keyword (`fail_nopermission` → `nopermission`, docs/wecom-host.md §3).
 */
const RULES: Array<[ErrorCode, RegExp]> = [
  ['CANCELLED', /cancel/],
  ['UNSUPPORTED_ENTRY', /without ?context ?of|only ?support ?chain|unsupported ?msgtype/],
  ['CLIENT_TOO_OLD', /function ?not ?exist|is ?not ?a ?function/],
  ['NO_PERMISSION', /no ?permission|permission ?denied|not ?in ?allow ?list|not ?allow ?to ?cross ?corp|e=80001|\b40093\b|invalid ?signature/],
  ['INVALID_MESSAGE', /invalid ?imgurl|invalid ?param|content ?empty/],
  ['LOGIN_FAILED', /session|login/],
]

/** The text a host put in its answer: wx.qy `errMsg`, the bridge's `err_msg`, an Error's message. */
export function hostText(raw: unknown): string {
  if (typeof raw === 'object' && raw) {
    for (const key of ['errMsg', 'err_msg', 'errmsg', 'message']) {
      const text = (raw as Record<string, unknown>)[key]
      if (typeof text === 'string' && text) return text
    }
  }
  return String(raw ?? '')
}

export function codeForHostText(text: string): ErrorCode {
  const lower = text.toLowerCase()
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
