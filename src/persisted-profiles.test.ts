// The persisted profile cache through the kit (createChainToolbar + useChainContact / useChainChat), on
// both hosts: the real mini program adapter on a scripted wx.qy, the real @wecom/jssdk on a scripted
// bridge. A "launch" is a new app on the same uni storage: the mini program relaunched, the page reopened.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { watch } from 'vue'
import { clearProfileCache, createWebHost, useChainChat, useChainContact, type ChainToolbarOptions } from '../index'
import { PROFILE_CACHE_KEY } from './profile-cache'
import { enterWeComBrowser, WECOM_UA } from '../tests/support/scripted-bridge'
import { miniProgram, mountKit } from '../tests/support/kit'
import { createUniStorage } from '../tests/support/uni-storage'

/** vi.waitFor with room for a loaded machine (the H5 host loads the SDK module first). */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000 })

const LISI = { corpId: 'wwdown', userId: 'lisi' }
const WANGWU = { corpId: 'wwdown', userId: 'wangwu' }
const ordinaryUA = navigator.userAgent

afterEach(() => {
  Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
  delete (window as any).WeixinJSBridge
})

/** A resolver whose answers the test gives, one per call. */
function controlled<P = { name: string }>() {
  const calls: { args: unknown[]; answer: (value: P) => void; fail: (error: Error) => void }[] = []
  const fn = vi.fn((...args: unknown[]) => new Promise<P>((answer, fail) => calls.push({ args, answer, fail })))
  return { fn, calls }
}

const hosts = {
  'mini program': (script: { entry: string; contact?: typeof LISI; chatId?: string }) => miniProgram({ version: '4.1.22', ...script }).host,
  H5: (script: { entry: string; contact?: typeof LISI; chatId?: string }) => {
    vi.resetModules() // the SDK reads the user agent and the bridge when evaluated (docs/wecom-host.md §3)
    enterWeComBrowser(WECOM_UA, script)
    return createWebHost({
      corpId: 'wwupstream',
      agentId: 1000002,
      getSignature: async () => ({ timestamp: 1, nonceStr: 'n', signature: 's' }),
    })
  },
}

/** Mounts a page using useChainContact; records what the profile was when the contact first appeared. */
function launchContact(host: ChainToolbarOptions['host'], options: Omit<ChainToolbarOptions, 'host'>) {
  const seen: { profileWhenContactCame?: unknown } = {}
  const { consumers, unmount } = mountKit({ host, ...options }, () => {
    const c = useChainContact()
    // Synchronous: the first moment the contact is there, whatever renders next.
    watch(
      c.contact,
      (contact) => {
        if (contact && !('profileWhenContactCame' in seen)) seen.profileWhenContactCame = c.profile.value
      },
      { flush: 'sync' },
    )
    return c
  })
  return { c: consumers[0], seen, unmount }
}

describe.each(Object.keys(hosts) as (keyof typeof hosts)[])('persisted profiles: %s', (name) => {
  const host = hosts[name]

  it("a later launch shows the stored profile as the contact arrives, then the resolver's newer one", async () => {
    const storage = createUniStorage()
    vi.stubGlobal('uni', storage)
    const first = controlled<{ name: string }>()
    const a = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), { resolveContact: first.fn })
    await until(() => expect(first.calls).toHaveLength(1))
    expect(a.seen.profileWhenContactCame).toBeNull()
    first.calls[0].answer({ name: '李四' })
    await until(() => expect(a.c.profile.value).toEqual({ name: '李四' }))
    a.unmount()

    const second = controlled<{ name: string }>()
    const b = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), { resolveContact: second.fn })
    await until(() => expect(b.c.contact.value).toEqual(LISI))
    expect(b.seen.profileWhenContactCame).toEqual({ name: '李四' })
    // Still revalidated: the resolver is asked, and its answer replaces the stored one.
    expect(second.fn).toHaveBeenCalledWith(LISI)
    second.calls[0].answer({ name: '李四（销售部）' })
    await until(() => expect(b.c.profile.value).toEqual({ name: '李四（销售部）' }))
    b.unmount()

    const c = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), { resolveContact: controlled().fn })
    await until(() => expect(c.c.contact.value).toEqual(LISI))
    expect(c.seen.profileWhenContactCame).toEqual({ name: '李四（销售部）' })
  })

  it("never shows another contact's stored profile", async () => {
    vi.stubGlobal('uni', createUniStorage())
    const a = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), { resolveContact: async () => ({ name: '李四' }) })
    await until(() => expect(a.c.profile.value).toEqual({ name: '李四' }))
    a.unmount()
    const other = controlled<{ name: string }>()
    const b = launchContact(host({ entry: 'chain_single_chat_tools', contact: WANGWU }), { resolveContact: other.fn })
    await until(() => expect(b.c.contact.value).toEqual(WANGWU))
    expect(b.seen.profileWhenContactCame).toBeNull()
    expect(b.c.profile.value).toBeNull()
  })

  it("the group's profile too (resolveChat)", async () => {
    vi.stubGlobal('uni', createUniStorage())
    const group = { entry: 'chain_group_chat_tools', chatId: 'wrgroup' }
    const first = mountKit({ host: host(group), resolveChat: async () => ({ name: '上下游群' }) }, useChainChat)
    await until(() => expect(first.consumers[0].profile.value).toEqual({ name: '上下游群' }))
    first.unmount()
    const pending = controlled<{ name: string }>()
    const second = mountKit({ host: host(group), resolveChat: pending.fn }, useChainChat)
    await until(() => expect(second.consumers[0].chatId.value).toBe('wrgroup'))
    expect(second.consumers[0].profile.value).toEqual({ name: '上下游群' })
    expect(pending.fn).toHaveBeenCalledWith('wrgroup')
  })

  it('profileCache: false keeps profiles in memory: a later launch waits for the resolver, storage stays empty', async () => {
    const storage = createUniStorage()
    vi.stubGlobal('uni', storage)
    const a = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), {
      resolveContact: async () => ({ name: '李四' }),
      profileCache: false,
    })
    await until(() => expect(a.c.profile.value).toEqual({ name: '李四' }))
    a.unmount()
    const b = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), {
      resolveContact: controlled().fn,
      profileCache: false,
    })
    await until(() => expect(b.c.contact.value).toEqual(LISI))
    expect(b.seen.profileWhenContactCame).toBeNull()
    expect(storage.data.size).toBe(0)
  })

  it('after clearProfileCache() a later launch shows nothing stored', async () => {
    const storage = createUniStorage()
    vi.stubGlobal('uni', storage)
    const a = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), { resolveContact: async () => ({ name: '李四' }) })
    await until(() => expect(storage.data.has(PROFILE_CACHE_KEY)).toBe(true))
    a.unmount()
    clearProfileCache()
    const b = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), { resolveContact: controlled().fn })
    await until(() => expect(b.c.contact.value).toEqual(LISI))
    expect(b.seen.profileWhenContactCame).toBeNull()
  })

  it('a storage that throws changes nothing for the page', async () => {
    const storage = createUniStorage()
    storage.getStorageSync = () => {
      throw new Error('getStorageSync:fail')
    }
    storage.setStorageSync = () => {
      throw new Error('setStorageSync:fail exceed storage max size 10Mb')
    }
    vi.stubGlobal('uni', storage)
    const a = launchContact(host({ entry: 'chain_single_chat_tools', contact: LISI }), { resolveContact: async () => ({ name: '李四' }) })
    await until(() => expect(a.c.profile.value).toEqual({ name: '李四' }))
    expect(a.c.error.value).toBeNull()
    expect(a.c.profileError.value).toBeNull()
  })
})
