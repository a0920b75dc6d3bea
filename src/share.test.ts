// Sharing into the activation's chat: checked before any host call, never into the next chat, its error
// belonging to the activation it happened in. On both real hosts (scripted wx.qy, the SDK over a scripted bridge).
import { describe, expect, it } from 'vitest'
import { useEntry, useShareToChat, type ChainToolbarError } from '../index'
import { miniProgram, mountKit, sleep } from '../tests/support/kit'
import { failure, freshPagePerTest, heldHost, TEXT, until } from '../tests/support/hosts'

freshPagePerTest()

for (const hostName of ['mini-program', 'web'] as const) {
  describe(`on the ${hostName} host`, () => {
    const held = (entry?: string, defer?: string[]) => heldHost(hostName, entry, defer)

    it('a share from chat A that fails after the switch does not show its error in chat B', async () => {
      const h = held('single_chat_tools', ['sendChatMessage'])
      const { consumers } = mountKit({ host: h.host }, () => ({ entry: useEntry(), share: useShareToChat() }))
      await until(() => expect(consumers[0].entry.entry.value).toBe('single_chat_tools'))
      const shared = failure(consumers[0].share.share(TEXT))
      await until(() => expect(h.heldCount('sendChatMessage')).toBe(1))
      await consumers[0].entry.refresh() // chat B
      h.release('sendChatMessage', 'no permission')
      expect((await shared)?.code).toBeTruthy()
      await sleep(5)
      expect(consumers[0].share.error.value).toBeNull()
    })

    it("a share started while the old activation's getContext is pending follows the new activation at once", async () => {
      const h = held('single_chat_tools', ['getContext'])
      const { consumers } = mountKit({ host: h.host, timeoutMs: 60_000 }, () => ({ entry: useEntry(), share: useShareToChat() }))
      await until(() => expect(h.heldCount('getContext')).toBe(1))
      const shared = failure(consumers[0].share.share(TEXT))
      void consumers[0].entry.refresh()
      const error = await Promise.race([shared, sleep(1000).then(() => 'still waiting')])
      expect((error as ChainToolbarError)?.code).toBe('CANCELLED')
      expect(h.count('sendChatMessage')).toBe(0)
    })
  })
}

describe('a share', () => {
  it('a message whose getter throws during validation is INVALID_MESSAGE, and nothing is sent', async () => {
    const mp = miniProgram({ entry: 'single_chat_tools', version: '4.1.22' })
    const { consumers } = mountKit({ host: mp.host }, useShareToChat)
    const message = {
      msgtype: 'text',
      get text(): { content: string } {
        throw new Error('boom')
      },
    }
    const error = await failure(consumers[0].share(message as any))
    expect(error?.code).toBe('INVALID_MESSAGE')
    expect(error?.api).toBeUndefined()
    expect(mp.count('sendChatMessage')).toBe(0)
  })
})
