import type { ChainToolbarOptions, ProfileStorage } from './types'

declare const uni: ProfileStorage

/** The storage key: one entry holds every profile, `{ v: version, e: { key: [saved at, profile] } }`. */
export const PROFILE_CACHE_KEY = 'uni-chain-toolbar:profiles'

/** Counts the clearProfileCache() calls: a cache made before the last one drops what it holds. */
let cleared = 0

/**
 * uni's storage, named at each call: uni's H5 build bundles only the `uni.<api>` it finds written out
 * (docs/development.md, "uni's H5 APIs are bundled by name"). Where there is no `uni` at all (tests,
 * SSR), every call throws and is caught: memory only.
 */
const uniStorage: ProfileStorage = {
  getStorageSync: (key) => uni.getStorageSync(key),
  setStorageSync: (key, value) => uni.setStorageSync(key, value),
  removeStorageSync: (key) => uni.removeStorageSync(key),
}

/**
 * Only objects are kept: the cards read name, avatar and corpName as text or not at all; other fields are
 * the app's, whose shape `version` covers.
 */
const usable = (p: unknown) => !!p && typeof p == 'object'

/**
 * The resolvers' answers per contact / chat: asked once per key for the app's life, and kept in the app's
 * storage (uni's by default) so that a later launch shows a stored profile at once while the resolver is
 * asked again (stale-while-revalidate). Bounded (least recently stored dropped), with a TTL and a version.
 * Storage is best effort: a failing or full storage only means nothing is shown early.
 */
export function createProfileCache(options: ChainToolbarOptions['profileCache']) {
  const { ttlMs = 6048e5, max = 200, version = 0, storage = uniStorage } = options || {}
  const persist = options !== false && storage
  const v = '' + version
  let seen = -1
  let memory: Map<string, Promise<unknown>>
  // The stored profiles, least recently stored first (object keys keep their order).
  let stored: Record<string, [number, unknown]>

  return {
    /** [the stored profile of `key`, to show now (or undefined), the app life's answer (`ask` called once)]. */
    get<P>(key: string, ask: () => Promise<P>): [P | undefined, Promise<P>] {
      // First use, or a clearProfileCache() since: (re)load. A failing storage reads as empty.
      if (seen != cleared) {
        seen = cleared
        memory = new Map()
        stored = {}
        try {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever an earlier launch (or version) stored
          const data: any = (persist as ProfileStorage).getStorageSync(PROFILE_CACHE_KEY)
          if (data.v === v && usable(data.e)) stored = data.e
        } catch {}
      }
      const hit = stored[key]
      const shown = hit && Date.now() - hit[0] < ttlMs && usable(hit[1])
      let pending = memory.get(key) as Promise<P> | undefined
      if (!pending) {
        const asked = cleared
        memory.set(key, (pending = ask()))
        pending.then(
          (profile) => {
            if (!persist || !usable(profile) || asked != cleared) return
            delete stored[key]
            stored[key] = [Date.now(), profile]
            // Least recently stored first: all but the last `max` go.
            for (const old of Object.keys(stored).slice(0, -max)) delete stored[old]
            try {
              persist.setStorageSync(PROFILE_CACHE_KEY, { v, e: stored })
            } catch {}
          },
          () => memory.delete(key),
        )
      }
      return [shown ? (hit[1] as P) : undefined, pending]
    },
  }
}

export type ProfileCache = ReturnType<typeof createProfileCache>

/**
 * Forgets every stored profile (at sign-out, say): removes them from `storage` (default: uni's) and drops
 * what every running app holds in memory; the resolvers are asked again.
 */
export function clearProfileCache(storage: ProfileStorage = uniStorage) {
  cleared++
  try {
    storage.removeStorageSync(PROFILE_CACHE_KEY)
  } catch {}
}
