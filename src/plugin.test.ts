// createChainToolbar's options: normalised once, then passed down to the store and the host.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createWebHost, useEntry, type WeComSdk } from './index'
import { appEvents, miniProgram, mountKit, sleep } from '../tests/support/kit'
import { WECOM_UA } from '../tests/support/scripted-bridge'

const ordinaryUA = navigator.userAgent

beforeEach(() => vi.resetModules())
afterEach(() => {
  Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
  delete (window as any).WeixinJSBridge
})

describe('timeoutMs', () => {
  it("bounds a custom host's first signature by the kit's timeoutMs when the host was made without one", async () => {
    Object.defineProperty(window.navigator, 'userAgent', { value: WECOM_UA, configurable: true })
    // An SDK that asks for the signature the way @wecom/jssdk does (agentConfig before the first call), and
    // reports how that ask ended.
    let registration: Record<string, unknown> = {}
    const signatureEnded = new Promise<unknown>((resolve) => {
      const sdk: WeComSdk = {
        register: (options) => void (registration = options),
        async ensureConfigReady() {
          const sign = registration.getAgentConfigSignature as (url: string) => Promise<unknown>
          return sign(location.href.split('#')[0]).then(resolve, resolve)
        },
        getContext: async () => ({ entry: 'chain_single_chat_tools' }),
        getCurCorpGroupContact: async () => ({ corpId: 'wwcorp', userId: 'zhangsan' }),
        getCurCorpGroupChat: async () => ({ chatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA' }),
        sendChatMessage: async () => ({}),
      }
      const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getAgentConfigSignature: () => new Promise(() => {}), sdk })
      mountKit({ host, timeoutMs: 100 }, useEntry)
    })
    const started = Date.now()
    const ended = await Promise.race([signatureEnded, sleep(2000).then(() => 'still waiting after 2 s')])
    expect(ended).toMatchObject({ code: 'TIMEOUT', api: 'agentConfig', message: 'agentConfig timed out (100 ms)' })
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it("bounds a custom mini program host's first getSystemInfo by the kit's timeoutMs when the host was made without one", async () => {
    const events = appEvents()
    // miniProgram() makes its host with createMiniProgramHost({ qy, exchangeCode, app }): no timeoutMs.
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', hang: ['getSystemInfo'] }, { app: events })
    const { consumers } = mountKit({ host: mp.host, timeoutMs: 100 }, useEntry)
    await vi.waitFor(() => expect(consumers[0].entry.value).toBe('chain_single_chat_tools'))
    expect(consumers[0].clientVersion.value).toBeNull()
    mp.state.hang = []
    // Past the kit's deadline the hung ask has ended: the next activation asks again and shows the version.
    await sleep(300)
    events.cycle()
    await vi.waitFor(() => expect(consumers[0].clientVersion.value).toBe('4.1.22'), { timeout: 1000 })
    expect(mp.calls.filter((call) => call.api === 'getSystemInfo')).toHaveLength(2)
  })
})
