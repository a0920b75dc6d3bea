import { describe, expect, it, vi } from 'vitest'
import { appEvents, miniProgram, mountKit, sleep } from '../../tests/support/kit'
import { useChainChat } from '.'

const chainGroup = { entry: 'chain_group_chat_tools', version: '4.1.22', chatId: 'wrOgQhDgAAAA' }

describe('useChainChat', () => {
  it("gives the chain group's chatId on chain_group_chat_tools", async () => {
    const mp = miniProgram(chainGroup)
    const { consumers } = mountKit({ host: mp.host }, useChainChat)
    await vi.waitFor(() => expect(consumers[0].chatId.value).toBe('wrOgQhDgAAAA'))
    expect(consumers[0].isSupported.value).toBe(true)
    expect(consumers[0].isLoading.value).toBe(false)
    expect(mp.order()).toEqual(['getSystemInfo', 'checkSession', 'getContext', 'getCurCorpGroupChat'])
  })

  it.each([
    ['chain_group_chat_tools', '4.0.11'],
    ['chain_single_chat_tools', '4.1.22'],
    ['group_chat_tools', '4.1.22'],
  ])('is not supported on %s with client %s, and the host is not called', async (entry, version) => {
    const mp = miniProgram({ ...chainGroup, entry, version })
    const { consumers } = mountKit({ host: mp.host }, useChainChat)
    await vi.waitFor(() => expect(mp.count('getContext')).toBe(1))
    await sleep(10)
    expect(consumers[0].isSupported.value).toBe(false)
    expect(consumers[0].chatId.value).toBeNull()
    expect(mp.count('getCurCorpGroupChat')).toBe(0)
  })

  it('is supported from exactly 4.0.12', async () => {
    const mp = miniProgram({ ...chainGroup, version: '4.0.12' })
    const { consumers } = mountKit({ host: mp.host }, useChainChat)
    await vi.waitFor(() => expect(consumers[0].chatId.value).toBe('wrOgQhDgAAAA'))
  })

  it('maps "without context of corpgroup contact" to UNSUPPORTED_ENTRY', async () => {
    const mp = miniProgram({
      ...chainGroup,
      fail: { getCurCorpGroupChat: 'qy__getCurCorpGroupChat:fail without context of corpgroup contact' },
    })
    const { consumers } = mountKit({ host: mp.host }, useChainChat)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('UNSUPPORTED_ENTRY'))
    expect(consumers[0].chatId.value).toBeNull()
  })

  it('adds the profile from resolveChat and keeps the chatId when it fails', async () => {
    const mp = miniProgram(chainGroup)
    const ok = mountKit({ host: mp.host, resolveChat: async (id) => ({ name: `Group ${id.slice(0, 4)}` }) }, useChainChat)
    await vi.waitFor(() => expect(ok.consumers[0].profile.value?.name).toBe('Group wrOg'))
    const mp2 = miniProgram(chainGroup)
    const failing = mountKit({ host: mp2.host, resolveChat: () => Promise.reject('nope') }, useChainChat)
    await vi.waitFor(() => expect(failing.consumers[0].profileError.value).toBeInstanceOf(Error))
    expect(failing.consumers[0].chatId.value).toBe('wrOgQhDgAAAA')
  })

  it('clears the chat at once on a new activation and reads the new one', async () => {
    const events = appEvents()
    const mp = miniProgram(chainGroup, { app: events })
    const { consumers } = mountKit({ host: mp.host }, useChainChat)
    await vi.waitFor(() => expect(consumers[0].chatId.value).toBe('wrOgQhDgAAAA'))
    mp.state.chatId = 'wrNEWGROUP'
    events.cycle()
    expect(consumers[0].chatId.value).toBeNull()
    await vi.waitFor(() => expect(consumers[0].chatId.value).toBe('wrNEWGROUP'))
    expect(mp.count('getCurCorpGroupChat')).toBe(2)
  })

  it('refresh() reads the chat again after an error', async () => {
    const mp = miniProgram({ ...chainGroup, hang: ['getCurCorpGroupChat'] })
    const { consumers } = mountKit({ host: mp.host, timeoutMs: 30 }, useChainChat)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('TIMEOUT'))
    mp.state.hang = []
    await consumers[0].refresh()
    expect(consumers[0].chatId.value).toBe('wrOgQhDgAAAA')
    expect(consumers[0].error.value).toBeNull()
  })
})
