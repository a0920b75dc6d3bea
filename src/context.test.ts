// The activation's context read from the host: an entry that could not be read shows on the chain pieces, with
// their retry. On both real hosts (scripted wx.qy, the SDK over a scripted bridge).
import { describe, expect, it } from 'vitest'
import { useChainChat, useChainContact } from '../index'
import { mountKit } from '../tests/support/kit'
import { freshPagePerTest, heldHost, until } from '../tests/support/hosts'

freshPagePerTest()

for (const hostName of ['mini-program', 'web'] as const) {
  describe(`on the ${hostName} host`, () => {
    const held = (entry?: string, defer?: string[]) => heldHost(hostName, entry, defer)

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
