// The activation's context read from the host: an entry that could not be read shows on the chain pieces, with
// their retry. On both real hosts (scripted wx.qy, the SDK over a scripted bridge).
import { describe, expect, it } from 'vitest'
import { useChainChat, useChainContact, type ChainHost } from '../index'
import { miniProgram, mountKit } from '../tests/support/kit'
import { chainSingle, freshPagePerTest, until, web } from '../tests/support/hosts'

freshPagePerTest()

for (const hostName of ['mini-program', 'web'] as const) {
  describe(`on the ${hostName} host`, () => {
    /** A host whose sendChatMessage and getContext answers the test releases. */
    function held(entry = 'chain_single_chat_tools', defer: string[] = []) {
      if (hostName === 'mini-program') {
        const mp = miniProgram({ ...chainSingle, entry, defer }, {})
        return {
          host: mp.host as ChainHost,
          release: (api: string, fail?: string) => mp.release(api, fail && `qy__${api}:fail ${fail}`),
          heldCount: mp.held,
          count: mp.count,
          set: (s: any) => Object.assign(mp.state, s),
        }
      }
      const w = web({ entry, defer })
      return {
        host: w.host as ChainHost,
        release: (api: string, fail?: string) => w.bridge.release(api, fail && `${api}:fail_${fail}`),
        heldCount: w.bridge.held,
        count: w.bridge.count,
        set: (s: any) => Object.assign(w.bridge.state, s),
      }
    }

    it("an entry failure shows on the chain contact and chat with a retry", async () => {
      const h = held('chain_single_chat_tools')
      h.set({ fail: { getContext: hostName === 'web' ? 'getContext:fail_no permission' : 'qy__getContext:fail no permission' } })
      const { consumers } = mountKit({ host: h.host }, () => ({ contact: useChainContact(), chat: useChainChat() }))
      await until(() => expect(consumers[0].contact.error.value?.code).toBe('NO_PERMISSION'))
      expect(consumers[0].contact.isSupported.value).toBe(true) // the card renders, with the error and its retry
      expect(consumers[0].chat.error.value?.code).toBe('NO_PERMISSION')
      expect(consumers[0].chat.isSupported.value).toBe(true)
      h.set({ fail: {} })
      await consumers[0].contact.refresh()
      expect(consumers[0].contact.error.value).toBeNull()
      expect(consumers[0].contact.contact.value).not.toBeNull()
      expect(consumers[0].chat.isSupported.value).toBe(false) // a chain single chat: no group
      expect(consumers[0].chat.error.value).toBeNull()
    })
  })
}
