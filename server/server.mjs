import { createHash } from 'node:crypto'
import { createMemoryCache } from './cache.mjs'
import { createCredentialStore } from './credentials.mjs'
import { ChainToolbarServerError } from './errors.mjs'
import { createLogger } from './log.mjs'
import { createMediaService, MEDIA } from './media.mjs'
import { createOAuthCodeExchange } from './oauth.mjs'
import { checkSessionSecret, signSessionToken, verifySessionToken } from './session.mjs'
import { computeJsSdkSignature, createNonce, originPredicate, urlToSign } from './signature.mjs'
import { createWeComTransport } from './wecom-api.mjs'

/** Ids WeCom hands out: corpids (ww…/wp…), userids (letters, digits, _ - @ .), encrypted userids. */
const ID = /^[A-Za-z0-9_.@-]{1,128}$/
/** A wx.qy.login code: printable ASCII, no spaces. */
const LOGIN_CODE = /^[\x21-\x7e]{1,256}$/
const SHARE_INFO_TTL_MS = 10 * 60 * 1000

/**
 * The cache with every failure turned into CACHE_UNAVAILABLE (503 with Retry-After at the handlers):
 * a cache outage is a dependency failure, not an internal error.
 * @param {import('./index').ChainToolbarCache & { renewableLocks?: boolean }} cache
 */
function guardCache(cache) {
  const wrap = (/** @type {'get' | 'set' | 'delete' | 'lock'} */ name) => async (/** @type {any[]} */ ...args) => {
    try {
      return await /** @type {(...args: any[]) => Promise<any>} */ (cache[name])(...args)
    } catch (error) {
      if (error instanceof ChainToolbarServerError) throw error
      throw new ChainToolbarServerError('CACHE_UNAVAILABLE', `The cache failed on ${name} (${/** @type {Error | undefined} */ (error)?.name ?? 'Error'})`, { cause: error })
    }
  }
  return {
    get: wrap('get'),
    set: wrap('set'),
    delete: wrap('delete'),
    lock: typeof cache.lock === 'function' ? wrap('lock') : undefined,
    renewableLocks: cache.renewableLocks === true,
  }
}

/**
 * The `log` option made safe (a throwing logger is ignored): the app's function, silence with `false`, or by
 * default one console line per failure (server/log.mjs). Entries hold no secrets.
 * @param {((entry: import('./index').ServerLogEntry) => void) | false | undefined} logger
 */
export function quietLogger(logger) {
  return createLogger(logger)
}

/**
 * The server half of uni-chain-toolbar: the agentConfig signature (H5), the wx.qy.login code
 * exchange (mini program) and chain contact profiles, over the WeCom server API (docs/wecom-host.md §5).
 * Secrets come from `options`, else from the environment (`options.env`, default `process.env`).
 * @param {import('./index').ChainToolbarServerOptions} [options]
 * @returns {import('./index').ChainToolbarServer & { [MEDIA]: ReturnType<typeof createMediaService> }}
 */
export function createChainToolbarServer(options = {}) {
  const env = options.env ?? process.env
  const corpId = options.corpId ?? env.WECOM_CORP_ID
  const secret = options.secret ?? env.WECOM_AGENT_SECRET
  const agentIdRaw = options.agentId ?? env.WECOM_AGENT_ID
  const miniProgramSecret = options.miniProgramSecret ?? env.WECOM_MINIPROGRAM_SECRET ?? secret
  const sessionSecret = options.sessionSecret ?? env.CHAIN_TOOLBAR_SESSION_SECRET
  const fromEnv = env.CHAIN_TOOLBAR_ALLOWED_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean)
  // No list at all is a deployment that forgot it (every page would be refused): fail at startup. Only the
  // option may say "no origin" ([]: a server for the mini program only).
  const allowedOrigins = options.allowedOrigins ?? (fromEnv?.length ? fromEnv : undefined)
  const apiBaseUrl = options.apiBaseUrl ?? env.WECOM_API_BASE_URL
  const timeoutMs = options.timeoutMs ?? 5000
  const sessionTtlSeconds = options.sessionTtlSeconds ?? 7200
  const now = options.now ?? Date.now
  const nonce = options.createNonce ?? createNonce
  const cache = guardCache(options.cache ?? createMemoryCache())
  const negativeTtlMs = options.negativeCacheTtlMs ?? 60_000
  const log = quietLogger(options.log)

  if (typeof corpId !== 'string' || !ID.test(corpId)) throw new TypeError('createChainToolbarServer: corpId (or WECOM_CORP_ID) is required')
  if (typeof secret !== 'string' || !secret) {
    throw new TypeError('createChainToolbarServer: secret (or WECOM_AGENT_SECRET), the app secret, is required')
  }
  if (allowedOrigins === undefined) {
    throw new TypeError(
      'createChainToolbarServer: allowedOrigins (or CHAIN_TOOLBAR_ALLOWED_ORIGINS, comma separated) is required: the origins of ' +
        'the pages whose URLs are signed, e.g. ["https://app.example.com"]; pass [] for a server of a mini program only',
    )
  }
  if (!(timeoutMs > 0)) throw new TypeError('createChainToolbarServer: timeoutMs must be a positive number')
  if (!(sessionTtlSeconds > 0)) throw new TypeError('createChainToolbarServer: sessionTtlSeconds must be a positive number')
  checkSessionSecret(sessionSecret)
  const agentId = agentIdRaw === undefined || agentIdRaw === '' ? undefined : Number(agentIdRaw)
  if (agentId !== undefined && !Number.isInteger(agentId)) throw new TypeError('createChainToolbarServer: agentId must be an integer')
  const isAllowed = originPredicate(allowedOrigins)

  const call = createWeComTransport({ apiBaseUrl, timeoutMs, fetch: options.fetch, log })
  // A lock that cannot be renewed outlives the longest load behind it (ticket → token → retry: a few
  // calls); a renewable one (Redis) is short and renewed while its holder works. A waiter gives up a
  // little after the longest load.
  const store = createCredentialStore({
    cache,
    now,
    lockTtlMs: 4 * timeoutMs + 1000,
    renewableLockTtlMs: Math.min(2000, timeoutMs + 500),
    waitMs: 5 * timeoutMs + 1000,
    localCopyMs: options.localCopyMs,
    log,
  })

  /**
   * Answers WeCom gave that callers could otherwise ask for again and again (a corp the app is not
   * shared with, an unknown or invisible user) are remembered for `negativeCacheTtlMs`.
   * @param {string} key
   * @param {() => Promise<any>} run
   */
  async function rememberingRefusals(key, run) {
    const known = await cache.get(key).catch(() => null)
    if (known) {
      const { code, message, api, errcode } = JSON.parse(known)
      throw new ChainToolbarServerError(code, message, { api, errcode })
    }
    try {
      return await run()
    } catch (error) {
      const code = error instanceof ChainToolbarServerError ? error.code : undefined
      const refusal = code === 'CONTACT_NOT_VISIBLE' || code === 'CONTACT_NOT_FOUND'
      if (refusal && negativeTtlMs > 0) {
        const refused = /** @type {ChainToolbarServerError} */ (error)
        const entry = JSON.stringify({ code: refused.code, message: refused.message, api: refused.api, errcode: refused.errcode })
        await cache.set(key, entry, negativeTtlMs).catch(() => {})
      }
      throw error
    }
  }

  // Cache keys name the app by a one-way fingerprint: the secret never reaches the cache.
  const fingerprint = (/** @type {string | undefined} */ appSecret) => createHash('sha256').update(`${corpId}\n${appSecret}`).digest('hex').slice(0, 16)
  const app = { key: `token:${corpId}:${fingerprint(secret)}`, secret }
  const miniProgramApp =
    miniProgramSecret === secret ? app : { key: `token:${corpId}:${fingerprint(miniProgramSecret)}`, secret: miniProgramSecret }
  const ticketKey = `ticket:${corpId}:${fingerprint(secret)}`

  /**
   * @param {{ key: string, secret: string | undefined }} target
   * @param {string} [stale]
   * @returns {Promise<string>}
   */
  function appToken(target, stale) {
    return store.obtain(target.key, async () => {
      // Both checked when the server was created.
      const query = { corpid: /** @type {string} */ (corpId), corpsecret: /** @type {string} */ (target.secret) }
      const data = await call('gettoken', { query })
      if (typeof data.access_token !== 'string' || !data.access_token) {
        throw new ChainToolbarServerError('UPSTREAM_ERROR', 'gettoken returned no access_token', { api: 'gettoken' })
      }
      log({ level: 'debug', event: 'token-fetched', api: 'gettoken' })
      return { value: data.access_token, expiresIn: data.expires_in }
    }, stale)
  }

  /**
   * Runs `request(token)`; when WeCom rejects the token (40014, 42001, 41001) refreshes it — once
   * for all concurrent callers — and runs the request one more time.
   * @template T
   * @param {(stale?: string) => Promise<string>} getToken
   * @param {(token: string) => Promise<T>} request
   */
  async function withToken(getToken, request) {
    const token = await getToken()
    try {
      return await request(token)
    } catch (error) {
      if (!(error instanceof ChainToolbarServerError) || error.code !== 'TOKEN_INVALID') throw error
      log({ level: 'warn', event: 'token-refresh', api: error.api, errcode: error.errcode })
      return request(await getToken(token))
    }
  }

  function agentTicket() {
    return store.obtain(ticketKey, async () => {
      const data = await withToken(
        (stale) => appToken(app, stale),
        (token) => call('ticket/get', { token, query: { type: 'agent_config' } }),
      )
      if (typeof data.ticket !== 'string' || !data.ticket) {
        throw new ChainToolbarServerError('UPSTREAM_ERROR', 'ticket/get returned no ticket', { api: 'ticket/get' })
      }
      log({ level: 'debug', event: 'ticket-fetched', api: 'ticket/get' })
      return { value: data.ticket, expiresIn: data.expires_in }
    })
  }

  /** @param {string} url */
  async function signAgentConfig(url) {
    const signed = urlToSign(url, isAllowed)
    const ticket = await agentTicket()
    const timestamp = Math.floor(now() / 1000)
    const nonceStr = nonce()
    return { timestamp, nonceStr, signature: computeJsSdkSignature({ ticket, nonceStr, timestamp, url: signed }) }
  }

  function requireSessionSecret() {
    if (!sessionSecret) {
      throw new ChainToolbarServerError('CONFIG_ERROR', 'sessionSecret (or CHAIN_TOOLBAR_SESSION_SECRET) is not configured')
    }
    return sessionSecret
  }

  /** @param {unknown} code */
  async function exchangeCode(code) {
    if (typeof code !== 'string' || !LOGIN_CODE.test(code)) {
      throw new ChainToolbarServerError('INVALID_REQUEST', 'code must be a non-empty string of printable characters (at most 256)')
    }
    const key = requireSessionSecret()
    // docs/wecom-host.md §5: jscode2session with the token of the app the mini program belongs to.
    const data = await withToken(
      (stale) => appToken(miniProgramApp, stale),
      (token) => call('miniprogram/jscode2session', { token, query: { js_code: code, grant_type: 'authorization_code' } }),
    )
    const { corpid, userid, session_key: sessionKey } = data
    if (typeof corpid !== 'string' || typeof userid !== 'string' || typeof sessionKey !== 'string') {
      const message = 'jscode2session returned no corpid, userid or session_key'
      throw new ChainToolbarServerError('UPSTREAM_ERROR', message, { api: 'miniprogram/jscode2session' })
    }
    const ttlMs = sessionTtlSeconds * 1000
    const expiresAt = now() + ttlMs
    const { token, sessionId } = signSessionToken(key, { corpId: corpid, userId: userid, expiresAt })
    await cache.set(`session:${sessionId}`, JSON.stringify({ sessionKey, corpId: corpid, userId: userid }), ttlMs)
    return { token, expiresIn: sessionTtlSeconds, expiresAt, corpId: corpid, userId: userid }
  }

  // docs/wecom-host.md §5: auth/getuserinfo with the app's token (the app the page's OAuth names by agentid).
  const exchangeOAuthCode = createOAuthCodeExchange({
    corpId,
    getUserInfo: (code) =>
      withToken(
        (stale) => appToken(app, stale),
        (token) => call('auth/getuserinfo', { token, query: { code } }),
      ),
    cache,
    sessionSecret: requireSessionSecret,
    sessionTtlSeconds,
    now,
  })

  /** @param {unknown} token */
  function verifySession(token) {
    return verifySessionToken(requireSessionSecret(), token, now())
  }

  /** @param {unknown} token */
  async function getSessionKey(token) {
    const session = verifySession(token)
    const raw = await cache.get(`session:${session.sessionId}`)
    if (!raw) throw new ChainToolbarServerError('SESSION_INVALID', 'Session not found (expired or evicted from the cache)')
    return JSON.parse(raw).sessionKey
  }

  function requireAgentId() {
    if (agentId === undefined) throw new ChainToolbarServerError('CONFIG_ERROR', 'agentId (or WECOM_AGENT_ID) is not configured')
    return agentId
  }

  /** Which of the app's shares reaches `downstreamCorpId`: its name and its agentid there (cached 10 min). */
  /** @param {string} downstreamCorpId */
  async function shareInfo(downstreamCorpId) {
    const upstreamAgentId = requireAgentId()
    const raw = await store.obtain(`share:${corpId}:${upstreamAgentId}:${downstreamCorpId}`, async () => {
      const data = await withToken(
        (stale) => appToken(app, stale),
        (token) =>
          call('corpgroup/corp/list_app_share_info', {
            method: 'POST',
            token,
            body: { agentid: upstreamAgentId, business_type: 1, corpid: downstreamCorpId },
          }),
      )
      const corp = Array.isArray(data.corp_list) ? data.corp_list.find((c) => c && c.corpid === downstreamCorpId) : undefined
      if (!corp) {
        const message = 'The contact\'s corp is not among the corps the app is shared with'
        throw new ChainToolbarServerError('CONTACT_NOT_VISIBLE', message, { api: 'corpgroup/corp/list_app_share_info' })
      }
      return { value: JSON.stringify({ corpName: String(corp.corp_name ?? ''), agentId: corp.agentid }), ttlMs: SHARE_INFO_TTL_MS }
    })
    return JSON.parse(raw)
  }

  /**
   * @param {string} downstreamCorpId
   * @param {number} downstreamAgentId
   * @param {string} [stale]
   * @returns {Promise<string>}
   */
  function downstreamToken(downstreamCorpId, downstreamAgentId, stale) {
    // One read-only contacts token per downstream corp (7200 s, docs/wecom-host.md §5).
    return store.obtain(`downstream:${corpId}:${downstreamCorpId}:${downstreamAgentId}`, async () => {
      const data = await withToken(
        (s) => appToken(app, s),
        (token) =>
          call('corpgroup/corp/gettoken', {
            method: 'POST',
            token,
            body: { corpid: downstreamCorpId, agentid: downstreamAgentId, business_type: 1 },
          }),
      )
      if (typeof data.access_token !== 'string' || !data.access_token) {
        const message = 'corpgroup/corp/gettoken returned no access_token'
        throw new ChainToolbarServerError('UPSTREAM_ERROR', message, { api: 'corpgroup/corp/gettoken' })
      }
      return { value: data.access_token, expiresIn: data.expires_in }
    }, stale)
  }

  /** @param {{ corpId: string, userId: string }} contact */
  async function resolveChainContact(contact) {
    const { corpId: contactCorpId, userId } = contact ?? {}
    if (typeof contactCorpId !== 'string' || !ID.test(contactCorpId)) {
      throw new ChainToolbarServerError('INVALID_REQUEST', 'corpId must be a WeCom corp id (letters, digits, _ - @ ., at most 128)')
    }
    if (typeof userId !== 'string' || !ID.test(userId)) {
      throw new ChainToolbarServerError('INVALID_REQUEST', 'userId must be a WeCom user id (letters, digits, _ - @ ., at most 128)')
    }
    const share = await rememberingRefusals(`refused:${corpId}:${contactCorpId}`, () => shareInfo(contactCorpId))
    const user = await rememberingRefusals(`refused:${corpId}:${contactCorpId}:${userId}`, () =>
      withToken(
        (stale) => downstreamToken(contactCorpId, share.agentId, stale),
        (token) => call('user/get', { token, query: { userid: userId } }),
      ),
    )
    /** @type {import('./index').ChainContactProfile} */
    const profile = {
      corpId: contactCorpId,
      userId,
      name: typeof user.name === 'string' ? user.name : '',
      corpName: share.corpName,
      department: Array.isArray(user.department) ? user.department : [],
      position: typeof user.position === 'string' ? user.position : '',
    }
    // Apps created after 2022-06-20 get no avatar (docs/wecom-host.md §5); pass it on when there is one.
    if (typeof user.avatar === 'string' && user.avatar) profile.avatar = user.avatar
    return profile
  }

  // Temporary media (docs/wecom-host.md §5): checked, deduplicated by content, streamed to media/upload.
  const media = createMediaService({
    corpId,
    apiBaseUrl: apiBaseUrl ?? 'https://qyapi.weixin.qq.com',
    cache,
    now,
    log,
    appToken: (stale) => appToken(app, stale),
    withAppToken: (request) => withToken((stale) => appToken(app, stale), request),
    options: options.media,
  })

  return {
    [MEDIA]: media,
    uploadMedia: media.uploadMedia,
    corpId,
    signAgentConfig,
    exchangeCode,
    exchangeOAuthCode,
    verifySession,
    getSessionKey,
    resolveChainContact,
    getAccessToken: () => appToken(app),
    getAgentTicket: agentTicket,
    isOriginAllowed: (/** @type {unknown} */ origin) => typeof origin === 'string' && isAllowed(origin),
  }
}
