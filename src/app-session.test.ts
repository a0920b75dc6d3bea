// The app's own server session (the token its server gives for a login code) lives in the app's memory, while
// WeCom's mini program session outlives a launch: a cold start finds wx.qy's session valid (no login, so no
// exchangeCode) and the app with no token. A resolver its server refuses for the session (HTTP 401, as the
// README's request helper reports it) makes the kit log in once more and ask again.
import { describe, expect, it, vi } from 'vitest'
import { useChainContact } from '../index'
import { miniProgram, mountKit, sleep } from '../tests/support/kit'
import { freshPagePerTest, until, web } from '../tests/support/hosts'

const LISI = { corpId: 'wwdown', userId: 'lisi' }

/** The app's server as the README's main.ts talks to it: the token comes from exchangeCode; without it, 401. */
function appServer() {
  let token = ''
  let issued = 0
  const refused = () => Object.assign(new Error('GET /chain/wwdown/lisi: HTTP 401 SESSION_INVALID'), { code: 'SESSION_INVALID', status: 401 })
  return {
    exchangeCode: async (code: string) => {
      token = `token-${++issued}-${code}`
    },
    resolveContact: vi.fn(async () => {
      if (!token) throw refused()
      return { name: '李四' }
    }),
    expire: () => (token = ''),
    get issued() {
      return issued
    },
  }
}

describe("the app's server session (mini program)", () => {
  it('a cold start with a valid wx.qy session logs in once when the resolver is refused for the session, and shows the name', async () => {
    const server = appServer()
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: LISI }, { exchangeCode: server.exchangeCode })
    const { consumers } = mountKit({ host: mp.host, resolveContact: server.resolveContact }, useChainContact)
    await until(() => expect(consumers[0].profile.value?.name).toBe('李四'))
    expect(consumers[0].profileError.value).toBeNull()
    expect(mp.count('login')).toBe(1)
    expect(server.issued).toBe(1)
    expect(server.resolveContact).toHaveBeenCalledTimes(2)
    // The host's reads are not repeated for it: one getContext, one getter.
    expect(mp.count('getContext')).toBe(1)
    expect(mp.count('getCurCorpGroupContact')).toBe(1)
  })

  it('asks again only once: a resolver still refused after the new login shows the error, with no loop', async () => {
    const server = appServer()
    const refusing = vi.fn(async () => {
      throw Object.assign(new Error('HTTP 401'), { status: 401 })
    })
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: LISI }, { exchangeCode: server.exchangeCode })
    const { consumers } = mountKit({ host: mp.host, resolveContact: refusing }, useChainContact)
    await until(() => expect(consumers[0].profileError.value?.message).toBe('HTTP 401'))
    await sleep(20)
    expect(refusing).toHaveBeenCalledTimes(2)
    expect(mp.count('login')).toBe(1)
    expect(consumers[0].profile.value).toBeNull()
  })

  it('logs in for no other failure of the resolver (a 500, a 404, a network error)', async () => {
    for (const status of [500, 404, undefined]) {
      const resolveContact = vi.fn(async () => {
        throw Object.assign(new Error(`failed ${status}`), status ? { status } : {})
      })
      const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: LISI })
      const { consumers } = mountKit({ host: mp.host, resolveContact }, useChainContact)
      await until(() => expect(consumers[0].profileError.value?.message).toBe(`failed ${status}`))
      expect(resolveContact).toHaveBeenCalledTimes(1)
      expect(mp.count('login')).toBe(0)
    }
  })
})

describe("the app's server session (H5: signed in at load, not again mid-page)", () => {
  freshPagePerTest()
  it('shows the 401 as the profile error and asks once', async () => {
    const { host } = web({ entry: 'chain_single_chat_tools', contact: LISI })
    const resolveContact = vi.fn(async () => {
      throw Object.assign(new Error('HTTP 401'), { status: 401 })
    })
    const { consumers } = mountKit({ host, resolveContact }, useChainContact)
    await until(() => expect(consumers[0].profileError.value?.message).toBe('HTTP 401'))
    expect(resolveContact).toHaveBeenCalledTimes(1)
  })
})
