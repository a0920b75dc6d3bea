import { createPinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h, nextTick, ref } from 'vue'
import { createChainToolbar, createOutsideHost } from '../../index'
import { appEvents, miniProgram, mountKit, sleep } from '../../tests/support/kit'
import { useEntry } from '../useEntry'
import { useChainContact } from '.'

const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } }

describe('useChainContact', () => {
  it('gives the chain contact on chain_single_chat_tools', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    const c = consumers[0]
    expect(c.isLoading.value).toBe(true)
    await vi.waitFor(() => expect(c.contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' }))
    expect(c.isSupported.value).toBe(true)
    expect(c.isLoading.value).toBe(false)
    expect(c.error.value).toBeNull()
    expect(c.profile.value).toBeNull()
  })

  it('hands out readonly refs: what one consumer writes changes nothing, for it or any other', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useChainContact, 2)
    await vi.waitFor(() => expect(consumers[1].contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' }))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      ;(consumers[0].contact as { value: unknown }).value = { corpId: 'wwother', userId: 'mallory' }
      ;(consumers[0].isSupported as { value: unknown }).value = false
    } finally {
      warn.mockRestore()
    }
    for (const c of consumers) {
      expect(c.contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' })
      expect(c.isSupported.value).toBe(true)
    }
  })

  it('checks the session before the contact counts: checkSession, getContext, then getCurCorpGroupContact', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].contact.value).not.toBeNull())
    expect(mp.order()).toEqual(['getSystemInfo', 'checkSession', 'getContext', 'getCurCorpGroupContact'])
  })

  it.each([
    ['chain_group_chat_tools', '4.1.22'],
    ['single_chat_tools', '4.1.22'],
    ['normal', '4.1.22'],
    ['chain_single_chat_tools', '4.0.7'],
  ])('is not supported on %s with client %s, and the host is not called', async (entry, version) => {
    const mp = miniProgram({ entry, version })
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await vi.waitFor(() => expect(mp.count('getContext')).toBe(1))
    await sleep(10)
    expect(consumers[0].isSupported.value).toBe(false)
    expect(consumers[0].contact.value).toBeNull()
    expect(consumers[0].isLoading.value).toBe(false)
    expect(consumers[0].error.value).toBeNull()
    expect(mp.count('getCurCorpGroupContact')).toBe(0)
  })

  it('is supported from exactly 4.0.8', async () => {
    const mp = miniProgram({ ...chainSingle, version: '4.0.8' })
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].contact.value?.userId).toBe('lisi'))
  })

  it('falls back to feature detection when the client version is unknown', async () => {
    const known = miniProgram({ ...chainSingle, version: null })
    const a = mountKit({ host: known.host }, useChainContact)
    await vi.waitFor(() => expect(a.consumers[0].contact.value?.userId).toBe('lisi'))

    // An old client lacks the function: "wx.qy.getCurCorpGroupContact is not a function" (docs/wecom-host.md §2).
    const old = miniProgram({ ...chainSingle, version: null, missing: ['getCurCorpGroupContact'] })
    const b = mountKit({ host: old.host }, useChainContact)
    await vi.waitFor(() => expect(old.count('getContext')).toBe(1))
    await sleep(10)
    expect(b.consumers[0].isSupported.value).toBe(false)
    expect(b.consumers[0].contact.value).toBeNull()
  })

  it('calls each API once for six consumers of every composable', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, () => ({ entry: useEntry(), contact: useChainContact() }), 6)
    await vi.waitFor(() => expect(consumers.every((c) => c.contact.contact.value?.userId === 'lisi')).toBe(true))
    expect(mp.count('getContext')).toBe(1)
    expect(mp.count('getCurCorpGroupContact')).toBe(1)
  })

  it.each([
    ['qy__getCurCorpGroupContact:fail no permission', 'NO_PERMISSION'],
    ['qy__getCurCorpGroupContact:fail only support chain group chat tools entry', 'UNSUPPORTED_ENTRY'],
    ['qy__getCurCorpGroupContact:fail function not exist', 'CLIENT_TOO_OLD'],
    ['qy__getCurCorpGroupContact:fail not in allow list', 'NO_PERMISSION'],
    ['qy__getCurCorpGroupContact:fail something new', 'HOST_ERROR'],
  ])('maps "%s" to %s, with the api and the raw answer', async (text, code) => {
    const mp = miniProgram({ ...chainSingle, fail: { getCurCorpGroupContact: text } })
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe(code))
    expect(consumers[0].error.value?.api).toBe('getCurCorpGroupContact')
    expect(consumers[0].error.value?.raw).toEqual({ errMsg: text })
    expect(consumers[0].contact.value).toBeNull()
    expect(consumers[0].isLoading.value).toBe(false)
  })

  it('refresh() after an error reads the contact again', async () => {
    const mp = miniProgram({ ...chainSingle, fail: { getCurCorpGroupContact: 'qy__getCurCorpGroupContact:fail system busy' } })
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('HOST_ERROR'))
    mp.state.fail = {}
    await consumers[0].refresh()
    expect(consumers[0].error.value).toBeNull()
    expect(consumers[0].contact.value?.userId).toBe('lisi')
    expect(mp.count('getCurCorpGroupContact')).toBe(2)
    expect(mp.count('getContext')).toBe(1)
  })

  it('ends a hung contact call with TIMEOUT', async () => {
    const mp = miniProgram({ ...chainSingle, hang: ['getCurCorpGroupContact'] })
    const { consumers } = mountKit({ host: mp.host, timeoutMs: 30 }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('TIMEOUT'))
    expect(consumers[0].isLoading.value).toBe(false)
  })

  it('adds the profile from resolveContact, cached per contact for the app life', async () => {
    const events = appEvents()
    const mp = miniProgram(chainSingle, { app: events })
    const resolveContact = vi.fn(async (c: { corpId: string; userId: string }) => ({
      name: `Name of ${c.userId}`,
      corpName: 'Downstream Ltd',
    }))
    const { consumers } = mountKit({ host: mp.host, resolveContact }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].profile.value?.name).toBe('Name of lisi'))
    expect(resolveContact).toHaveBeenCalledWith({ corpId: 'wwdown', userId: 'lisi' })
    events.cycle()
    expect(consumers[0].profile.value).toBeNull()
    await vi.waitFor(() => expect(consumers[0].profile.value?.name).toBe('Name of lisi'))
    expect(mp.count('getCurCorpGroupContact')).toBe(2)
    expect(resolveContact).toHaveBeenCalledTimes(1)
  })

  it('keeps the contact when the resolver fails, and reports profileError', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit(
      {
        host: mp.host,
        resolveContact: async () => {
          throw new Error('profile service down')
        },
      },
      useChainContact,
    )
    await vi.waitFor(() => expect(consumers[0].profileError.value?.message).toBe('profile service down'))
    expect(consumers[0].contact.value).toEqual({ corpId: 'wwdown', userId: 'lisi' })
    expect(consumers[0].error.value).toBeNull()
  })

  it('never shows the previous chat’s contact after the app comes back with another chat', async () => {
    const events = appEvents()
    const mp = miniProgram(chainSingle, { app: events })
    const seen: Array<string | null> = []
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].contact.value?.userId).toBe('lisi'))
    mp.state.contact = { corpId: 'wwother', userId: 'wangwu' }
    mp.state.latencyMs = 15
    events.cycle()
    const sample = setInterval(() => seen.push(consumers[0].contact.value?.userId ?? null), 1)
    await vi.waitFor(() => expect(consumers[0].contact.value?.userId).toBe('wangwu'))
    clearInterval(sample)
    expect(seen).not.toContain('lisi')
  })

  it('keeps every other consumer current when the first one unmounts', async () => {
    const events = appEvents()
    const mp = miniProgram(chainSingle, { app: events })
    const first = ref(true)
    const views: Record<string, ReturnType<typeof useChainContact>> = {}
    const Consumer = defineComponent({
      props: { name: { type: String, required: true } },
      setup: (props) => ((views[props.name] = useChainContact()), () => null),
    })
    const page = () => [first.value ? h(Consumer, { name: 'a' }) : null, h(Consumer, { name: 'b' })]
    const app = createApp(defineComponent({ setup: () => page }))
    app.use(createPinia()).use(createChainToolbar({ host: mp.host }))
    app.mount(document.createElement('div'))
    try {
      await vi.waitFor(() => expect(views.b.contact.value?.userId).toBe('lisi'))
      first.value = false
      await nextTick()
      mp.state.contact = { corpId: 'wwother', userId: 'wangwu' }
      events.cycle()
      await vi.waitFor(() => expect(views.b.contact.value?.userId).toBe('wangwu'))
      expect(views.b.isLoading.value).toBe(false)
    } finally {
      app.unmount()
    }
  })

  it('is quiet outside WeCom', async () => {
    const { consumers } = mountKit({ host: createOutsideHost() }, useChainContact)
    expect(consumers[0].isSupported.value).toBe(false)
    expect(consumers[0].isLoading.value).toBe(false)
    await sleep(5)
    expect(consumers[0].error.value).toBeNull()
    expect(consumers[0].contact.value).toBeNull()
  })
})
