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

export interface ChainToolbarErrorDetails {
  /** The host API that was called (`getContext`, `sendChatMessage`, …), when one was. */
  api?: string
  /** What the host returned: the wx.qy `fail` result, the SDK's rejection object, a thrown value. */
  raw?: unknown
}

/**
 * No `Object.setPrototypeOf(this, new.target.prototype)`: uni's builds keep the class, and WeChat DevTools
 * down-levels it with Babel 7, which keeps `instanceof` (src/errors.test.ts compiles it as DevTools does).
 */
export class ChainToolbarError extends Error {
  readonly code: ErrorCode
  readonly api?: string
  readonly raw?: unknown

  constructor(code: ErrorCode, message: string, details: ChainToolbarErrorDetails = {}) {
    super(message)
    this.name = 'ChainToolbarError'
    this.code = code
    if (details.api !== undefined) this.api = details.api
    if (details.raw !== undefined) this.raw = details.raw
  }
}

export const isChainToolbarError = (value: unknown): value is ChainToolbarError => value instanceof ChainToolbarError
