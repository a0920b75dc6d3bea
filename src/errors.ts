/** Every way a kit call can fail. The host texts that map to each code are listed in docs/wecom-host.md §4. */
export type ErrorCode =
  | 'NOT_IN_WECOM'
  | 'UNSUPPORTED_ENTRY'
  | 'CLIENT_TOO_OLD'
  | 'NO_PERMISSION'
  | 'LOGIN_FAILED'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'INVALID_MESSAGE'
  | 'BUSY'
  | 'HOST_ERROR'

/**
 * Why a kit call failed, as a stable machine-readable string (docs/troubleshooting.md lists each with its fix).
 * Codes say what kind of failure it is; reasons say which cause, and so who can fix it.
 */
export type ErrorReason =
  | 'not-in-wecom'
  | 'wrong-entry'
  | 'client-too-old'
  | 'no-permission'
  | 'api-not-allowed'
  | 'cross-corp-not-allowed'
  | 'untrusted-domain'
  | 'signature-rejected'
  | 'signature-endpoint-failed'
  | 'kit-not-configured'
  | 'login-failed'
  | 'session-expired'
  | 'session-exchange-failed'
  | 'timeout'
  | 'cancelled'
  | 'activation-ended'
  | 'invalid-message'
  | 'media-expired'
  | 'busy'
  | 'sdk-load-failed'

export interface ChainToolbarErrorDetails {
  /** The host API that was called (`getContext`, `sendChatMessage`, …), when one was. */
  api?: string
  /** What the host returned: the wx.qy `fail` result, the SDK's rejection object, a thrown value. */
  raw?: unknown
  /** Default: the code's own (`NOT_IN_WECOM` → `not-in-wecom`); none for a `HOST_ERROR` the kit cannot classify. */
  reason?: ErrorReason
}

/**
 * No `Object.setPrototypeOf(this, new.target.prototype)`: uni's builds keep the class, and WeChat DevTools
 * down-levels it with Babel 7, which keeps `instanceof` (src/errors.test.ts compiles it as DevTools does).
 */
// `hint` is declared by merging, not as a `declare` field: Babel's TypeScript preset refuses `declare` fields
// unless an app's config allows them (the README's jest set-up does not), and a plain field would be set on
// every error in production builds too.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the one field set only in development
export interface ChainToolbarError {
  /**
   * Development builds only: one sentence naming the fix and what the kit saw (the URL it asked to sign, the
   * page's URL and origin, the corpId, the entry). Production builds carry no hint text.
   */
  hint?: string
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class ChainToolbarError extends Error {
  readonly code: ErrorCode
  readonly api?: string
  readonly raw?: unknown
  /** The cause, when the kit can classify it (docs/troubleshooting.md). */
  readonly reason?: ErrorReason
  constructor(code: ErrorCode, message: string, details: ChainToolbarErrorDetails = {}) {
    super(message)
    this.name = 'ChainToolbarError'
    this.code = code
    if (details.api !== undefined) this.api = details.api
    if (details.raw !== undefined) this.raw = details.raw
    const reason = details.reason ?? (code != 'HOST_ERROR' ? (code.toLowerCase().replace(/_/g, '-') as ErrorReason) : undefined)
    if (reason) this.reason = reason
  }
}

export const isChainToolbarError = (value: unknown): value is ChainToolbarError => value instanceof ChainToolbarError
