import { createHash } from 'node:crypto'
import { ChainToolbarServerError } from './errors.mjs'
import { signSessionToken } from './session.mjs'

// Member identity on H5 (docs/wecom-host.md §5, "Member identity on H5"): the page's OAuth code
// (snsapi_base, valid 5 minutes, one use) → `auth/getuserinfo` → the same session token as the mini
// program's code exchange, so one `resolveContact` works on both hosts.

/** An OAuth code: printable ASCII, no spaces. */
const OAUTH_CODE = /^[\x21-\x7e]{1,256}$/
/** How long WeCom honours a code (5 minutes): a refused or used one is remembered that long. */
export const OAUTH_CODE_TTL_MS = 5 * 60 * 1000
const ID = /^[A-Za-z0-9_.@-]{1,128}$/

/**
 * The OAuth code exchange of the server companion.
 * @param {{
 *   corpId: string,
 *   getUserInfo: (code: string) => Promise<Record<string, any>>,
 *   cache: { get(key: string): Promise<string | null | undefined>, set(key: string, value: string, ttlMs: number): Promise<unknown> },
 *   sessionSecret: () => string,
 *   sessionTtlSeconds: number,
 *   now: () => number,
 * }} deps
 */
export function createOAuthCodeExchange({ corpId, getUserInfo, cache, sessionSecret, sessionTtlSeconds, now }) {
  const invalid = () => new ChainToolbarServerError('INVALID_CODE', 'The OAuth code is invalid, used or expired (auth/getuserinfo)', { api: 'auth/getuserinfo' })

  /** @param {unknown} code */
  return async function exchangeOAuthCode(code) {
    if (typeof code !== 'string' || !OAUTH_CODE.test(code)) {
      throw new ChainToolbarServerError('INVALID_REQUEST', 'code must be a non-empty string of printable characters (at most 256)')
    }
    const key = sessionSecret()
    // A code is one use: one WeCom refused, or one already exchanged here, is answered from memory.
    const seen = `oauth-code:${corpId}:${createHash('sha256').update(code).digest('base64url')}`
    if (await cache.get(seen)) throw invalid()
    let data
    try {
      data = await getUserInfo(code)
    } catch (error) {
      if (error instanceof ChainToolbarServerError && error.code === 'INVALID_CODE') await cache.set(seen, 'refused', OAUTH_CODE_TTL_MS).catch(() => {})
      throw error
    }
    await cache.set(seen, 'used', OAUTH_CODE_TTL_MS).catch(() => {})
    const userid = typeof data.userid === 'string' ? data.userid : typeof data.UserId === 'string' ? data.UserId : ''
    if (!userid) {
      // openid / external_userid: not a member of the corp or its chain.
      throw new ChainToolbarServerError('FORBIDDEN', 'Only members of the corp and its chain sign in here', { api: 'auth/getuserinfo' })
    }
    // A chain (upstream/downstream) member's userid reads `CorpId/userid`.
    const slash = userid.indexOf('/')
    const member = slash === -1 ? { corpId, userId: userid } : { corpId: userid.slice(0, slash), userId: userid.slice(slash + 1) }
    if (!ID.test(member.corpId) || !ID.test(member.userId)) {
      throw new ChainToolbarServerError('UPSTREAM_ERROR', 'auth/getuserinfo returned a userid of an unknown form', { api: 'auth/getuserinfo' })
    }
    const ttlMs = sessionTtlSeconds * 1000
    const expiresAt = now() + ttlMs
    const { token, sessionId } = signSessionToken(key, { ...member, expiresAt })
    await cache.set(`session:${sessionId}`, JSON.stringify({ ...member, via: 'oauth' }), ttlMs)
    return { token, expiresIn: sessionTtlSeconds, expiresAt, ...member }
  }
}

/**
 * `POST <oauthSession path>` `{ code }` → `{ token, expiresIn, corpId, userId }`: guarded like the session
 * endpoint (JSON body, per-address limit) and, since a browser page calls it, only from allowed origins.
 * @param {{
 *   guard: (request: any, method: 'POST', run: () => Promise<any>) => Promise<any>,
 *   readJson: (request: any) => Promise<any>,
 *   limit: (kind: 'oauthSession', who: string) => Promise<void>,
 *   callerAddress: (request: any) => string,
 *   exchange: (code: string) => Promise<{ token: string, expiresIn: number, corpId: string, userId: string }>,
 *   isOriginAllowed: (origin: string) => boolean,
 *   json: (status: number, body: unknown) => any,
 * }} deps
 */
export function createOAuthSessionHandler({ guard, readJson, limit, callerAddress, exchange, isOriginAllowed, json }) {
  /** @param {any} request */
  return (request) =>
    guard(request, 'POST', async () => {
      const origin = request.header('origin')
      if (origin && !isOriginAllowed(origin)) throw new ChainToolbarServerError('ORIGIN_NOT_ALLOWED', `${origin} is not in allowedOrigins`)
      const body = await readJson(request)
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.code !== 'string') {
        throw new ChainToolbarServerError('INVALID_REQUEST', 'The body must be { "code": "<WeCom OAuth code>" }')
      }
      await limit('oauthSession', callerAddress(request))
      const { token, expiresIn, corpId, userId } = await exchange(body.code)
      return json(200, { token, expiresIn, corpId, userId })
    })
}
