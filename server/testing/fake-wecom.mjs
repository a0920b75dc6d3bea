import { createServer } from 'node:http'
import { createFakeMedia } from './fake-media.mjs'

export { FAKE_MEDIA_LIMITS, MEDIA_LIFETIME_MS, fakeMediaStatus } from './fake-media.mjs'

// A fake WeCom server API on 127.0.0.1 (real HTTP, random port) for tests and the demo's dev server:
// gettoken, ticket/get?type=agent_config, miniprogram/jscode2session, corpgroup/corp/list_app_share_info,
// corpgroup/corp/gettoken, user/get, agent/get, media/upload, auth/getuserinfo (H5 OAuth codes) — answering like
// WeCom does (docs/wecom-host.md §5), errcodes included, with the server-side setup faults WeCom answers
// (`inject`, below) for the doctor and the companion's tests.
// Not part of the public module; import it by path: uni-chain-toolbar/server/testing/fake-wecom.mjs.

// The types are declared in fake-wecom.d.mts (`import('./fake-wecom.mjs')` resolves to it); the type check holds
// this code to them.
/** @type {typeof import('./fake-wecom.mjs').FAKE_DEFAULTS} */
export const FAKE_DEFAULTS = Object.freeze({
  corpId: 'wwupstream0001',
  agentId: 1000002,
  secret: 'fake-app-secret',
  ticket: 'fake-agent-config-ticket',
})

/**
 * @typedef {import('./fake-wecom.mjs').FakeUser} FakeUser
 * @typedef {import('./fake-wecom.mjs').FakeDownstream} FakeDownstream
 * @typedef {import('./fake-wecom.mjs').FakeWeComOptions} FakeWeComOptions
 * @typedef {import('./fake-wecom.mjs').FakeAgent} FakeAgent
 * @typedef {import('./fake-wecom.mjs').FakeFault} FakeFault
 */

/**
 * The server-side setup faults the fake can answer with, as WeCom words them (errmsg carries WeCom's
 * `hint`, the caller's IP and the errcode's help link):
 * - `untrusted-ip`: every API but gettoken answers 60020 naming the caller's IP (the server's IP is not
 *   among the app's trusted IPs, required of self-built apps created since 2022-06-20);
 * - `invalid-credential`: gettoken answers 40001 (the secret is wrong, e.g. reset in the admin console);
 * - `invalid-corpid`: gettoken answers 40013 (the corp id is wrong);
 * - `api-forbidden`: the chain APIs (corpgroup/…) answer 48002 (the app may not call them);
 * - `not-shared`: corpgroup/corp/list_app_share_info answers an empty corp_list (the app is shared with
 *   no downstream corp).
 */
/** @type {readonly FakeFault[]} */
export const FAKE_FAULTS = Object.freeze(['untrusted-ip', 'invalid-credential', 'invalid-corpid', 'api-forbidden', 'not-shared'])

/**
 * Starts the fake API. `url` is its base URL (pass it as apiBaseUrl); `calls` records every request
 * (`api` is the path under cgi-bin/); `fail(api, errcode, times)` makes the next `times` calls of
 * `api` answer `errcode`; `revokeTokens()` invalidates every token handed out so far (42001);
 * `hang(api, times)` never answers the next `times` calls; `inject(fault)` / `heal(fault?)` switch a
 * setup fault (FAKE_FAULTS) on and off.
 * @param {FakeWeComOptions} [options]
 * @returns {Promise<import('./fake-wecom.mjs').FakeWeComApi>}
 */
export async function createFakeWeComApi(options = {}) {
  const corpId = options.corpId ?? FAKE_DEFAULTS.corpId
  const agentId = options.agentId ?? FAKE_DEFAULTS.agentId
  const secret = options.secret ?? FAKE_DEFAULTS.secret
  const expiresIn = options.expiresIn ?? 7200
  const state = {
    ticket: options.ticket ?? FAKE_DEFAULTS.ticket,
    latencyMs: options.latencyMs ?? 0,
    /** agent/get: the app's name, trusted domain (redirect_domain) and home page (home_url). */
    agent: { name: '上下游工具栏', redirectDomain: 'app.example.com', homeUrl: 'https://app.example.com/', ...options.agent },
    /** @type {Set<FakeFault>} */
    faults: new Set(options.faults ?? []),
    codes: new Map(Object.entries(options.codes ?? { 'code-alice': { userId: 'alice', sessionKey: 'session-key-alice' } })),
    /** OAuth codes (H5): code → the userid getuserinfo answers (`CorpId/userid` for a chain member) or an openid. */
    oauthCodes: new Map(Object.entries(options.oauthCodes ?? {})),
    downstream: options.downstream ?? {
      wwdownstream0001: {
        corpName: '下游经销商',
        agentId: 2000001,
        users: {
          bob: { name: '王小明', department: [1, 3], position: '采购经理' },
          hidden: { name: '不可见', visible: false },
        },
      },
    },
  }
  /** @type {{ api: string, method: string, query: Record<string, string>, body: any }[]} */
  const calls = []
  /** @type {Map<string, { errcode: number, times: number }>} */
  const failures = new Map()
  /** @type {Map<string, number>} */
  const hangs = new Map()
  /** @typedef {{ kind: 'app', corpId?: undefined } | { kind: 'downstream', corpId: string }} TokenInfo */
  /** @type {Map<string, TokenInfo>} */
  const tokens = new Map()
  /** @type {Set<import('node:http').ServerResponse>} */
  const hanging = new Set()
  let counter = 0
  // The fake's clock (media ids expire by it): `options.now`, moved on by `advanceClock(ms)`.
  let clockOffset = 0
  const now = () => (options.now ?? Date.now)() + clockOffset
  const media = createFakeMedia({ now, imageMaxBytes: options.imageMaxBytes, requireFileLength: options.requireFileLength })

  const issue = (/** @type {TokenInfo} */ info) => {
    const token = `${info.kind === 'app' ? 'app' : `down-${info.corpId}`}-token-${++counter}`
    tokens.set(token, info)
    return token
  }
  const error = (/** @type {number} */ errcode, /** @type {string} */ errmsg) => ({ errcode, errmsg })
  // WeCom's own wording of a refusal: text, hint, the caller's IP, the errcode's help page.
  const refusal = (/** @type {number} */ errcode, /** @type {string} */ text, /** @type {string} */ ip) => ({
    errcode,
    errmsg: `${text}, hint: [${Date.now()}${String(++counter).padStart(6, '0')}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
  })
  /**
   * The setup fault WeCom would answer `api` with, if one is injected.
   * @param {string} api
   * @param {string} ip
   */
  function injectedFault(api, ip) {
    const faults = state.faults
    if (api === 'gettoken') {
      if (faults.has('invalid-corpid')) return refusal(40013, 'invalid corpid', ip)
      if (faults.has('invalid-credential')) return refusal(40001, 'invalid credential', ip)
      return null
    }
    if (faults.has('untrusted-ip')) return refusal(60020, 'not allow to access from your ip', ip)
    if (faults.has('api-forbidden') && api.startsWith('corpgroup/')) return refusal(48002, 'api forbidden', ip)
    return null
  }
  const checkToken = (/** @type {string | undefined} */ token, /** @type {TokenInfo['kind']} */ kind) => {
    if (!token) return error(41001, 'access_token missing')
    const info = tokens.get(token)
    if (!info) return error(42001, 'access_token expired')
    if (info.kind !== kind) return error(40014, 'invalid access_token')
    return null
  }

  /**
   * @param {string} api
   * @param {string | undefined} method
   * @param {Record<string, string>} query
   * @param {any} body
   * @param {string} [ip]
   * @returns {object | null} the JSON WeCom would answer, null for an API the fake does not serve
   */
  function answer(api, method, query, body, ip = '127.0.0.1') {
    const injected = failures.get(api)
    if (injected && injected.times > 0) {
      injected.times--
      return error(injected.errcode, `injected errcode ${injected.errcode}`)
    }
    const fault = injectedFault(api, ip)
    if (fault) return fault
    switch (api) {
      case 'gettoken': {
        if (query.corpid !== corpId) return error(40013, 'invalid corpid')
        if (query.corpsecret !== secret) return error(40001, 'invalid credential')
        return { errcode: 0, errmsg: 'ok', access_token: issue({ kind: 'app' }), expires_in: expiresIn }
      }
      case 'ticket/get': {
        const bad = checkToken(query.access_token, 'app')
        if (bad) return bad
        if (query.type !== 'agent_config') return error(40001, 'this fake serves only type=agent_config')
        return { errcode: 0, errmsg: 'ok', ticket: state.ticket, expires_in: expiresIn }
      }
      case 'miniprogram/jscode2session': {
        const bad = checkToken(query.access_token, 'app')
        if (bad) return bad
        const login = state.codes.get(query.js_code)
        if (!login || query.grant_type !== 'authorization_code') return error(40029, 'invalid code')
        state.codes.delete(query.js_code) // single use (docs/wecom-host.md §2)
        const sessionKey = login.sessionKey ?? `session-key-${login.userId}`
        return { errcode: 0, errmsg: 'ok', corpid: login.corpId ?? corpId, userid: login.userId, session_key: sessionKey }
      }
      case 'auth/getuserinfo': {
        const bad = checkToken(query.access_token, 'app')
        if (bad) return bad
        const who = state.oauthCodes.get(query.code)
        if (!who) return error(40029, 'invalid code')
        state.oauthCodes.delete(query.code) // one use (docs/wecom-host.md §5)
        if (who.openId) return { errcode: 0, errmsg: 'ok', openid: who.openId }
        const userid = who.corpId && who.corpId !== corpId ? `${who.corpId}/${who.userId}` : who.userId
        return { errcode: 0, errmsg: 'ok', userid, ...(who.corpId && who.corpId !== corpId ? {} : { user_ticket: `ticket-${who.userId}` }) }
      }
      case 'corpgroup/corp/list_app_share_info': {
        if (method !== 'POST') return error(43004, 'require POST')
        const bad = checkToken(query.access_token, 'app')
        if (bad) return bad
        if (body?.agentid !== agentId) return error(40056, 'invalid agentid')
        const corps = Object.entries(state.faults.has('not-shared') ? {} : state.downstream)
          .filter(([id]) => !body.corpid || id === body.corpid)
          .map(([id, corp]) => ({ corpid: id, corp_name: corp.corpName, agentid: corp.agentId }))
        return { errcode: 0, errmsg: 'ok', ending: 1, corp_list: corps }
      }
      case 'corpgroup/corp/gettoken': {
        if (method !== 'POST') return error(43004, 'require POST')
        const bad = checkToken(query.access_token, 'app')
        if (bad) return bad
        const corp = state.downstream[body?.corpid]
        if (!corp || body.agentid !== corp.agentId || body.business_type !== 1) return error(60011, 'no privilege to access corp')
        return { errcode: 0, errmsg: 'ok', access_token: issue({ kind: 'downstream', corpId: body.corpid }), expires_in: expiresIn }
      }
      case 'user/get': {
        const bad = checkToken(query.access_token, 'downstream')
        if (bad) return bad
        const corp = state.downstream[/** @type {{ corpId: string }} */ (tokens.get(query.access_token)).corpId]
        const user = corp.users[query.userid]
        if (!user) return error(60111, 'userid not found')
        if (user.visible === false) return error(60011, 'no privilege to access/modify contact/party/agent')
        const profile = { userid: query.userid, name: user.name, department: user.department ?? [1], position: user.position ?? '' }
        return { errcode: 0, errmsg: 'ok', ...profile, ...(user.avatar ? { avatar: user.avatar } : {}) }
      }
      case 'agent/get': {
        // doc 90227: the app's settings, among them its trusted domain and home page.
        const bad = checkToken(query.access_token, 'app')
        if (bad) return bad
        if (Number(query.agentid) !== agentId) return error(40056, 'invalid agentid')
        const { name, redirectDomain, homeUrl } = state.agent
        return { errcode: 0, errmsg: 'ok', agentid: agentId, name, close: 0, redirect_domain: redirectDomain ?? '', home_url: homeUrl ?? '' }
      }
      default:
        return null
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/cgi-bin/media/upload') return mediaUpload(req, res, url)
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const api = url.pathname.replace(/^\/cgi-bin\//, '')
      const query = Object.fromEntries(url.searchParams)
      let body
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined
      } catch {
        body = undefined
      }
      calls.push({ api, method: req.method ?? 'GET', query, body })
      const hang = hangs.get(api)
      if (hang) {
        hangs.set(api, hang - 1)
        hanging.add(res)
        return
      }
      const respond = () => {
        const data = answer(api, req.method, query, body, (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''))
        if (!data) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
          return
        }
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(data))
      }
      if (state.latencyMs > 0) setTimeout(respond, state.latencyMs)
      else respond()
    })
  })
  /**
   * media/upload reads its multipart body as a stream (a 20 MB file is never held whole).
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   */
  async function mediaUpload(req, res, url) {
    const api = 'media/upload'
    const query = Object.fromEntries(url.searchParams)
    /** @type {(typeof calls)[number]} */
    const call = { api, method: req.method ?? 'GET', query, body: undefined }
    calls.push(call)
    const send = (/** @type {object} */ data) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(data))
    const drained = () => new Promise((resolve) => (req.readableEnded ? resolve(undefined) : req.resume().once('end', resolve).once('close', resolve)))
    const hang = hangs.get(api)
    if (hang) {
      // A stalled WeCom: the body is never read, no answer comes.
      hangs.set(api, hang - 1)
      hanging.add(res)
      return
    }
    const injected = failures.get(api)
    if (injected && injected.times > 0) {
      injected.times--
      await drained()
      return send(error(injected.errcode, `injected errcode ${injected.errcode}`))
    }
    // The setup faults hold for media/upload as for every API but gettoken (60020: an untrusted IP).
    const fault = injectedFault(api, (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''))
    if (fault) return drained().then(() => send(fault))
    if (req.method !== 'POST') return drained().then(() => send(error(43004, 'require POST')))
    const bad = checkToken(query.access_token, 'app')
    if (bad) return drained().then(() => send(bad))
    const { answer: data, body } = await media.upload(req, query)
    call.body = body
    if (body.aborted) return // the client dropped the request before its end: WeCom answers no one
    if (state.latencyMs > 0) setTimeout(() => send(data), state.latencyMs)
    else send(data)
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())

  const url = `http://127.0.0.1:${address.port}`
  return {
    url,
    corpId,
    agentId,
    secret,
    /** The companion's options that point it at this fake (no environment variables read). */
    companion: { env: {}, corpId, agentId, secret, apiBaseUrl: url },
    calls,
    state,
    /** How many calls `api` received. */
    count: (api) => calls.filter((c) => c.api === api).length,
    /** Make the next `times` calls of `api` answer `errcode`. */
    fail(api, errcode, times = 1) {
      failures.set(api, { errcode, times })
    },
    /** Never answer the next `times` calls of `api`. */
    hang(api, times = 1) {
      hangs.set(api, times)
    },
    /** Every token handed out so far is now expired (42001), as if WeCom rotated them. */
    revokeTokens() {
      tokens.clear()
    },
    /** WeCom answers with `fault` (one of FAKE_FAULTS) from now on, until healed. */
    inject(fault) {
      if (!FAKE_FAULTS.includes(fault)) throw new TypeError(`fake WeCom API: unknown fault "${fault}" (${FAKE_FAULTS.join(', ')})`)
      state.faults.add(fault)
    },
    /** Removes `fault`, or every fault. */
    heal(fault) {
      if (fault === undefined) state.faults.clear()
      else state.faults.delete(fault)
    },
    /** Temporary media: the ids issued (`media.issued`), `media.status(id)` ('valid' | 'expired' | 'unknown'), `media.limits`. */
    media: { issued: media.issued, status: media.status, limits: media.limits },
    /** The fake's clock, in ms (media ids expire by it). */
    now,
    /** Moves the fake's clock on by `ms` (a media id expires 3 days after it was issued). */
    advanceClock(ms) {
      clockOffset += ms
    },
    /**
     * A new single-use wx.qy.login code for `userId`.
     * @param {string} code
     * @param {string} userId
     * @param {string} [sessionKey]
     */
    addCode(code, userId, sessionKey) {
      state.codes.set(code, { userId, sessionKey })
    },
    /**
     * A new one-use OAuth code (H5) for `userId` of the corp (`corpId` another corp: a chain member, answered as
     * `CorpId/userid`). Returns the code.
     */
    addOAuthCode(code, userId, corpId) {
      state.oauthCodes.set(code, { userId, corpId })
      return code
    },
    /** A one-use OAuth code of someone who is not a member (getuserinfo answers an openid). */
    addOutsiderOAuthCode(code, openId = 'oOUTSIDER') {
      state.oauthCodes.set(code, { openId })
      return code
    },
    close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve(undefined)))
    },
  }
}
