import type { ProfileStorage } from '../types'

declare const uni: ProfileStorage

/** The storage key: `{ key: [mediaid, expiresAt] }` for content named by a path or URL. */
export const MEDIA_CACHE_KEY = 'uni-chain-toolbar:media'
/** How long WeCom keeps a media id (docs/wecom-host.md §5). */
export const MEDIA_LIFE_MS = 3 * 864e5
/** An id is reused until this long before it expires: a share that starts then still sends in time. */
export const MEDIA_REUSE_MARGIN_MS = 6 * 36e5

// uni's storage named at each call (docs/development.md, "uni's H5 APIs are bundled by name").
const uniStorage: ProfileStorage = {
  getStorageSync: (key) => uni.getStorageSync(key),
  setStorageSync: (key, value) => uni.setStorageSync(key, value),
  removeStorageSync: (key) => uni.removeStorageSync(key),
}

type Entry = [mediaid: string, expiresAt: number]

/**
 * The ids uploaded per content key, while each is valid for more than the margin: in memory, and for keys that
 * name the same content on the next launch (`persist(key)`: a path or URL, not a Blob) in storage. Storage is
 * best effort: failing or full, it only means an upload more.
 */
export function createMediaCache(storage: false | ProfileStorage = uniStorage) {
  let entries: Record<string, Entry> | undefined
  const load = () => {
    if (!entries) {
      entries = {}
      try {
        const data = storage && storage.getStorageSync(MEDIA_CACHE_KEY)
        if (data && typeof data == 'object') entries = { ...(data as Record<string, Entry>) }
      } catch {}
    }
    return entries
  }
  const save = () => {
    if (!storage) return
    const kept: Record<string, Entry> = {}
    for (const key in entries) if (key[0] != '#') kept[key] = entries[key]
    try {
      storage.setStorageSync(MEDIA_CACHE_KEY, kept)
    } catch {}
  }
  return {
    /** The id of `key` while it is valid for longer than the margin. */
    get(key: string): string | undefined {
      const hit = load()[key]
      if (Array.isArray(hit) && typeof hit[0] == 'string' && hit[1] - Date.now() > MEDIA_REUSE_MARGIN_MS) return hit[0]
    },
    set(key: string, mediaid: string, expiresAt: number) {
      const all = load()
      for (const old in all) if (!(all[old][1] > Date.now())) delete all[old]
      all[key] = [mediaid, expiresAt]
      save()
    },
    /** Forgets `key` (WeCom refused its id). */
    delete(key: string) {
      delete load()[key]
      save()
    },
  }
}

export type MediaCache = ReturnType<typeof createMediaCache>
