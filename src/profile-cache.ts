import type { ChainToolbarOptions, ProfileStorage } from './types'

declare const uni: ProfileStorage | undefined

/** The storage key: one entry holds every profile, `{ v: version, e: { key: [saved at, profile] } }`. */
export const PROFILE_CACHE_KEY = 'uni-chain-toolbar:profiles'

/** Counts the clearProfileCache() calls: a cache made before the last one drops what it holds. */
let cleared = 0

const attempt = <T>(run: () => T): T | undefined => {
  try {
    return run()
  } catch {}
}
const uniStorage = () => (typeof uni != 'undefined' ? uni : undefined)

/** A profile the cards can show: an object whose name, avatar and corpName are strings where present. */
const usable = (p: any) => !!p && typeof p == 'object' && !Array.isArray(p) && ['name', 'avatar', 'corpName'].every((k) => p[k] == null || typeof p[k] == 'string')

/**
 * The resolvers' answers per contact / chat: asked once per key for the app's life, and kept in the app's
 * storage (uni's by default) so that a later launch shows a stored profile at once while the resolver is
 * asked again (stale-while-revalidate). Bounded (least recently used dropped), with a TTL and a version.
 * Storage is best effort: a failing or full storage only means nothing is shown early.
 */
export function createProfileCache(options: ChainToolbarOptions['profileCache']) {
  const { ttlMs = 6048e5, max = 200, version = 0, storage = uniStorage() } = options || {}
  const persist = options !== false && storage
  const v = String(version)
  let seen = cleared
  let memory: Map<string, Promise<unknown>>
  // The stored profiles, least recently used first (object keys keep their order).
  let entries: Record<string, [number, unknown]> | undefined

  /** What is held now, after a clearProfileCache() since the last call. */
  const held = () => {
    if (!memory || seen != cleared) {
      seen = cleared
      memory = new Map()
      const data: any = persist && attempt(() => persist.getStorageSync(PROFILE_CACHE_KEY))
      entries = data?.v === v && data.e && typeof data.e == 'object' ? data.e : {}
    }
    return entries!
  }

  return {
    /** [the stored profile of `key`, to show now (or undefined), the app life's answer (`ask` called once)]. */
    get<P>(key: string, ask: () => Promise<P>): [P | undefined, Promise<P>] {
      const stored = held()
      const hit = stored[key]
      delete stored[key]
      const fresh = hit && Date.now() - hit[0] < ttlMs && usable(hit[1])
      if (fresh) stored[key] = hit // now the most recently used
      let pending = memory.get(key) as Promise<P> | undefined
      if (!pending) {
        const mine = (pending = ask())
        const asked = cleared
        memory.set(key, mine)
        mine.then(
          (profile) => {
            if (!persist || !usable(profile) || asked != cleared) return
            delete stored[key]
            stored[key] = [Date.now(), profile]
            const keys = Object.keys(stored)
            for (let i = 0; i < keys.length - max; i++) delete stored[keys[i]]
            attempt(() => persist.setStorageSync(PROFILE_CACHE_KEY, { v, e: stored }))
          },
          () => memory.get(key) == mine && memory.delete(key),
        )
      }
      return [fresh ? (hit[1] as P) : undefined, pending]
    },
  }
}

export type ProfileCache = ReturnType<typeof createProfileCache>

/**
 * Forgets every stored profile (at sign-out, say): removes them from `storage` (default: uni's) and drops
 * what every running app holds in memory; the resolvers are asked again.
 */
export function clearProfileCache(storage: ProfileStorage | undefined = uniStorage()) {
  cleared++
  attempt(() => storage?.removeStorageSync(PROFILE_CACHE_KEY))
}
