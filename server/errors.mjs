// Typed errors of the server companion. Messages never carry a secret, a token, a session key or
// the WeCom request URL (its query holds the access token): they are safe to show and to log.

/** HTTP status the handlers answer with, per error code. */
export const ERROR_STATUS = Object.freeze({
  INVALID_REQUEST: 400,
  INVALID_CODE: 400,
  SESSION_INVALID: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  CONTACT_NOT_VISIBLE: 403,
  CONTACT_NOT_FOUND: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CONFIG_ERROR: 500,
  INTERNAL: 500,
  TOKEN_INVALID: 502,
  UPSTREAM_ERROR: 502,
  CACHE_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
})

/** Seconds a client should wait before trying again (the Retry-After header), per error code. */
/** @type {Partial<Record<keyof typeof ERROR_STATUS, number>>} */
const RETRY_AFTER = { RATE_LIMITED: 60, CACHE_UNAVAILABLE: 5 }

export class ChainToolbarServerError extends Error {
  /**
   * @param {keyof typeof ERROR_STATUS} code
   * @param {string} message
   * @param {{ api?: string, errcode?: number, errmsg?: string, cause?: unknown, retryAfter?: number }} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = /** @type {const} */ ('ChainToolbarServerError')
    this.code = code
    this.status = ERROR_STATUS[code] ?? 500
    /** The WeCom API (path under cgi-bin/) that answered, when one did. */
    this.api = details.api
    /** WeCom's errcode, when the error came from WeCom. */
    this.errcode = details.errcode
    /** WeCom's errmsg, for the app's own logs (it may name the server's IP); never sent to clients. */
    this.errmsg = details.errmsg
    /** Seconds before a retry may succeed (sent as Retry-After), for RATE_LIMITED and CACHE_UNAVAILABLE. */
    this.retryAfter = details.retryAfter ?? RETRY_AFTER[code]
  }
}

// errcodes of the WeCom server API (developer.work.weixin.qq.com/document/path/90313).
/** The access token is invalid, expired or missing: refresh it and retry once. */
export const TOKEN_ERRCODES = new Set([40014, 42001, 41001])
/** @type {Map<number, keyof typeof MESSAGES>} */
const ERRCODE_CODES = new Map([
  [40014, 'TOKEN_INVALID'],
  [42001, 'TOKEN_INVALID'],
  [41001, 'TOKEN_INVALID'],
  [40029, 'INVALID_CODE'], // jscode2session: invalid, used or expired (5 min) code (docs/wecom-host.md §5)
  [45009, 'RATE_LIMITED'], // API call frequency limit
  [45011, 'RATE_LIMITED'],
  [45033, 'RATE_LIMITED'], // too many concurrent calls
  [60011, 'CONTACT_NOT_VISIBLE'], // no privilege: the member is outside the app's visible range
  [81013, 'CONTACT_NOT_VISIBLE'], // userid invalid or outside the visible range
  [60111, 'CONTACT_NOT_FOUND'], // userid not found
  [40001, 'CONFIG_ERROR'], // invalid secret
  [40013, 'CONFIG_ERROR'], // invalid corpid
  [40056, 'CONFIG_ERROR'], // invalid agentid
  [48001, 'CONFIG_ERROR'], // API not authorised for this app
  [48002, 'CONFIG_ERROR'], // API forbidden
  [60020, 'CONFIG_ERROR'], // the server's IP is not in the app's trusted IP list
])

/** @satisfies {Partial<Record<keyof typeof ERROR_STATUS, string>>} */
const MESSAGES = {
  TOKEN_INVALID: 'WeCom rejected the access token',
  INVALID_CODE: 'The login code is invalid, used or expired',
  RATE_LIMITED: 'WeCom rate limit reached; try again later',
  CONTACT_NOT_VISIBLE: 'The contact is outside the app\'s visible range',
  CONTACT_NOT_FOUND: 'The contact does not exist',
  CONFIG_ERROR: 'WeCom rejected the server\'s configuration (corpId, secret, agentId, API permission or trusted IP)',
  UPSTREAM_ERROR: 'WeCom answered with an error',
}

// The setup faults a first deployment meets, each named with its fix (the page reads these; the server's IP
// that WeCom names in a 60020 errmsg stays in the server's log). `npx uni-chain-toolbar doctor` checks them all.
const ERRCODE_MESSAGES = new Map([
  [40001, "WeCom rejected the app secret: set secret (WECOM_AGENT_SECRET) to the app's current Secret"],
  [40013, 'WeCom knows no such corp: set corpId (WECOM_CORP_ID) to the 企业ID'],
  [40056, "WeCom knows no such app: set agentId (WECOM_AGENT_ID) to the app's AgentId"],
  [48002, 'WeCom forbids this app the API: use the app shared with the chain (上下游 → 应用共享)'],
  [60020, "WeCom refused this server's IP: add it to the app's trusted IPs (企业可信IP); the server's log names it"],
])

/**
 * @param {string} api
 * @param {number} errcode
 * @param {string} [errmsg]
 */
export function errorFromErrcode(api, errcode, errmsg) {
  const code = ERRCODE_CODES.get(errcode) ?? 'UPSTREAM_ERROR'
  const message = ERRCODE_MESSAGES.get(errcode) ?? MESSAGES[code]
  return new ChainToolbarServerError(code, `${message} (${api}: errcode ${errcode})`, { api, errcode, errmsg })
}
