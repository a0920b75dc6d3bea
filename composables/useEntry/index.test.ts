import { describe, expect, it, vi } from 'vitest'
import { createOutsideHost, createMiniProgramHost } from '../../index'
import { appEvents, miniProgram, mountKit, sleep } from '../../tests/support/kit'
import { useChainChat } from '../useChainChat'
import { useChainContact } from '../useChainContact'
import { useShareToChat } from '../useShareToChat'
import { useEntry } from '.'

describe('useEntry', () => {
  it('reads the entry and the client version from the host', async () => {
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    const e = consumers[0]
    expect(e.isWeCom.value).toBe(true)
    expect(e.isLoading.value).toBe(true)
    await vi.waitFor(() => expect(e.entry.value).toBe('chain_single_chat_tools'))
    expect(e.clientVersion.value).toBe('4.1.22')
    expect(e.isChainSingle.value).toBe(true)
    expect(e.isChainGroup.value).toBe(false)
    expect(e.isLoading.value).toBe(false)
    expect(e.error.value).toBeNull()
  })

  it('refresh() and share() are the store’s actions, so $onAction (and Pinia devtools) see them', async () => {
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } })
    const { consumers, store } = mountKit({ host: mp.host }, () => ({
      entry: useEntry(),
      contact: useChainContact(),
      chat: useChainChat(),
      share: useShareToChat(),
    }))
    const c = consumers[0]
    await vi.waitFor(() => expect(c.contact.contact.value).not.toBeNull())
    const seen: string[] = []
    store.$onAction(({ name }) => {
      seen.push(name)
    })
    await c.contact.refresh()
    await c.chat.refresh()
    await c.share.share({ msgtype: 'text', text: { content: '您好' } })
    await c.entry.refresh()
    expect(seen).toEqual(['refreshContact', 'refreshChat', 'share', 'activate'])
  })

  it('is outside WeCom at once where there is no host: no error, nothing loading, nothing called', async () => {
    for (const host of [createOutsideHost(), createMiniProgramHost({ qy: null })]) {
      const { consumers } = mountKit({ host }, useEntry)
      const e = consumers[0]
      expect(e.isWeCom.value).toBe(false)
      expect(e.isLoading.value).toBe(false)
      await sleep(10)
      expect(e.entry.value).toBeNull()
      expect(e.error.value).toBeNull()
      await expect(e.refresh()).resolves.toBeUndefined()
    }
  })

  it('picks the platform host by itself: outside WeCom in a test runner, on both platforms', async () => {
    const { consumers } = mountKit(
      {
        miniProgram: { exchangeCode: () => {} },
        web: { corpId: 'ww1', agentId: 1, getSignature: () => ({ timestamp: 1, nonceStr: 'n', signature: 's' }) },
      },
      useEntry,
    )
    expect(consumers[0].isWeCom.value).toBe(false)
    await sleep(5)
    expect(consumers[0].error.value).toBeNull()
  })

  it('carries an unknown future entry through as it is', async () => {
    const mp = miniProgram({ entry: 'chain_future_board', version: '5.0.0' })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('chain_future_board'))
    expect(consumers[0].isChainSingle.value).toBe(false)
  })

  it('calls getContext once for six consumers', async () => {
    const mp = miniProgram({ entry: 'normal', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host }, useEntry, 6)
    await vi.waitFor(() => expect(consumers.every((c) => c.entry.value === 'normal')).toBe(true))
    expect(mp.count('getContext')).toBe(1)
    expect(mp.count('checkSession')).toBe(1)
  })

  it('ends a hung getContext with TIMEOUT, not an endless isLoading', async () => {
    const mp = miniProgram({ hang: ['getContext'], version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host, timeoutMs: 30 }, useEntry)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('TIMEOUT'))
    expect(consumers[0].error.value?.api).toBe('getContext')
    expect(consumers[0].isLoading.value).toBe(false)
    expect(consumers[0].entry.value).toBeNull()
  })

  it('refresh() starts a new activation: clears the entry at once and reads again', async () => {
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    const e = consumers[0]
    await vi.waitFor(() => expect(e.entry.value).toBe('chain_single_chat_tools'))
    mp.state.entry = 'chain_group_chat_tools'
    const refreshed = e.refresh()
    expect(e.entry.value).toBeNull()
    expect(e.isLoading.value).toBe(true)
    await refreshed
    expect(e.entry.value).toBe('chain_group_chat_tools')
    expect(mp.count('getContext')).toBe(2)
    expect(mp.count('checkSession')).toBe(2) // the session is made sure of in each activation
  })

  it('drops an answer that arrives for an older activation', async () => {
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', latencyMs: 40 })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    const e = consumers[0]
    await sleep(5) // getContext #1 is in flight, answering in 40 ms with the old entry
    mp.state.latencyMs = 80
    const refreshed = e.refresh()
    mp.state.entry = 'normal'
    await sleep(60) // the old answer ('normal' now, since the script changed) arrived: it must not show
    expect(e.entry.value).toBeNull()
    await refreshed
    expect(e.entry.value).toBe('normal')
  })

  it('starts a new activation when the mini program comes back to the foreground', async () => {
    const events = appEvents()
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22' }, { app: events })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    mp.state.entry = 'chain_group_chat_tools'
    events.cycle()
    expect(consumers[0].entry.value).toBeNull()
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('chain_group_chat_tools'))
    expect(mp.count('getContext')).toBe(2)
  })

  it('takes the launch show of a mini program (a show with no hide before it) for the activation in progress', async () => {
    const events = appEvents()
    const mp = miniProgram({ entry: 'normal', version: '4.1.22' }, { app: events })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    events.show()
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('normal'))
    await sleep(10)
    expect(mp.count('getContext')).toBe(1)
  })

  it('reports a client without getContext as CLIENT_TOO_OLD without calling it', async () => {
    const mp = miniProgram({ missing: ['getContext'] })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('CLIENT_TOO_OLD'))
    expect(mp.count('getContext')).toBe(0)
  })
})
