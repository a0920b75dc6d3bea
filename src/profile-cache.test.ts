import { afterEach, describe, expect, it, vi } from 'vitest'
import { createUniStorage } from '../tests/support/uni-storage'
import { clearProfileCache, createProfileCache, PROFILE_CACHE_KEY } from './profile-cache'

const LI = { name: '李四', corpName: '下游企业' }
const answer = <T>(value: T) => vi.fn(() => Promise.resolve(value))
/** Resolves once every promise callback queued so far has run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

/** A launch of the app: a new cache on the same storage, the first lookup of `key`. */
async function launch(options: Parameters<typeof createProfileCache>[0], key: string, fresh: unknown) {
  const cache = createProfileCache(options)
  const ask = answer(fresh)
  const [stored, pending] = cache.get(key, ask)
  await pending
  await settle()
  return { cache, stored, ask }
}

afterEach(() => vi.useRealTimers())

describe('profile cache', () => {
  it('stale-while-revalidate: a later launch gets the stored profile at once, and the resolver is still asked', async () => {
    const storage = createUniStorage()
    const first = await launch({ storage }, 'c:wwdown/lisi', LI)
    expect(first.stored).toBeUndefined()
    expect(first.ask).toHaveBeenCalledOnce()

    const renamed = { name: '李四（销售）', corpName: '下游企业' }
    const cache = createProfileCache({ storage })
    const ask = answer(renamed)
    const [stored, pending] = cache.get('c:wwdown/lisi', ask)
    expect(stored).toEqual(LI)
    expect(ask).toHaveBeenCalledOnce()
    await expect(pending).resolves.toEqual(renamed)
    await settle()
    // The next launch shows the refreshed one.
    expect((await launch({ storage }, 'c:wwdown/lisi', renamed)).stored).toEqual(renamed)
  })

  it("asks the resolver once per key for the app's life, and again after a failure", async () => {
    const cache = createProfileCache({ storage: createUniStorage() })
    const ask = answer(LI)
    await cache.get('k', ask)[1]
    await cache.get('k', ask)[1]
    expect(ask).toHaveBeenCalledOnce()

    const failing = vi.fn(() => Promise.reject(new Error('down')))
    await expect(cache.get('other', failing)[1]).rejects.toThrow('down')
    await settle()
    const ok = answer(LI)
    await expect(cache.get('other', ok)[1]).resolves.toEqual(LI)
    expect(ok).toHaveBeenCalledOnce()
  })

  it('a refresh that fails keeps the stored profile for the next launch', async () => {
    const storage = createUniStorage()
    await launch({ storage }, 'k', LI)
    const cache = createProfileCache({ storage })
    const [stored, pending] = cache.get('k', () => Promise.reject(new Error('offline')))
    expect(stored).toEqual(LI)
    await expect(pending).rejects.toThrow('offline')
    await cache.get('other', answer({ name: 'other' }))[1]
    await settle()
    expect((await launch({ storage }, 'k', LI)).stored).toEqual(LI)
  })

  it('TTL: a profile stored longer ago than ttlMs is not shown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const storage = createUniStorage()
    await launch({ storage, ttlMs: 60000 }, 'k', LI)
    vi.setSystemTime(Date.now() + 59000)
    expect((await launch({ storage, ttlMs: 60000 }, 'k', LI)).stored).toEqual(LI)
    // The refresh above stored it again: 61 s after that, it is too old.
    vi.setSystemTime(Date.now() + 61000)
    expect((await launch({ storage, ttlMs: 60000 }, 'k', LI)).stored).toBeUndefined()
  })

  it('LRU: keeps at most `max` profiles, dropping the least recently used', async () => {
    const storage = createUniStorage()
    const cache = createProfileCache({ storage, max: 3 })
    for (const id of ['a', 'b', 'c']) await cache.get(id, answer({ name: id }))[1]
    await settle()
    // A second launch uses `a` again (it becomes the most recent), then a new `d` arrives: `b` goes.
    const next = createProfileCache({ storage, max: 3 })
    expect(next.get('a', answer({ name: 'a' }))[0]).toEqual({ name: 'a' })
    await next.get('d', answer({ name: 'd' }))[1]
    await settle()
    const third = createProfileCache({ storage, max: 3 })
    const shown = (id: string) => third.get(id, answer({ name: id }))[0]
    expect(['a', 'b', 'c', 'd'].map(shown)).toEqual([{ name: 'a' }, undefined, { name: 'c' }, { name: 'd' }])
  })

  it('the default bound is a few hundred profiles, and the storage stays bounded', async () => {
    const storage = createUniStorage()
    const cache = createProfileCache({ storage })
    for (let i = 0; i < 500; i++)
      await cache.get(`c:wwdown/user${i}`, answer({ name: `用户${i}`, avatar: `https://example.com/a/${i}.png` }))[1]
    await settle()
    const kept = Object.keys((storage.getStorageSync(PROFILE_CACHE_KEY) as { e: object }).e)
    expect(kept).toHaveLength(200)
    expect(kept[199]).toBe('c:wwdown/user499')
    expect(storage.bytes()).toBeLessThan(25000)
  })

  it('version: profiles stored under another version are never shown', async () => {
    const storage = createUniStorage()
    await launch({ storage, version: 1 }, 'k', { name: 'old shape' })
    expect((await launch({ storage, version: 2 }, 'k', { title: 'new shape' })).stored).toBeUndefined()
    expect((await launch({ storage, version: 2 }, 'k', { title: 'new shape' })).stored).toEqual({ title: 'new shape' })
    expect((await launch({ storage, version: 1 }, 'k', LI)).stored).toBeUndefined()
  })

  it('shape: only objects are kept and shown (a stored string, number or null is not a profile)', async () => {
    const storage = createUniStorage()
    const now = Date.now()
    storage.setStorageSync(PROFILE_CACHE_KEY, { v: '0', e: { a: [now, 'Li'], b: [now, 42], c: [now, null], d: 'x', e: [now, LI] } })
    const cache = createProfileCache({ storage })
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => cache.get(id, answer(null))[0])).toEqual([undefined, undefined, undefined, undefined, LI])
    await launch({ storage }, 'f', '李四')
    expect(createProfileCache({ storage }).get('f', answer(null))[0]).toBeUndefined()
  })

  it('profileCache: false keeps profiles in memory only: nothing is read from or written to storage', async () => {
    const storage = createUniStorage()
    const get = vi.spyOn(storage, 'getStorageSync')
    const set = vi.spyOn(storage, 'setStorageSync')
    vi.stubGlobal('uni', storage)
    const cache = createProfileCache(false)
    const ask = answer(LI)
    expect(cache.get('k', ask)[0]).toBeUndefined()
    await cache.get('k', ask)[1]
    await settle()
    expect(ask).toHaveBeenCalledOnce()
    expect(get).not.toHaveBeenCalled()
    expect(set).not.toHaveBeenCalled()
    expect(storage.data.size).toBe(0)
  })

  it('uses uni storage by default', async () => {
    const storage = createUniStorage()
    vi.stubGlobal('uni', storage)
    await launch(undefined, 'k', LI)
    expect((await launch({}, 'k', LI)).stored).toEqual(LI)
    expect(storage.data.has(PROFILE_CACHE_KEY)).toBe(true)
  })

  it('clearProfileCache() empties the storage and every cache in memory; an answer already on its way is not stored', async () => {
    const storage = createUniStorage()
    vi.stubGlobal('uni', storage)
    const cache = createProfileCache({})
    await cache.get('k', answer(LI))[1]
    let late!: (value: unknown) => void
    const pending = cache.get('late', () => new Promise((resolve) => (late = resolve)))[1]
    await settle()
    clearProfileCache()
    expect(storage.data.has(PROFILE_CACHE_KEY)).toBe(false)
    late(LI)
    await pending
    await settle()
    expect(storage.data.has(PROFILE_CACHE_KEY)).toBe(false)
    // The same cache (the app still running) asks again and shows nothing stored.
    const ask = answer(LI)
    expect(cache.get('k', ask)[0]).toBeUndefined()
    expect(ask).toHaveBeenCalledOnce()
  })

  it('clearProfileCache(storage) clears a storage the app passed', async () => {
    const storage = createUniStorage()
    await launch({ storage }, 'k', LI)
    clearProfileCache(storage)
    expect(storage.data.size).toBe(0)
  })

  it("a failing or full storage never breaks anything: the resolver's answer still arrives", async () => {
    const broken = {
      getStorageSync: () => {
        throw new Error('getStorageSync:fail')
      },
      setStorageSync: () => {
        throw new Error('setStorageSync:fail')
      },
      removeStorageSync: () => {
        throw new Error('x')
      },
    }
    const cache = createProfileCache({ storage: broken })
    const [stored, pending] = cache.get('k', answer(LI))
    expect(stored).toBeUndefined()
    await expect(pending).resolves.toEqual(LI)
    await settle()
    expect(() => clearProfileCache(broken)).not.toThrow()

    // WeCom's storage is small (about 2.5 MB): a write past the quota is dropped, what was stored stays usable.
    const full = createUniStorage({ quotaBytes: 300 })
    await launch({ storage: full }, 'k', LI)
    await launch({ storage: full }, 'big', { name: 'x'.repeat(1000) })
    expect((await launch({ storage: full }, 'k', LI)).stored).toEqual(LI)

    for (const garbage of ['text', 42, [1, 2], { v: '0', e: 'x' }, { v: '0', e: null }, null]) {
      const odd = createUniStorage()
      odd.setStorageSync(PROFILE_CACHE_KEY, garbage)
      const [shown, fresh] = createProfileCache({ storage: odd }).get('k', answer(LI))
      expect(shown).toBeUndefined()
      await expect(fresh).resolves.toEqual(LI)
    }
  })
})
