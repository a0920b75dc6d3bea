import { ChainToolbarServerError } from './errors.mjs'

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
/** How long a credential read from the cache is served from memory before the cache is asked again. */
const HOT_MS = 1000

/**
 * How long a credential WeCom says lives `expiresIn` seconds is used: until shortly before it
 * expires (5 minutes, or a tenth of short lifetimes), so a call never starts with a token about to
 * die. Tokens and tickets live 7200 s (docs/wecom-host.md §5).
 * @param {unknown} expiresIn seconds
 */
export function usableMs(expiresIn) {
  const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 7200
  return Math.max(1, seconds - Math.min(300, seconds / 10)) * 1000
}

/**
 * Cached credentials (tokens, tickets) with single flight: within the process one load per key at
 * a time, across processes one holder of the cache's lock fetches while the others wait for the
 * value to appear in the cache.
 *
 * When the cache fails (Redis down or stalled), the last value it held is used from a short
 * in-process copy while that copy is younger than `localCopyMs` and the credential has not expired;
 * without one the caller gets CACHE_UNAVAILABLE (503, Retry-After).
 *
 * A cache whose locks can be renewed (`renewableLocks`, createRedisCache) is locked for `renewableLockTtlMs`
 * and the lock is renewed while the fetch runs, so a holder that dies or stalls blocks the others for
 * about that long, not for the longest possible fetch (`lockTtlMs`).
 * @param {{
 *   cache: import('./index').ChainToolbarCache & { renewableLocks?: boolean }, now: () => number, lockTtlMs: number,
 *   renewableLockTtlMs?: number, waitMs: number, localCopyMs?: number, log?: (entry: import('./index').ServerLogEntry) => void,
 * }} options
 */
export function createCredentialStore(options) {
  const { cache, now, lockTtlMs, renewableLockTtlMs = 2000, waitMs, localCopyMs = 10 * 60 * 1000, log = () => {} } = options
  /** @type {Map<string, Promise<string>>} */
  const inflight = new Map()
  /** @type {Map<string, { value: string, expiresAt: number, seenAt: number }>} */
  const local = new Map()
  const renewable = cache.renewableLocks === true
  const ttl = renewable ? renewableLockTtlMs : lockTtlMs
  let lastFallbackLog = 0

  /** @param {string} key @param {string} value @param {number} expiresAt */
  function remember(key, value, expiresAt) {
    local.set(key, { value, expiresAt, seenAt: Date.now() })
  }

  /**
   * The local copy of `key` while the cache fails, else the cache's error.
   * @param {string} key
   * @param {unknown} error
   */
  function fallback(key, error) {
    const copy = local.get(key)
    if (copy && copy.expiresAt > now() && Date.now() - copy.seenAt < localCopyMs) {
      if (Date.now() - lastFallbackLog > 10_000) {
        lastFallbackLog = Date.now()
        log({ level: 'warn', event: 'dependency-failure', dependency: 'cache', code: 'CACHE_UNAVAILABLE', fallback: 'local-copy' })
      }
      return copy.value
    }
    if (error instanceof ChainToolbarServerError) throw error
    const message = 'The cache did not answer and no recent copy of the credential is left'
    throw new ChainToolbarServerError('CACHE_UNAVAILABLE', message, { cause: error })
  }

  /** @param {string} key @returns {Promise<string | null>} */
  async function read(key) {
    let raw
    try {
      raw = await cache.get(key)
    } catch (error) {
      return fallback(key, error)
    }
    if (!raw) return null
    let entry
    try {
      entry = JSON.parse(raw)
    } catch {
      return null
    }
    // The stored expiry (not the cache's own TTL) decides, so an injected clock is honoured.
    if (!entry || typeof entry.value !== 'string' || !(entry.expiresAt > now())) return null
    remember(key, entry.value, entry.expiresAt)
    return entry.value
  }

  /**
   * @param {string} key
   * @param {() => Promise<{ value: string, expiresIn?: number, ttlMs?: number }>} fetcher
   * @param {string} [stale] a value known to be bad: never return it
   */
  async function load(key, fetcher, stale) {
    const started = Date.now()
    for (let pollMs = 10; ; pollMs = Math.min(pollMs * 2, 100)) {
      /** @type {((() => Promise<void>) & { extend?: (ttlMs: number) => Promise<boolean> }) | null} */
      let release
      try {
        release = cache.lock ? await cache.lock(`lock:${key}`, ttl) : async () => {}
      } catch (error) {
        const copy = fallback(key, error)
        if (copy !== stale) return copy
        throw error
      }
      if (release) {
        const renew = () => release.extend?.(ttl).catch(() => {})
        const renewal = renewable && typeof release.extend === 'function' ? setInterval(renew, ttl / 3) : undefined
        renewal?.unref?.()
        try {
          const current = await read(key) // another instance may have filled it meanwhile
          if (current !== null && current !== stale) return current
          const fresh = await fetcher()
          const ttlMs = fresh.ttlMs ?? usableMs(fresh.expiresIn)
          const expiresAt = now() + ttlMs
          remember(key, fresh.value, expiresAt)
          // A cache that fails now does not lose the credential just fetched: the local copy serves it.
          await cache.set(key, JSON.stringify({ value: fresh.value, expiresAt }), ttlMs).catch(() => {})
          return fresh.value
        } finally {
          clearInterval(renewal)
          await release().catch(() => {})
        }
      }
      // Another instance holds the lock and is fetching: wait for its value.
      await sleep(pollMs)
      const current = await read(key)
      if (current !== null && current !== stale) return current
      if (Date.now() - started > waitMs) {
        throw new ChainToolbarServerError('UPSTREAM_TIMEOUT', 'Timed out waiting for another server instance to fetch a WeCom credential')
      }
    }
  }

  /**
   * The cached value of `key`, loading it with `fetcher` when missing or expired. With `stale`,
   * a value other than `stale` (a refresh after WeCom rejected it); concurrent callers share one load.
   * @param {string} key
   * @param {() => Promise<{ value: string, expiresIn?: number, ttlMs?: number }>} fetcher
   * @param {string} [stale]
   * @returns {Promise<string>}
   */
  async function obtain(key, fetcher, stale) {
    if (stale === undefined) {
      // Hot path: a value read from the cache less than a second ago is used as is (no cache round trip).
      const copy = local.get(key)
      if (copy && copy.expiresAt > now() && Date.now() - copy.seenAt < HOT_MS) return copy.value
      const hit = await read(key)
      if (hit !== null) return hit
    }
    for (;;) {
      const running = inflight.get(key)
      if (!running) {
        const started = load(key, fetcher, stale).finally(() => {
          if (inflight.get(key) === started) inflight.delete(key)
        })
        inflight.set(key, started)
        return started
      }
      const value = await running
      // A load that started before the value went bad may return it: start one that knows.
      if (stale === undefined || value !== stale) return value
    }
  }

  return { obtain, read }
}
