// The mini program host under chat switches, session renewal and hangs: the right chat, exactly once, never
// stuck. The real adapter over a scripted wx.qy, driven through the kit as an app uses it.
import { describe, expect, it } from 'vitest'
import { useChainContact, useEntry, useShareToChat } from '../../index'
import { appEvents, miniProgram, mountKit, sleep } from '../../tests/support/kit'
import { chainSingle, deferred, failure, SESSION_EXPIRED, TEXT, until } from '../../tests/support/hosts'

describe('the mini program host across activations', () => {
  it('a send that failed for the session is not retried once the chat changed during the login', async () => {
    const events = appEvents()
    const exchange = deferred()
    const mp = miniProgram({ entry: 'single_chat_tools', version: '4.1.22' }, { exchangeCode: () => exchange.promise, app: events })
    const { consumers } = mountKit({ host: mp.host }, () => ({ entry: useEntry(), share: useShareToChat() }))
    await until(() => expect(consumers[0].entry.entry.value).toBe('single_chat_tools'))
    mp.state.fail = { sendChatMessage: SESSION_EXPIRED('sendChatMessage') }
    const shared = failure(consumers[0].share.share(TEXT))
    await until(() => expect(mp.count('login')).toBe(1)) // the send failed for the session: logging in
    await until(() => expect(mp.exchangeCode).toHaveBeenCalled())
    mp.state.fail = {}
    mp.state.entry = 'group_chat_tools' // the page is shown from another chat
    events.cycle()
    exchange.resolve()
    expect((await shared)?.code).toBe('CANCELLED')
    await sleep(5)
    expect(mp.count('sendChatMessage')).toBe(1) // only the one that failed in chat A
  })

  it('a share started while another call logs in again is sent once', async () => {
    const exchange = deferred()
    const mp = miniProgram(chainSingle, { exchangeCode: () => exchange.promise })
    const { consumers } = mountKit({ host: mp.host }, () => ({ entry: useEntry(), contact: useChainContact(), share: useShareToChat() }))
    await until(() => expect(consumers[0].contact.contact.value).not.toBeNull())
    mp.state.fail = { getCurCorpGroupContact: SESSION_EXPIRED('getCurCorpGroupContact') }
    void consumers[0].contact.refresh()
    await until(() => expect(mp.exchangeCode).toHaveBeenCalled())
    mp.state.fail = {}
    const shared = consumers[0].share.share(TEXT)
    await sleep(5)
    exchange.resolve()
    await shared
    expect(mp.count('sendChatMessage')).toBe(1)
  })

  for (const step of ['checkSession', 'login', 'exchangeCode']) {
    it(`a ${step} that hangs once does not leave the activation stuck`, async () => {
      let hangExchange = step === 'exchangeCode'
      const mp = miniProgram(
        { ...chainSingle, sessionValid: step === 'checkSession', hang: step === 'exchangeCode' ? [] : [step] },
        { exchangeCode: () => (hangExchange ? new Promise(() => {}) : undefined) },
      )
      if (step === 'login') mp.state.sessionValid = false
      mp.exchangeCode.mockImplementation(async () => {
        if (hangExchange) return new Promise(() => {})
        mp.state.sessionValid = true
      })
      const { consumers } = mountKit({ host: mp.host, timeoutMs: 40 }, () => ({ contact: useChainContact(), share: useShareToChat() }))
      await until(() => expect(consumers[0].contact.error.value?.code).toBe('TIMEOUT'))
      mp.state.hang = []
      hangExchange = false
      await sleep(50)
      await consumers[0].contact.refresh()
      expect(consumers[0].contact.error.value).toBeNull()
      expect(consumers[0].contact.contact.value).toEqual(chainSingle.contact)
      await consumers[0].share.share(TEXT)
    })
  }

  it('a getSystemInfo that never answers does not hold the entry back', async () => {
    const events = appEvents()
    const mp = miniProgram({ ...chainSingle, hang: ['getSystemInfo'] }, { app: events })
    const { consumers } = mountKit({ host: mp.host, timeoutMs: 60_000 }, useEntry)
    await until(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    events.cycle()
    await until(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    expect(consumers[0].error.value).toBeNull()
  })

  it('one exchangeCode at a time per app, also when the app is shown again during it', async () => {
    const events = appEvents()
    let inFlight = 0
    let most = 0
    const exchanges: Array<{ resolve: () => void }> = []
    const mp = miniProgram({ ...chainSingle, sessionValid: false }, {
      app: events,
      exchangeCode: async () => {
        most = Math.max(most, ++inFlight)
        const exchange = deferred()
        exchanges.push(exchange)
        await exchange.promise.finally(() => inFlight--)
      },
    })
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await until(() => expect(exchanges).toHaveLength(1))
    events.cycle() // app show during the exchange
    await sleep(10)
    mp.state.sessionValid = true
    for (const exchange of [...exchanges].reverse()) exchange.resolve()
    await until(() => expect(consumers[0].contact.value).toEqual(chainSingle.contact))
    expect(most).toBe(1)
    expect(mp.exchangeCode).toHaveBeenCalledTimes(1)
  })

  it('a session failure answered for an older activation costs the new one nothing', async () => {
    const events = appEvents()
    const mp = miniProgram({ ...chainSingle, defer: ['getContext'] }, { app: events })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await until(() => expect(mp.held('getContext')).toBe(1))
    events.cycle()
    await until(() => expect(mp.held('getContext')).toBe(2))
    mp.release('getContext', SESSION_EXPIRED('getContext')) // the older activation's call
    await sleep(10)
    mp.release('getContext')
    await until(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    await sleep(10)
    expect(mp.count('login')).toBe(0)
    expect(mp.count('getContext')).toBe(2) // one per activation
  })
})
