import { randomBytes } from 'node:crypto'

// Releases the lock only if it still holds our token: a holder whose lock expired must not delete
// the next holder's lock.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"

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
      else ready = Promise.reject(new TypeError('createRedisCache needs { client } or { url }'))
    }
    return ready
  }

  async function connect(url) {
    let redis
    try {
      redis = await import('redis')
    } catch (error) {
      throw new TypeError('createRedisCache({ url }) needs the "redis" package: npm install redis', { cause: error })
    }
    ownClient = redis.createClient({ url })
    // node-redis emits 'error' while it reconnects; without a listener Node would crash the process.
    // Commands still reject, so callers see the failure.
    ownClient.on('error', (error) => options.onError?.(error))
    await ownClient.connect()
    return ownClient
  }

  const commandTimeoutMs = options.commandTimeoutMs ?? 2000
  // node-redis queues commands while it (re)connects, and its connect() waits as long as Redis is
  // down: bound every command, so a Redis outage fails requests instead of hanging them.
  const send = (args) => {
    let timer
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer ${args[0]} within ${commandTimeoutMs} ms`)), commandTimeoutMs)
    })
    const work = client().then((c) => c.sendCommand(args))
    work.catch(() => {}) // a late failure after the deadline is not an unhandled rejection
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
  }
  const k = (key) => prefix + key

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
      const ok = await send(['SET', k(key), token, 'NX', 'PX', String(Math.max(1, Math.ceil(ttlMs)))])
      if (ok == null) return null
      return async () => {
        await send(['EVAL', RELEASE, '1', k(key), token])
      }
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
