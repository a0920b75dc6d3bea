import { ChainToolbarServerError } from './errors.mjs'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

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
 * @param {{ cache: import('./index').ChainToolbarCache, now: () => number, lockTtlMs: number, waitMs: number }} options
 */
export function createCredentialStore({ cache, now, lockTtlMs, waitMs }) {
  /** @type {Map<string, Promise<string>>} */
  const inflight = new Map()

  async function read(key) {
    const raw = await cache.get(key)
    if (!raw) return null
    let entry
    try {
      entry = JSON.parse(raw)
    } catch {
      return null
    }
    // The stored expiry (not the cache's own TTL) decides, so an injected clock is honoured.
    if (!entry || typeof entry.value !== 'string' || !(entry.expiresAt > now())) return null
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
      const release = cache.lock ? await cache.lock(`lock:${key}`, lockTtlMs) : async () => {}
      if (release) {
        try {
          const current = await read(key) // another instance may have filled it meanwhile
          if (current !== null && current !== stale) return current
          const fresh = await fetcher()
          const ttlMs = fresh.ttlMs ?? usableMs(fresh.expiresIn)
          await cache.set(key, JSON.stringify({ value: fresh.value, expiresAt: now() + ttlMs }), ttlMs)
          return fresh.value
        } finally {
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
