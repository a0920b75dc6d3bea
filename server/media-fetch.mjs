import { lookup as dnsLookup } from 'node:dns'
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { BlockList, isIP } from 'node:net'
import { Transform } from 'node:stream'
import { ChainToolbarServerError } from './errors.mjs'

// Fetching a file by URL for the media endpoint: the server asks a URL a caller named, so this is an SSRF
// surface. Guards: the URL's origin must be on the app's allow-list; redirects are followed only within the
// same origin (at most `maxRedirects`); every address the connection is made to is checked against the
// ranges below when the socket connects (the agent's own DNS lookup, so a name that resolves to a private
// address, or re-resolves to one, is refused); the body is capped in bytes and the whole fetch in time.

const BLOCKED = new BlockList()
for (const [net, prefix] of /** @type {[string, number][]} */ ([
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba Cloud's metadata 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
])) {
  BLOCKED.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of /** @type {[string, number][]} */ ([
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
])) {
  BLOCKED.addSubnet(net, prefix, 'ipv6')
}

/**
 * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address.
 * @param {string} address
 */
function embeddedIPv4(address) {
  const lower = address.toLowerCase()
  const dotted = /^(?:::ffff:(?:0:)?|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (dotted) return dotted[1]
  const hex = /^(?:::ffff:(?:0:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower)
  if (hex) {
    const hi = parseInt(hex[1], 16)
    const lo = parseInt(hex[2], 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower)
  if (sixToFour) {
    const hi = parseInt(sixToFour[1], 16)
    const lo = parseInt(sixToFour[2], 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  return null
}

/**
 * True for addresses a fetch by URL must never reach: loopback, private, link-local, CGNAT, multicast,
 * unspecified, documentation and reserved ranges, and cloud metadata addresses — IPv4 and IPv6, an IPv4
 * address inside an IPv6 one (IPv4-mapped, NAT64, 6to4) judged as that IPv4 address. Not an IP: true.
 * @param {string} address
 */
export function isBlockedAddress(address) {
  const family = isIP(address)
  if (family === 4) return BLOCKED.check(address, 'ipv4')
  if (family !== 6) return true
  const bare = address.replace(/%.*$/, '') // a zone id (fe80::1%eth0)
  const inner = embeddedIPv4(bare)
  if (inner) return BLOCKED.check(inner, 'ipv4')
  // The whole IPv4-mapped range (::ffff:0:0/96) in whichever spelling: judged above, or refused.
  if (/^::ffff:/i.test(bare)) return true
  return BLOCKED.check(bare, 'ipv6')
}

const refused = (/** @type {string} */ message) => new ChainToolbarServerError('ORIGIN_NOT_ALLOWED', message)

/**
 * @typedef {{
 *   origins: string[] | ((origin: string) => boolean),
 *   isAddressAllowed?: (address: string, family: 4 | 6) => boolean,
 *   lookup?: typeof import('node:dns').lookup,
 *   maxRedirects?: number,
 *   timeoutMs?: number,
 * }} MediaFetchOptions
 */

/**
 * A fetcher for allow-listed URLs. `fetchUrl(url, { maxBytes, onResponse })` resolves with a Node readable of the
 * body (already capped at `maxBytes` and bounded by the deadline: it errors with PAYLOAD_TOO_LARGE or
 * UPSTREAM_TIMEOUT) and the response's content-type.
 * @param {MediaFetchOptions} options
 */
export function createMediaFetcher(options) {
  const list = options.origins
  const originAllowed =
    typeof list === 'function'
      ? (/** @type {string} */ origin) => Boolean(list(origin))
      : (() => {
          const set = new Set((list ?? []).map((o) => new URL(o).origin))
          return (/** @type {string} */ origin) => set.has(origin)
        })()
  const isAddressAllowed = options.isAddressAllowed ?? ((address) => !isBlockedAddress(address))
  /**
   * A lookup of the app's own may answer the old way (one address and its family) even when asked for all.
   * @type {(hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, addresses: any) => void) => void}
   */
  const resolve = options.lookup ?? dnsLookup
  const maxRedirects = options.maxRedirects ?? 3
  const timeoutMs = options.timeoutMs ?? 30_000
  if (!(timeoutMs > 0)) throw new TypeError('media fetch timeoutMs must be a positive number')

  /**
   * The agent's lookup: every address the name resolves to must be allowed (the socket connects to one of them).
   * @param {string} hostname
   * @param {import('node:dns').LookupOptions} lookupOptions
   * @param {(error: Error | null, address?: any, family?: number) => void} callback
   */
  function guardedLookup(hostname, lookupOptions, callback) {
    resolve(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error)
      const list = Array.isArray(addresses) ? addresses : [{ address: addresses, family: lookupOptions.family || isIP(addresses) }]
      const blocked = list.find((/** @type {{ address: string, family: number | string }} */ a) => !isAddressAllowed(a.address, a.family === 6 || a.family === 'IPv6' ? 6 : 4))
      if (!list.length || blocked) {
        const failure = Object.assign(new Error(`${hostname} resolves to an address the server does not fetch from`), { code: 'EBLOCKED' })
        return callback(failure)
      }
      if (lookupOptions.all) return callback(null, list)
      return callback(null, list[0].address, list[0].family === 6 || list[0].family === 'IPv6' ? 6 : 4)
    })
  }
  /** @type {Record<string, HttpAgent>} */
  const agents = {
    'http:': new HttpAgent({ keepAlive: false, lookup: guardedLookup }),
    'https:': new HttpsAgent({ keepAlive: false, lookup: guardedLookup }),
  }

  /**
   * @param {string} rawUrl
   * @param {{ maxBytes: number, tooLarge?: () => Error, signal?: AbortSignal }} limits
   * @returns {Promise<{ body: import('node:stream').Readable, contentType: string | undefined, length: number | undefined, url: URL }>}
   */
  async function fetchUrl(rawUrl, { maxBytes, signal, tooLarge }) {
    const overCap = tooLarge ?? (() => new ChainToolbarServerError('PAYLOAD_TOO_LARGE', `The file at the URL is larger than ${maxBytes} bytes`))
    let url
    try {
      url = new URL(rawUrl)
    } catch {
      throw new ChainToolbarServerError('INVALID_REQUEST', 'url must be an absolute http(s) URL')
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ChainToolbarServerError('INVALID_REQUEST', 'url must be http(s)')
    if (url.username || url.password) throw new ChainToolbarServerError('INVALID_REQUEST', 'url must not carry credentials')
    if (!originAllowed(url.origin)) throw refused(`The server does not fetch media from ${url.origin} (not in media.fetchOrigins)`)
    const origin = url.origin
    checkLiteral(url)
    const deadline = AbortSignal.timeout(timeoutMs)
    const abort = signal ? AbortSignal.any([deadline, signal]) : deadline
    for (let redirects = 0; ; redirects++) {
      const response = await get(url, abort)
      const status = response.statusCode ?? 0
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume()
        let next
        try {
          next = new URL(response.headers.location, url)
        } catch {
          throw new ChainToolbarServerError('UPSTREAM_ERROR', 'The URL redirected to something that is not a URL')
        }
        if (next.origin !== origin) throw refused(`The URL redirected off its origin (to ${next.origin}); the server follows none`)
        if (redirects >= maxRedirects) throw new ChainToolbarServerError('UPSTREAM_ERROR', `The URL redirected more than ${maxRedirects} times`)
        checkLiteral(next)
        url = next
        continue
      }
      if (status !== 200) {
        response.resume()
        throw new ChainToolbarServerError('UPSTREAM_ERROR', `The URL answered HTTP ${status}`)
      }
      const declared = Number(response.headers['content-length'])
      if (Number.isFinite(declared) && declared > maxBytes) {
        response.destroy()
        throw overCap()
      }
      // Cap and deadline while the body streams: what the caller reads is `body`, never the raw response.
      let received = 0
      const body = new Transform({
        transform(chunk, _encoding, callback) {
          received += chunk.length
          if (received > maxBytes) callback(overCap())
          else callback(null, chunk)
        },
      })
      const onAbort = () => {
        const late = new ChainToolbarServerError('UPSTREAM_TIMEOUT', `The URL's body did not arrive within ${timeoutMs} ms`)
        const reason = signal?.aborted && !deadline.aborted ? signal.reason : late
        body.destroy(reason)
        response.destroy()
      }
      abort.addEventListener('abort', onAbort, { once: true })
      response.once('error', (error) => body.destroy(error instanceof ChainToolbarServerError ? error : new ChainToolbarServerError('UPSTREAM_ERROR', 'The URL\'s body broke off')))
      response.once('aborted', () => body.destroy(new ChainToolbarServerError('UPSTREAM_ERROR', 'The URL\'s body broke off')))
      body.once('close', () => {
        abort.removeEventListener('abort', onAbort)
        response.destroy()
      })
      response.pipe(body)
      return {
        body,
        contentType: response.headers['content-type'],
        length: Number.isFinite(declared) ? declared : undefined,
        url,
      }
    }
  }

  /** An IP literal in the URL is never looked up: judge it before connecting. */
  /** @param {URL} url */
  function checkLiteral(url) {
    const host = url.hostname.replace(/^\[|\]$/g, '')
    const family = isIP(host)
    if (family && !isAddressAllowed(host, family === 6 ? 6 : 4)) throw refused('The URL\'s host is an address the server does not fetch from')
  }

  /**
   * One GET over the guarded agent; the connected socket's address is checked again (an IP literal in the
   * URL skips the lookup).
   * @param {URL} url
   * @param {AbortSignal} signal
   * @returns {Promise<import('node:http').IncomingMessage>}
   */
  function get(url, signal) {
    return new Promise((resolvePromise, reject) => {
      if (signal.aborted) return reject(new ChainToolbarServerError('UPSTREAM_TIMEOUT', `The URL did not answer within ${timeoutMs} ms`))
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
        method: 'GET',
        agent: agents[url.protocol],
        headers: { accept: '*/*', 'accept-encoding': 'identity', 'user-agent': 'uni-chain-toolbar-server' },
      })
      const onAbort = () => request.destroy(new ChainToolbarServerError('UPSTREAM_TIMEOUT', `The URL did not answer within ${timeoutMs} ms`))
      signal.addEventListener('abort', onAbort, { once: true })
      request.once('socket', (socket) => {
        const check = () => {
          const address = socket.remoteAddress
          if (!address || !isAddressAllowed(address, isIP(address) === 6 ? 6 : 4)) {
            request.destroy(refused('The URL\'s host is an address the server does not fetch from'))
          }
        }
        if (socket.connecting) socket.once('connect', check)
        else check()
      })
      request.once('response', (response) => {
        signal.removeEventListener('abort', onAbort)
        resolvePromise(response)
      })
      request.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
        signal.removeEventListener('abort', onAbort)
        if (error instanceof ChainToolbarServerError) return reject(error)
        if (error?.code === 'EBLOCKED') return reject(refused(error.message))
        reject(new ChainToolbarServerError('UPSTREAM_ERROR', `Could not fetch the URL (${error?.code ?? error?.name ?? 'Error'})`))
      })
      request.end()
    })
  }

  return { fetchUrl, originAllowed }
}
