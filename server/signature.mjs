import { createHash, randomBytes } from 'node:crypto'
import { ChainToolbarServerError } from './errors.mjs'

/** Longest page URL accepted for signing. */
export const MAX_URL_LENGTH = 4096

/**
 * The JS-SDK signature: sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, keys in this
 * order, values as-is (docs/wecom-host.md §3, §5). For agentConfig the ticket is the app ticket
 * (`ticket/get?type=agent_config`), not the corp ticket.
 * @param {{ ticket: string, nonceStr: string, timestamp: number | string, url: string }} input
 * @returns {string} 40 lowercase hex digits
 */
export function computeJsSdkSignature({ ticket, nonceStr, timestamp, url }) {
  return createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`).digest('hex')
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
// Random bytes are drawn 4 KB at a time (one call to the CSPRNG per 256 nonces, not one per nonce).
const POOL_SIZE = 4096
let pool = Buffer.alloc(0)
let offset = POOL_SIZE
/** 16 random letters and digits. */
export function createNonce() {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE)
    offset = 0
  }
  let out = ''
  for (let i = offset; i < offset + 16; i++) out += ALPHABET[pool[i] % ALPHABET.length] // 256 % 62 bias is irrelevant for a nonce
  offset += 16
  return out
}

/**
 * Normalises the allow-list option into a predicate over origins (`https://host[:port]`). Entries are
 * compared as browsers send them: host names in lower case, internationalised names in punycode.
 * Wildcards are not supported (an entry like `https://*.example.com` would match nothing): pass a
 * predicate to allow a family of origins.
 * @param {string[] | ((origin: string) => boolean) | undefined} allowed
 */
export function originPredicate(allowed) {
  if (typeof allowed === 'function') return allowed
  const origins = new Set()
  for (const entry of allowed ?? []) {
    const refuse = (/** @type {string} */ why) => new TypeError(`allowedOrigins: "${entry}" ${why}`)
    if (typeof entry !== 'string') throw refuse('is not a string')
    if (entry.includes('*')) {
      throw refuse('has a wildcard, which is not supported: list each origin, or pass a predicate (origin) => boolean')
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) throw refuse('has no scheme: write an origin like https://app.example.com')
    let url
    try {
      url = new URL(entry)
    } catch {
      throw refuse('is not an origin like https://app.example.com (scheme, host, optional port; no path)')
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('is not http(s): write an origin like https://app.example.com')
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || /[?#]/.test(entry)) {
      throw refuse('has a path, query, hash or credentials: an origin is scheme, host and optional port only')
    }
    origins.add(url.origin) // lower case, punycode, default port dropped: what an Origin header holds
  }
  return (/** @type {string} */ origin) => origins.has(origin)
}

/**
 * Checks a page URL before signing it and returns the exact string to sign: the URL without its
 * `#hash`, otherwise unchanged (the SDK signs `location.href.split('#')[0]`; re-serialising would
 * change it, e.g. add a `/` before `?`, and the signature would no longer match).
 * @param {unknown} url
 * @param {(origin: string) => boolean} isAllowed
 */
export function urlToSign(url, isAllowed) {
  if (typeof url !== 'string' || !url) throw new ChainToolbarServerError('INVALID_REQUEST', 'url must be a non-empty string')
  if (url.length > MAX_URL_LENGTH) throw new ChainToolbarServerError('INVALID_REQUEST', `url is longer than ${MAX_URL_LENGTH} characters`)
  const signed = url.split('#')[0]
  let parsed
  try {
    parsed = new URL(signed)
  } catch {
    throw new ChainToolbarServerError('INVALID_REQUEST', 'url is not an absolute URL')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ChainToolbarServerError('INVALID_REQUEST', 'url must be http(s)')
  }
  if (parsed.username || parsed.password) throw new ChainToolbarServerError('INVALID_REQUEST', 'url must not carry credentials')
  // Only pages on the app's own origins get the app identity; otherwise any site could borrow it.
  if (!isAllowed(parsed.origin)) throw new ChainToolbarServerError('ORIGIN_NOT_ALLOWED', `${parsed.origin} is not in allowedOrigins`)
  return signed
}
