import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { ChainToolbarServerError } from './errors.mjs'

// Session tokens: `v1.<payload>.<mac>`, payload = base64url JSON { s: session id, c: corpId,
// u: userId, e: expiry (ms) }, mac = base64url HMAC-SHA256(sessionSecret, "v1." + payload).
// Clients treat them as opaque; the session_key stays in the server's cache under the session id.

/** @param {Buffer | string} buffer */
const b64 = (buffer) => Buffer.from(buffer).toString('base64url')
const MAX_TOKEN_LENGTH = 1024

/** @param {string | undefined} secret */
export function checkSessionSecret(secret) {
  if (secret === undefined) return
  if (typeof secret !== 'string' || Buffer.byteLength(secret) < 32) {
    throw new TypeError('sessionSecret must be a string of at least 32 bytes (e.g. `openssl rand -base64 32`)')
  }
}

/**
 * @param {string} secret
 * @param {{ corpId: string, userId: string, expiresAt: number }} claims
 */
export function signSessionToken(secret, { corpId, userId, expiresAt }) {
  const sessionId = randomBytes(16).toString('base64url')
  const payload = b64(JSON.stringify({ s: sessionId, c: corpId, u: userId, e: expiresAt }))
  const mac = createHmac('sha256', secret).update(`v1.${payload}`).digest('base64url')
  return { token: `v1.${payload}.${mac}`, sessionId }
}

/**
 * @param {string} secret
 * @param {unknown} token
 * @param {number} now ms
 * @returns {{ sessionId: string, corpId: string, userId: string, expiresAt: number }}
 */
export function verifySessionToken(secret, token, now) {
  const invalid = (/** @type {string} */ why) => new ChainToolbarServerError('SESSION_INVALID', `Session token ${why}`)
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw invalid('missing or malformed')
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== 'v1') throw invalid('missing or malformed')
  // Compared as the canonical base64url text: decoding first would skip stray characters ("=", "!")
  // and ignore the unused low bits of the last character, so several strings would verify.
  const expected = Buffer.from(createHmac('sha256', secret).update(`v1.${parts[1]}`).digest('base64url'))
  const given = Buffer.from(parts[2])
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('has a bad signature')
  let claims
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
  } catch {
    throw invalid('missing or malformed')
  }
  const shaped = claims && typeof claims.s === 'string' && typeof claims.c === 'string' && typeof claims.u === 'string'
  if (!shaped || typeof claims.e !== 'number') {
    throw invalid('missing or malformed')
  }
  if (claims.e <= now) throw invalid('expired')
  return { sessionId: claims.s, corpId: claims.c, userId: claims.u, expiresAt: claims.e }
}
