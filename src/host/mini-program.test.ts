// The mini program host on a scripted wx.qy: promises over callbacks, the session, feature detection.
import { describe, expect, it, vi } from 'vitest'
import { ChainToolbarError, createMiniProgramHost, useChainContact, useEntry, useShareToChat } from '../../index'
import { appEvents, miniProgram, mountKit, sleep } from '../../tests/support/kit'
import { createScriptedQy } from '../../tests/support/scripted-qy'

const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } }

describe('mini program host (wx.qy)', () => {
  it('overlaps the session check with getContext when the session is valid: no login, no extra round trip', async () => {
    const mp = miniProgram({ ...chainSingle, latencyMs: 20 })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await sleep(5)
    expect(mp.order()).toEqual(['getSystemInfo', 'checkSession', 'getContext']) // both in flight together
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    expect(mp.count('login')).toBe(0)
    expect(mp.exchangeCode).not.toHaveBeenCalled()
  })

  it('reads a getContext answer that names no entry as normal, and keeps its share ticket', async () => {
    const answer =
      (res: Record<string, unknown>) =>
      ({ success }: { success: (r: unknown) => void }) =>
        setTimeout(() => success(res))
    for (const [res, context] of [
      [
        { errMsg: 'qy__getContext:ok', shareTicket: 'ticket-1' },
        { entry: 'normal', shareTicket: 'ticket-1' },
      ],
      [
        { errMsg: 'qy__getContext:ok', entry: 'group_chat_tools', shareTicket: 'ticket-2' },
        { entry: 'group_chat_tools', shareTicket: 'ticket-2' },
      ],
      [{ errMsg: 'qy__getContext:ok', entry: 'single_chat_tools' }, { entry: 'single_chat_tools' }],
    ] as const) {
      const qy = { checkSession: answer({ errMsg: 'checkSession:ok' }), getContext: answer(res) }
      const host = createMiniProgramHost({ qy, exchangeCode: async () => {}, app: null })
      await expect(host.getContext()).resolves.toEqual(context)
    }
  })

  it('logs in when the session expired, hands the code to exchangeCode, and asks again: the raced answer does not count', async () => {
    let serverHasSession = false
    const mp = miniProgram(
      { ...chainSingle, sessionValid: false },
      {
        exchangeCode: async () => {
          serverHasSession = true
          mp.state.sessionValid = true // the app server's jscode2session made the session valid
        },
      },
    )
    const { consumers } = mountKit({ host: mp.host }, useChainContact)
    await vi.waitFor(() => expect(consumers[0].contact.value?.userId).toBe('lisi'))
    expect(serverHasSession).toBe(true)
    expect(mp.exchangeCode).toHaveBeenCalledTimes(1)
    expect(mp.exchangeCode).toHaveBeenCalledWith('code-1') // the code wx.qy.login gave
    expect(mp.order()).toEqual(['getSystemInfo', 'checkSession', 'getContext', 'login', 'getContext', 'getCurCorpGroupContact'])
    expect(consumers[0].error.value).toBeNull()
  })

  it('retries once after a new login when a call fails for the session (checkSession said valid)', async () => {
    const mp = miniProgram(chainSingle)
    mp.state.fail = { getContext: 'qy__getContext:fail session_key expired' }
    mp.exchangeCode.mockImplementation(async () => {
      mp.state.fail = {}
    })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    expect(mp.order()).toEqual(['getSystemInfo', 'checkSession', 'getContext', 'login', 'getContext'])
  })

  it('gives LOGIN_FAILED when the app server refuses the code, and nothing is shown', async () => {
    const mp = miniProgram(
      { ...chainSingle, sessionValid: false },
      {
        exchangeCode: async () => {
          throw new Error('40029 invalid code')
        },
      },
    )
    const { consumers } = mountKit({ host: mp.host }, () => ({ entry: useEntry(), contact: useChainContact() }))
    await vi.waitFor(() => expect(consumers[0].entry.error.value?.code).toBe('LOGIN_FAILED'))
    expect(consumers[0].entry.entry.value).toBeNull()
    expect(consumers[0].contact.contact.value).toBeNull()
    expect((consumers[0].entry.error.value?.raw as Error).message).toBe('40029 invalid code')
  })

  it('gives LOGIN_FAILED for a failing wx.qy.login (qy__login:fail:invalid suiteId)', async () => {
    const mp = miniProgram({ ...chainSingle, sessionValid: false, fail: { login: 'qy__login:fail:invalid suiteId' } })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].error.value?.code).toBe('LOGIN_FAILED'))
    expect(consumers[0].error.value?.api).toBe('login')
    expect(mp.exchangeCode).not.toHaveBeenCalled()
  })

  it('makes sure of the session again in the next activation', async () => {
    const events = appEvents()
    const mp = miniProgram(chainSingle, { app: events })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].entry.value).not.toBeNull())
    mp.state.sessionValid = false
    mp.exchangeCode.mockImplementation(async () => {
      mp.state.sessionValid = true
    })
    events.cycle()
    await vi.waitFor(() => expect(consumers[0].entry.value).not.toBeNull())
    expect(mp.count('checkSession')).toBe(2)
    expect(mp.count('login')).toBe(1)
  })

  it('reads the WeCom version from wx.qy.getSystemInfo (not wx.getSystemInfo)', async () => {
    const mp = miniProgram({ ...chainSingle, version: '4.0.12' })
    const { consumers } = mountKit({ host: mp.host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].clientVersion.value).toBe('4.0.12'))
  })

  it('treats a success callback whose errMsg is not ":ok" as a failure', async () => {
    const qy = {
      getContext: ({ success }: any) => setTimeout(() => success({ errMsg: 'qy__getContext:fail no permission' })),
      checkSession: ({ success }: any) => setTimeout(() => success({ errMsg: 'qy__checkSession:ok' })),
    }
    const host = createMiniProgramHost({ qy, exchangeCode: () => {}, app: null })
    await expect(host.getContext()).rejects.toMatchObject({ code: 'NO_PERMISSION', api: 'getContext' })
  })

  it('turns a function that throws "is not a function" into CLIENT_TOO_OLD', async () => {
    const qy = {
      checkSession: ({ success }: any) => setTimeout(() => success({ errMsg: 'checkSession:ok' })),
      sendChatMessage: () => {
        throw new TypeError('wx.qy.sendChatMessage is not a function')
      },
    }
    const host = createMiniProgramHost({ qy, exchangeCode: () => {}, app: null })
    const error = await host.sendChatMessage({ msgtype: 'text', text: { content: 'x' } }).catch((e) => e)
    expect(error).toBeInstanceOf(ChainToolbarError)
    expect(error.code).toBe('CLIENT_TOO_OLD')
  })

  it('reads the global wx.qy when the host is created, and is outside WeCom without it', () => {
    const sim = createScriptedQy(chainSingle)
    vi.stubGlobal('wx', { qy: sim.qy })
    expect(createMiniProgramHost({ exchangeCode: () => {} }).isWeCom).toBe(true)
    vi.stubGlobal('wx', {})
    expect(createMiniProgramHost({ exchangeCode: () => {} }).isWeCom).toBe(false)
  })

  it('listens to wx.onAppShow by default, and stops listening when the app unmounts', async () => {
    const events = appEvents()
    const sim = createScriptedQy(chainSingle)
    vi.stubGlobal('wx', { qy: sim.qy, onAppShow: events.onAppShow, offAppShow: events.offAppShow, onAppHide: events.onAppHide })
    const host = createMiniProgramHost({ exchangeCode: () => {} })
    const mounted = mountKit({ host }, useEntry)
    await vi.waitFor(() => expect(mounted.consumers[0].entry.value).toBe('chain_single_chat_tools'))
    expect(events.listeners).toBe(1)
    events.cycle()
    await vi.waitFor(() => expect(sim.count('getContext')).toBe(2))
    mounted.unmount()
    expect(events.listeners).toBe(0)
  })

  it('passes enterChat and the body through to wx.qy.sendChatMessage', async () => {
    const mp = miniProgram(chainSingle)
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    await consumers[0].share({ msgtype: 'file', file: { mediaid: 'M1' }, enterChat: true })
    expect(mp.calls.find((c) => c.api === 'sendChatMessage')?.params).toEqual({ msgtype: 'file', file: { mediaid: 'M1' }, enterChat: true })
  })
})
