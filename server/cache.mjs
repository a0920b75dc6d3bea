// The cache that holds access tokens, jsapi tickets, downstream tokens and session keys.
// Interface (strings in, strings out, TTL in ms):
//   get(key) → string | null;  set(key, value, ttlMs);  delete(key);
//   lock(key, ttlMs) → release function, or null when another holder has it (optional:
//   without it, single flight holds within one process only).

/**
 * The default cache: one process, in memory. Several server instances each fetch their own token
 * with it (WeCom allows that; each fetch counts against the gettoken rate limit): use
 * createRedisCache to share one.
 * @returns {import('./index').ChainToolbarCache}
 */
export function createMemoryCache() {
  /** @type {Map<string, { value: string, expiresAt: number }>} */
  const entries = new Map()
  let writes = 0
  // Session keys are written once and rarely read again: sweep expired entries now and then.
  const sweep = () => {
    const now = Date.now()
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key)
  }
  /** @param {string} key */
  const read = (key) => {
    const entry = entries.get(key)
    if (!entry) return null
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key)
      return null
    }
    return entry
  }
  return {
    async get(key) {
      return read(key)?.value ?? null
    },
    async set(key, value, ttlMs) {
      if (++writes % 1000 === 0) sweep()
      entries.set(key, { value, expiresAt: Date.now() + Math.max(1, ttlMs) })
    },
    async delete(key) {
      entries.delete(key)
    },
    async lock(key, ttlMs) {
      if (read(key)) return null
      const value = Symbol('lock').toString() + Math.random()
      entries.set(key, { value, expiresAt: Date.now() + Math.max(1, ttlMs) })
      return async () => {
        if (entries.get(key)?.value === value) entries.delete(key)
      }
    },
  }
}
