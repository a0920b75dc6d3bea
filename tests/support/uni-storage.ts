// A double for uni's synchronous storage (uni.getStorageSync / setStorageSync / removeStorageSync), the one
// part of the `uni` global the profile cache uses. Values are copied through JSON as uni's H5 storage does
// (localStorage) and the mini program's native storage does for plain data; a missing key reads as ''.
// `quotaBytes` makes a write that would pass it throw, as WeCom's storage does when full.
export interface UniStorageDouble {
  data: Map<string, string>
  getStorageSync(key: string): unknown
  setStorageSync(key: string, value: unknown): void
  removeStorageSync(key: string): void
  /** Total bytes stored (keys + JSON values). */
  bytes(): number
}

export function createUniStorage(options: { quotaBytes?: number } = {}): UniStorageDouble {
  const data = new Map<string, string>()
  const bytes = () => [...data].reduce((n, [key, text]) => n + key.length + text.length, 0)
  return {
    data,
    bytes,
    getStorageSync: (key) => (data.has(key) ? JSON.parse(data.get(key)!) : ''),
    setStorageSync(key, value) {
      const text = JSON.stringify(value)
      const before = data.get(key)
      const next = bytes() - (before === undefined ? 0 : key.length + before.length) + key.length + text.length
      if (options.quotaBytes !== undefined && next > options.quotaBytes) throw new Error('setStorageSync:fail exceed storage max size 10Mb')
      data.set(key, text)
    },
    removeStorageSync: (key) => void data.delete(key),
  }
}
