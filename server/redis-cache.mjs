import { randomBytes } from 'node:crypto'
import { ChainToolbarServerError } from './errors.mjs'

// Releases the lock only if it still holds our token: a holder whose lock expired must not delete
// the next holder's lock.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
// Renews the lock only while it still holds our token.
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
// One hit in a fixed window: the count and the milliseconds until the window ends.
const HIT = "local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end " +
  "local t = redis.call('pttl', KEYS[1]) if t < 0 then redis.call('pexpire', KEYS[1], ARGV[1]) t = tonumber(ARGV[1]) end return {n, t}"

/**
 * A cache shared by every server instance that points at the same Redis: one access token, one
 * ticket and one downstream token per corp for all of them, fetched once (SET NX PX lock).
 *
 * Pass `client` (a node-redis client, v4 or later, or anything with `sendCommand(args: string[])`),
 * or `url` to let the cache create and connect a node-redis client itself (the optional peer
 * dependency `redis`, imported only then). `close()` disconnects only a client it created.
 * @param {import('./index').RedisCacheOptions} options
 * @returns {import('./index').RedisCache}
 */
export function createRedisCache(options = {}) {
  const prefix = options.prefix ?? 'uni-chain-toolbar:'
  /** @type {Promise<{ sendCommand(args: string[]): Promise<unknown> }> | undefined} */
  let ready
  /** @type {any} */
  let ownClient

  function client() {
    if (!ready) {
      if (options.client) ready = Promise.resolve(options.client)
      else if (options.url) ready = connect(options.url)
      else ready = Promise.reject(Object.assign(new TypeError('createRedisCache needs { client } or { url }'), { configuration: true }))
    }
    return ready
  }

  /** @param {string} url */
  async function connect(url) {
    let redis
    try {
      redis = await import('redis')
    } catch (error) {
      const missing = new TypeError('createRedisCache({ url }) needs the "redis" package: npm install redis', { cause: error })
      throw Object.assign(missing, { configuration: true })
    }
    ownClient = redis.createClient({ url })
    // node-redis emits 'error' while it reconnects; without a listener Node would crash the process.
    // Commands still reject, so callers see the failure.
    ownClient.on('error', (/** @type {unknown} */ error) => options.onError?.(error))
    await ownClient.connect()
    return ownClient
  }

  const commandTimeoutMs = options.commandTimeoutMs ?? 2000
  // After a command failed, the next ones fail at once for a moment instead of each waiting for its
  // deadline (the credential store then serves its local copy without delay); then one tries again.
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 1000
  let failedAt = 0
  let lastFailure = ''
  /** @param {string} message @param {unknown} [cause] */
  const unavailable = (message, cause) => new ChainToolbarServerError('CACHE_UNAVAILABLE', message, cause === undefined ? {} : { cause })
  // node-redis queues commands while it (re)connects, and its connect() waits as long as Redis is
  // down: bound every command, so a Redis outage fails requests instead of hanging them.
  /** @param {string[]} args @param {(late: Promise<unknown>) => void} [onTimeout] */
  const send = (args, onTimeout) => {
    if (failedAt && Date.now() - failedAt < retryAfterFailureMs) {
      return Promise.reject(unavailable(`Redis did not answer ${args[0]} (${lastFailure}, ${Date.now() - failedAt} ms ago)`))
    }
    /** @type {NodeJS.Timeout | undefined} */
    let timer
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(() => reject(unavailable(`Redis did not answer ${args[0]} within ${commandTimeoutMs} ms`)), commandTimeoutMs)
    })
    const work = client().then((c) => c.sendCommand(args))
    work.catch(() => {}) // a late failure after the deadline is not an unhandled rejection
    return Promise.race([work, deadline]).then(
      (value) => {
        clearTimeout(timer)
        failedAt = 0
        return value
      },
      (error) => {
        clearTimeout(timer)
        if (error?.configuration) throw error // a mistake in the options, not an outage
        failedAt = Date.now()
        lastFailure = error instanceof ChainToolbarServerError ? `no answer within ${commandTimeoutMs} ms` : 'connection failed'
        if (error instanceof ChainToolbarServerError && onTimeout) onTimeout(work)
        if (error instanceof ChainToolbarServerError) throw error
        throw unavailable(`Redis failed on ${args[0]} (${error?.name ?? 'Error'})`, error)
      },
    )
  }
  /** Sent after a command that timed out: on the same connection, so Redis runs it after that command. */
  const sendLate = (/** @type {string[]} */ args) => {
    client()
      .then((c) => c.sendCommand(args))
      .catch(() => {})
  }
  const k = (/** @type {string} */ key) => prefix + key

  return {
    async get(key) {
      const value = await send(['GET', k(key)])
      return value == null ? null : String(value)
    },
    async set(key, value, ttlMs) {
      await send(['SET', k(key), value, 'PX', String(Math.max(1, Math.ceil(ttlMs)))])
    },
    async delete(key) {
      await send(['DEL', k(key)])
    },
    async lock(key, ttlMs) {
      const token = randomBytes(16).toString('hex')
      const px = (/** @type {number} */ ms) => String(Math.max(1, Math.ceil(ms)))
      // A SET NX that times out may still land later: its release is queued right behind it, so the
      // lock does not outlive the caller who gave up on it (a stall of N s costs about N s).
      const ok = await send(['SET', k(key), token, 'NX', 'PX', px(ttlMs)], () => sendLate(['EVAL', RELEASE, '1', k(key), token]))
      if (ok == null) return null
      const release = async () => {
        await send(['EVAL', RELEASE, '1', k(key), token], () => sendLate(['EVAL', RELEASE, '1', k(key), token]))
      }
      /** Renews the lock for `ms` while it is still ours; false when it is not. */
      release.extend = async (/** @type {number} */ ms) => Number(await send(['EVAL', EXTEND, '1', k(key), token, px(ms)])) === 1
      return release
    },
    /** Locks are renewed by their holder while it works (release.extend), so they can be short. */
    renewableLocks: true,
    async hit(key, windowMs) {
      const window = String(Math.max(1, Math.ceil(windowMs)))
      const [count, resetInMs] = /** @type {[number, number]} */ (await send(['EVAL', HIT, '1', k(key), window]))
      return { count: Number(count), resetInMs: Number(resetInMs) }
    },
    async close() {
      if (!ownClient) return
      const c = ownClient
      ownClient = undefined
      ready = undefined
      try {
        if (typeof c.close === 'function') await c.close()
        else await c.quit()
      } catch {
        c.destroy?.() // never connected (Redis down): stop its reconnect attempts
      }
    },
  }
}
