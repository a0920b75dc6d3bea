// Per-caller rate limits: fixed windows counted in a store. Interface:
//   hit(key, windowMs) → { count, resetInMs }: counts one hit in the key's current window.
// createRedisCache implements it too (shared by every instance on that Redis).

/**
 * Counts in this process only (the default without Redis).
 * @returns {import('./index').RateLimitStore}
 */
export function createMemoryRateLimitStore() {
  /** @type {Map<string, { count: number, resetAt: number }>} */
  const windows = new Map()
  let hits = 0
  return {
    async hit(key, windowMs) {
      const now = Date.now()
      if (++hits % 1000 === 0) for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k)
      let window = windows.get(key)
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + windowMs }
        windows.set(key, window)
      }
      window.count++
      return { count: window.count, resetInMs: window.resetAt - now }
    },
  }
}
