import { ChainToolbarServerError, errorFromErrcode } from './errors.mjs'

export const DEFAULT_API_BASE_URL = 'https://qyapi.weixin.qq.com'

/**
 * One call to the WeCom server API (`<base>/cgi-bin/<api>`), bounded by `timeoutMs` (connection,
 * headers and body), its errcode turned into a ChainToolbarServerError.
 * @param {{ apiBaseUrl?: string, timeoutMs: number, fetch?: typeof fetch, log: (entry: import('./index').ServerLogEntry) => void }} options
 */
export function createWeComTransport({ apiBaseUrl = DEFAULT_API_BASE_URL, timeoutMs, fetch: fetchImpl = globalThis.fetch, log }) {
  let base
  try {
    base = new URL(apiBaseUrl)
  } catch {
    throw new TypeError(`apiBaseUrl "${apiBaseUrl}" is not a URL`)
  }
  // Accept both https://qyapi.weixin.qq.com and …/cgi-bin.
  const root = base.href.replace(/\/+$/, '').replace(/\/cgi-bin$/, '') + '/cgi-bin/'

  /**
   * @param {string} api path under cgi-bin/, e.g. "ticket/get"
   * @param {{ method?: 'GET' | 'POST', token?: string, query?: Record<string, string | number>, body?: unknown }} [request]
   * @returns {Promise<Record<string, any>>}
   */
  return async function callWeCom(api, { method = 'GET', token, query, body } = {}) {
    const url = new URL(api, root)
    if (token !== undefined) url.searchParams.set('access_token', token)
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, String(value))
    const started = Date.now()
    let data
    try {
      const response = await fetchImpl(url, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      })
      if (!response.ok) {
        await response.body?.cancel().catch(() => {})
        throw new ChainToolbarServerError('UPSTREAM_ERROR', `WeCom answered HTTP ${response.status} (${api})`, { api })
      }
      const text = await response.text()
      try {
        data = JSON.parse(text)
      } catch {
        throw new ChainToolbarServerError('UPSTREAM_ERROR', `WeCom answered with something other than JSON (${api})`, { api })
      }
    } catch (error) {
      if (error instanceof ChainToolbarServerError) throw error
      // The request URL holds the access token (or the secret, for gettoken): never pass it on.
      const name = /** @type {Error | undefined} */ (error)?.name
      const timedOut = name === 'TimeoutError' || name === 'AbortError'
      log({ level: 'warn', event: timedOut ? 'wecom-timeout' : 'wecom-unreachable', api, ms: Date.now() - started })
      throw timedOut
        ? new ChainToolbarServerError('UPSTREAM_TIMEOUT', `WeCom did not answer within ${timeoutMs} ms (${api})`, { api })
        : new ChainToolbarServerError('UPSTREAM_ERROR', `Could not reach the WeCom API (${api})`, { api })
    }
    if (!data || typeof data !== 'object') {
      throw new ChainToolbarServerError('UPSTREAM_ERROR', `WeCom answered with an unexpected body (${api})`, { api })
    }
    const errcode = Number(data.errcode ?? 0)
    if (errcode !== 0) {
      log({ level: 'warn', event: 'wecom-error', api, errcode, ms: Date.now() - started })
      throw errorFromErrcode(api, errcode, typeof data.errmsg === 'string' ? data.errmsg : undefined)
    }
    log({ level: 'debug', event: 'wecom-call', api, ms: Date.now() - started })
    return data
  }
}
