import { ChainToolbarServerError } from './errors.mjs'
import { originPredicate } from './signature.mjs'
import { createWeComTransport, DEFAULT_API_BASE_URL } from './wecom-api.mjs'

// The setup doctor (`npx uni-chain-toolbar doctor`, or runDoctor() from code): asks the WeCom server API
// what the app's setup is, in the order a first deployment meets the faults, and names the fix for each
// (docs/doctor.md). It reads the server companion's own options and environment variables. Nothing it
// prints or returns holds a secret, a token, a ticket or a Redis password.

/**
 * The checks, in the order they run.
 * @type {readonly { id: import('./index').DoctorCheck['id'], title: string }[]}
 */
export const DOCTOR_CHECKS = Object.freeze([
  { id: 'credentials', title: 'corp id and secret' },
  { id: 'trusted-ip', title: "server's IP" },
  { id: 'ticket', title: 'app ticket' },
  { id: 'trusted-domain', title: 'trusted domain' },
  { id: 'mini-program-secret', title: 'mini program secret' },
  { id: 'chain-sharing', title: 'chain sharing' },
  { id: 'redis', title: 'Redis' },
])

/**
 * How a check reports its outcome.
 * @typedef {(
 *   id: import('./index').DoctorCheck['id'], status: import('./index').DoctorCheck['status'], detail: string,
 *   more?: { fix?: string, errcode?: number },
 * ) => void} RecordCheck
 */

const LOOPBACK_HOST = /^(localhost|127(\.\d+){3}|\[::1\])$/i
const help = (/** @type {number} */ errcode) => `https://open.work.weixin.qq.com/devtool/query?e=${errcode}`

/**
 * The companion's configuration, read as createChainToolbarServer reads it (same options, same
 * environment variables), plus the Redis URL the doctor pings.
 * @param {import('./index').DoctorOptions} options
 */
function readConfig(options) {
  const env = options.env ?? process.env
  const secret = options.secret ?? env.WECOM_AGENT_SECRET
  const origins = options.allowedOrigins ?? env.CHAIN_TOOLBAR_ALLOWED_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean)
  const miniProgramSecret = options.miniProgramSecret ?? env.WECOM_MINIPROGRAM_SECRET
  const agentIdRaw = options.agentId ?? env.WECOM_AGENT_ID
  return {
    corpId: options.corpId ?? env.WECOM_CORP_ID,
    secret,
    agentId: agentIdRaw === undefined || agentIdRaw === '' ? undefined : Number(agentIdRaw),
    miniProgramSecret: miniProgramSecret && miniProgramSecret !== secret ? miniProgramSecret : undefined,
    // An empty variable is no list: only the option may say "no origin" ([], a server for the mini program only).
    allowedOrigins: Array.isArray(origins) && origins.length === 0 && options.allowedOrigins === undefined ? undefined : origins,
    apiBaseUrl: options.apiBaseUrl ?? env.WECOM_API_BASE_URL ?? DEFAULT_API_BASE_URL,
    redisUrl: options.redisUrl ?? env.CHAIN_TOOLBAR_REDIS_URL ?? env.REDIS_URL,
  }
}

/**
 * A Redis URL as it may be printed: scheme, host and port; no user, no password.
 * @param {string} url
 */
function printableRedisUrl(url) {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return 'the configured Redis URL (not a URL)'
  }
}

/**
 * What WeCom said, in one phrase, without its errmsg (which may be long): the API and the errcode.
 * @param {unknown} error
 */
function said(error) {
  if (!(error instanceof ChainToolbarServerError)) return 'an unexpected failure'
  if (error.errcode !== undefined) return `${error.api}: errcode ${error.errcode}`
  return error.message
}

/**
 * The calling IP WeCom names in a 60020 refusal ("… from ip: 1.2.3.4, more info …").
 * @param {any} error
 */
function ipIn(error) {
  return /from ip:\s*([0-9a-f.:]+)/i.exec(error?.errmsg ?? '')?.[1]
}

/**
 * A failure no check below explains: unreachable WeCom, a timeout, an errcode without its own line.
 * @param {any} error
 * @param {string} what
 */
function generic(error, what) {
  if (error instanceof ChainToolbarServerError && error.code === 'UPSTREAM_TIMEOUT') {
    return { detail: `${error.message}, asked for ${what}`, fix: 'Check that this server can reach the WeCom API (outbound HTTPS, proxy), or set WECOM_API_BASE_URL.' }
  }
  if (error instanceof ChainToolbarServerError && error.errcode === undefined) {
    return { detail: `${what} failed: ${error.message}`, fix: 'Check that this server can reach the WeCom API (outbound HTTPS, proxy), or set WECOM_API_BASE_URL.' }
  }
  const errcode = error?.errcode
  if (errcode === 40056) {
    return { detail: `WeCom knows no such app in this corp (${said(error)})`, fix: "Set WECOM_AGENT_ID (agentId) to the app's AgentId (admin console → 应用管理 → your app)." }
  }
  return {
    detail: `WeCom refused ${what} (${said(error)})`,
    fix: errcode === undefined ? 'Run the doctor again; report the failure if it stays.' : `See WeCom's explanation of errcode ${errcode}: ${help(errcode)}`,
  }
}

/**
 * Checks the app's setup against the WeCom server API, one check after the other (DOCTOR_CHECKS), each
 * passing, failing with the fix, or skipped when an earlier failure makes it meaningless.
 * @param {import('./index').DoctorOptions} [options]
 * @returns {Promise<import('./index').DoctorReport>}
 */
export async function runDoctor(options = {}) {
  const config = readConfig(options)
  const timeoutMs = options.timeoutMs ?? 5000
  /** @type {import('./index').DoctorCheck[]} */
  const checks = []
  const secrets = /** @type {string[]} */ (
    [config.secret, config.miniProgramSecret, redisPassword(config.redisUrl)].filter((s) => typeof s === 'string' && s.length >= 3)
  )
  /** @type {string[]} */
  const tokens = []
  /** Defence in depth: whatever a check writes, no configured secret and no credential WeCom handed out survives. */
  const redact = (/** @type {string} */ text) => {
    let out = text
    for (const s of [...secrets, ...tokens]) out = out.split(s).join('***')
    return out
  }
  /**
   * @param {import('./index').DoctorCheck['id']} id @param {'pass' | 'fail' | 'skip'} status @param {string} detail
   * @param {{ fix?: string, errcode?: number }} [more]
   */
  const record = (id, status, detail, more = {}) => {
    const { title } = /** @type {{ title: string }} */ (DOCTOR_CHECKS.find((c) => c.id === id))
    /** @type {import('./index').DoctorCheck} */
    const check = { id, title, status, detail: redact(detail) }
    if (more.fix) check.fix = redact(more.fix)
    if (more.errcode !== undefined) check.errcode = more.errcode
    checks.push(check)
    try {
      options.onCheck?.(check)
    } catch {}
  }
  /** @param {import('./index').DoctorCheck['id'][]} ids @param {string} why */
  const skipAll = (ids, why) => ids.forEach((id) => record(id, 'skip', why))

  let call
  try {
    call = createWeComTransport({ apiBaseUrl: config.apiBaseUrl, timeoutMs, fetch: options.fetch, log: () => {} })
  } catch (error) {
    record('credentials', 'fail', `WECOM_API_BASE_URL (apiBaseUrl) is not a URL`, { fix: 'Unset WECOM_API_BASE_URL, or set it to the WeCom API base URL, e.g. https://qyapi.weixin.qq.com.' })
    skipAll(['trusted-ip', 'ticket', 'trusted-domain', 'mini-program-secret', 'chain-sharing'], 'needs the WeCom API')
    await checkRedis(config, timeoutMs, record)
    return report(checks)
  }

  const wecomChecks = await (async () => {
    // 1. Corp id and secret: gettoken.
    if (typeof config.corpId !== 'string' || !config.corpId || typeof config.secret !== 'string' || !config.secret) {
      const missing = [!config.corpId && 'WECOM_CORP_ID (corpId)', !config.secret && 'WECOM_AGENT_SECRET (secret)'].filter(Boolean).join(' and ')
      record('credentials', 'fail', `${missing} not set`, {
        fix: "Set WECOM_CORP_ID to the 企业ID (admin console → 我的企业 → 企业信息) and WECOM_AGENT_SECRET to the app's Secret (应用管理 → your app).",
      })
      return 'needs the corp id and the secret'
    }
    let token
    try {
      const data = await call('gettoken', { query: { corpid: config.corpId, corpsecret: config.secret } })
      token = String(data.access_token ?? '')
      if (token) tokens.push(token)
    } catch (error) {
      if (error?.errcode === 60020) {
        const ip = ipIn(error)
        record('credentials', 'skip', 'WeCom refused the call from this server before checking them (60020)')
        record('trusted-ip', 'fail', `WeCom refuses calls from ${ip ?? "this server's IP"} (gettoken: errcode 60020)`, { fix: ipFix(ip), errcode: 60020 })
        return "needs WeCom to accept this server's IP"
      }
      if (error?.errcode === 40013) {
        record('credentials', 'fail', `WeCom knows no corp ${config.corpId} (gettoken: errcode 40013)`, {
          fix: 'Set WECOM_CORP_ID (corpId) to the 企业ID shown in the admin console under 我的企业 → 企业信息 (it starts with ww or wp).',
          errcode: 40013,
        })
      } else if (error?.errcode === 40001) {
        record('credentials', 'fail', `WeCom rejected the app secret for corp ${config.corpId} (gettoken: errcode 40001)`, {
          fix: "Copy the app's Secret (admin console → 应用管理 → your app → Secret; it changes when someone resets it) into WECOM_AGENT_SECRET (secret).",
          errcode: 40001,
        })
      } else {
        const { detail, fix } = generic(error, 'gettoken')
        record('credentials', 'fail', detail, { fix, errcode: error?.errcode })
      }
      return 'needs the access token'
    }
    record('credentials', 'pass', `corp ${config.corpId} and the app secret are accepted (gettoken)`)

    // 2. The server's IP: the first call after gettoken (agent/get, or ticket/get without an agent id).
    const agentIdOk = Number.isInteger(config.agentId)
    const probeApi = agentIdOk ? 'agent/get' : 'ticket/get'
    /** @type {Record<string, string | number>} */
    const probeQuery = agentIdOk ? { agentid: /** @type {number} */ (config.agentId) } : { type: 'agent_config' }
    /** @type {{ data?: any, error?: any }} */
    const probe = await call(probeApi, { token, query: probeQuery }).then((data) => ({ data }), (error) => ({ error }))
    if (probe.error?.errcode === 60020) {
      const ip = ipIn(probe.error)
      record('trusted-ip', 'fail', `WeCom refuses calls from ${ip ?? "this server's IP"} (${probeApi}: errcode 60020)`, { fix: ipFix(ip), errcode: 60020 })
      return "needs WeCom to accept this server's IP"
    }
    record('trusted-ip', 'pass', `WeCom accepts calls from this server (${probeApi})`)

    // 3. The app ticket agentConfig is signed with (not the corp's jsapi ticket).
    /** @type {{ data?: any, error?: any }} */
    const ticket = probeApi === 'ticket/get' ? probe : await call('ticket/get', { token, query: { type: 'agent_config' } }).then((data) => ({ data }), (error) => ({ error }))
    if (ticket.data?.ticket) tokens.push(String(ticket.data.ticket))
    if (ticket.error) {
      const { detail, fix } = generic(ticket.error, 'the app ticket (ticket/get?type=agent_config)')
      record('ticket', 'fail', detail, { fix, errcode: ticket.error.errcode })
    } else if (!ticket.data?.ticket) {
      record('ticket', 'fail', 'ticket/get?type=agent_config answered no ticket', { fix: 'Run the doctor again; report the failure if it stays.' })
    } else {
      record('ticket', 'pass', "the app's agent_config ticket is issued (ticket/get?type=agent_config)")
    }

    // 4. The app's trusted domain against allowedOrigins: an origin outside it gets 80001 at agentConfig.
    checkTrustedDomain(config, agentIdOk, probeApi === 'agent/get' ? probe : undefined, record)

    // 5. The mini program's secret, when it is not the app secret.
    if (!config.miniProgramSecret) {
      record('mini-program-secret', 'skip', 'not set: the mini program login uses the app secret (checked above)')
    } else {
      try {
        const data = await call('gettoken', { query: { corpid: config.corpId, corpsecret: config.miniProgramSecret } })
        if (data.access_token) tokens.push(String(data.access_token))
        record('mini-program-secret', 'pass', 'the mini program secret is accepted (gettoken)')
      } catch (error) {
        if (error?.errcode === 40001) {
          record('mini-program-secret', 'fail', 'WeCom rejected the mini program secret (gettoken: errcode 40001)', {
            fix: 'Copy the Secret of the app the mini program belongs to (admin console → 应用管理 → 小程序 → your mini program) into WECOM_MINIPROGRAM_SECRET (miniProgramSecret).',
            errcode: 40001,
          })
        } else {
          const { detail, fix } = generic(error, 'the mini program secret (gettoken)')
          record('mini-program-secret', 'fail', detail, { fix, errcode: error?.errcode })
        }
      }
    }

    // 6. Chain sharing: the app must be shared with at least one downstream corp.
    if (!agentIdOk) {
      record('chain-sharing', 'fail', 'WECOM_AGENT_ID (agentId) is not set: which app is shared cannot be asked', {
        fix: "Set WECOM_AGENT_ID to the app's AgentId (admin console → 应用管理 → your app).",
      })
      return null
    }
    try {
      const data = await call('corpgroup/corp/list_app_share_info', { method: 'POST', token, body: { agentid: config.agentId, business_type: 1 } })
      const corps = Array.isArray(data.corp_list) ? data.corp_list : []
      if (corps.length === 0) {
        record('chain-sharing', 'fail', `app ${config.agentId} is shared with no downstream corp: chain contacts cannot be resolved`, {
          fix: 'Share the app with your downstream corps: admin console → 上下游 → your chain → 应用共享 (the app shared there is the one whose AgentId is WECOM_AGENT_ID).',
        })
      } else {
        const names = corps.slice(0, 3).map((c) => String(c?.corp_name ?? c?.corpid ?? '')).join(', ')
        record('chain-sharing', 'pass', `app ${config.agentId} is shared with ${corps.length} downstream corp${corps.length === 1 ? '' : 's'} (${names}${corps.length > 3 ? ', …' : ''})`)
      }
    } catch (error) {
      if (error?.errcode === 48002) {
        record('chain-sharing', 'fail', `WeCom forbids app ${config.agentId} the chain APIs (corpgroup/corp/list_app_share_info: errcode 48002)`, {
          fix: 'Use the app created for the chain (admin console → 上下游 → your chain → 应用共享) and set its AgentId and Secret; a plain self-built app may not read downstream corps.',
          errcode: 48002,
        })
      } else {
        const { detail, fix } = generic(error, 'the chain sharing (corpgroup/corp/list_app_share_info)')
        record('chain-sharing', 'fail', detail, { fix, errcode: error?.errcode })
      }
    }
    return null
  })()
  if (wecomChecks) {
    const done = new Set(checks.map((c) => c.id))
    /** @type {import('./index').DoctorCheck['id'][]} */
    const rest = ['trusted-ip', 'ticket', 'trusted-domain', 'mini-program-secret', 'chain-sharing']
    skipAll(rest.filter((id) => !done.has(id)), wecomChecks)
  }

  // 7. Redis, when configured.
  await checkRedis(config, timeoutMs, record)
  return report(checks)
}

/** @param {string | undefined} ip */
function ipFix(ip) {
  return `Add ${ip ?? "this server's public IP"} to the app's trusted IPs (admin console → 应用管理 → your app → 企业可信IP); apps created since 2022-06-20 need it.`
}

/**
 * @param {ReturnType<typeof readConfig>} config
 * @param {boolean} agentIdOk
 * @param {{ data?: any, error?: any } | undefined} agent agent/get's answer
 * @param {RecordCheck} record
 */
function checkTrustedDomain(config, agentIdOk, agent, record) {
  if (config.allowedOrigins === undefined) {
    record('trusted-domain', 'fail', 'allowedOrigins (CHAIN_TOOLBAR_ALLOWED_ORIGINS) is not set: the server companion will not start', {
      fix: 'Set CHAIN_TOOLBAR_ALLOWED_ORIGINS (allowedOrigins) to the origins of your pages, e.g. https://app.example.com (comma separated).',
    })
    return
  }
  if (!agentIdOk) {
    record('trusted-domain', 'fail', 'WECOM_AGENT_ID (agentId) is not set, or not a number: the trusted domain cannot be read', {
      fix: "Set WECOM_AGENT_ID to the app's AgentId (admin console → 应用管理 → your app).",
    })
    return
  }
  if (typeof config.allowedOrigins === 'function') {
    record('trusted-domain', 'skip', `allowedOrigins is a function: compare it with the app's trusted domain (${agent?.data?.redirect_domain || 'none set'}) yourself`)
    return
  }
  try {
    originPredicate(config.allowedOrigins)
  } catch (error) {
    record('trusted-domain', 'fail', String(error.message), { fix: 'Write each entry as an origin: scheme, host and optional port, e.g. https://app.example.com.' })
    return
  }
  if (agent?.error) {
    if (agent.error.errcode === 40056) {
      record('trusted-domain', 'fail', `WeCom knows no app ${config.agentId} in this corp (agent/get: errcode 40056)`, {
        fix: "Set WECOM_AGENT_ID to the AgentId of the app whose Secret is WECOM_AGENT_SECRET (admin console → 应用管理 → your app).",
        errcode: 40056,
      })
    } else {
      const { detail, fix } = generic(agent.error, "the app's settings (agent/get)")
      record('trusted-domain', 'fail', detail, { fix, errcode: agent.error.errcode })
    }
    return
  }
  const origins = config.allowedOrigins.map((o) => new URL(o))
  const checked = origins.filter((u) => !LOOPBACK_HOST.test(u.hostname))
  const domain = String(agent?.data?.redirect_domain ?? '').trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '')
  if (checked.length === 0) {
    record('trusted-domain', 'skip', `allowedOrigins lists no origin outside this machine (the app's trusted domain is ${domain || 'not set'})`)
    return
  }
  if (!domain) {
    record('trusted-domain', 'fail', "the app has no trusted domain: WeCom will refuse agentConfig on every page (80001)", {
      fix: `Set the app's trusted domain to ${checked[0].host} (admin console → 应用管理 → your app → 网页授权及JS-SDK → 可信域名).`,
    })
    return
  }
  // The trusted domain is a host name, with a port when it has one.
  const covered = (/** @type {URL} */ u) => (domain.includes(':') ? u.host : u.hostname) === domain
  const outside = checked.filter((u) => !covered(u))
  if (outside.length > 0) {
    const list = outside.map((u) => u.origin).join(', ')
    record('trusted-domain', 'fail', `${list} ${outside.length === 1 ? 'is' : 'are'} in allowedOrigins but the app's trusted domain is ${domain}: WeCom will refuse agentConfig there (80001)`, {
      fix: `Serve the pages from ${domain}, or set the app's trusted domain to ${outside[0].host} (admin console → 应用管理 → your app → 网页授权及JS-SDK → 可信域名; an app has one trusted domain).`,
    })
    return
  }
  record('trusted-domain', 'pass', `the app's trusted domain ${domain} covers ${checked.map((u) => u.origin).join(', ')} (agent/get)`)
}

/** @param {string | undefined} url */
function redisPassword(url) {
  if (!url) return undefined
  try {
    const parsed = new URL(url)
    return parsed.password ? decodeURIComponent(parsed.password) : undefined
  } catch {
    return undefined
  }
}

/**
 * @param {ReturnType<typeof readConfig>} config
 * @param {number} timeoutMs
 * @param {RecordCheck} record
 */
async function checkRedis(config, timeoutMs, record) {
  if (!config.redisUrl) {
    record('redis', 'skip', 'not configured (CHAIN_TOOLBAR_REDIS_URL or REDIS_URL): credentials are cached per process')
    return
  }
  const where = printableRedisUrl(config.redisUrl)
  let redis
  try {
    redis = await import('redis')
  } catch {
    record('redis', 'fail', `${where} is configured but the "redis" package is not installed`, { fix: 'npm install redis' })
    return
  }
  let client
  let timer
  try {
    client = redis.createClient({ url: config.redisUrl, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } })
    client.on('error', () => {}) // the failure is reported below, not thrown at the process
    const ping = (async () => {
      await client.connect()
      return client.ping()
    })()
    ping.catch(() => {})
    const answer = await Promise.race([
      ping,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
    if (answer !== 'PONG') throw new Error(`PING answered ${String(answer).slice(0, 40)}`)
    record('redis', 'pass', `${where} answers PING`)
  } catch (error) {
    // node-redis error messages name the host and port, never the password; the redaction runs anyway.
    const why = /NOAUTH|WRONGPASS|AUTH/i.test(String(error?.message)) ? 'refused the password' : String(error?.message ?? error).slice(0, 120)
    record('redis', 'fail', `${where} did not answer PING (${why})`, {
      fix: 'Start Redis there, or correct CHAIN_TOOLBAR_REDIS_URL / REDIS_URL (redis://user:password@host:port).',
    })
  } finally {
    clearTimeout(timer)
    try {
      if (client?.isOpen) await client.quit()
    } catch {}
    try {
      client?.destroy?.()
    } catch {}
  }
}

/** @param {import('./index').DoctorCheck[]} checks @returns {import('./index').DoctorReport} */
function report(checks) {
  return { ok: checks.every((c) => c.status !== 'fail'), checks }
}

/**
 * One line per check (`PASS`, `FAIL … Fix: …`, `SKIP`), then a summary line.
 * @param {import('./index').DoctorCheck} check
 */
export function formatDoctorCheck(check) {
  const label = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' }[check.status]
  return `${label}  ${check.title.padEnd(20)} ${check.detail}${check.fix ? `. Fix: ${check.fix}` : ''}`
}

/** @param {import('./index').DoctorReport} doctorReport */
export function formatDoctorSummary(doctorReport) {
  /** @param {import('./index').DoctorCheck['status']} status */
  const count = (status) => doctorReport.checks.filter((c) => c.status === status).length
  return `${count('fail')} failed, ${count('pass')} passed, ${count('skip')} skipped`
}
