// The web host when the SDK signs again or the signature hangs: the right chat, never stuck. The real
// @wecom/jssdk over a scripted WeixinJSBridge, driven through the kit as an app uses it.
import { describe, expect, it } from 'vitest'
import { useChainContact, useEntry, useShareToChat } from '../../index'
import { mountKit, sleep } from '../../tests/support/kit'
import { deferred, failure, freshPagePerTest, SIGNATURE, TEXT, until, web } from '../../tests/support/hosts'

freshPagePerTest()

describe('the web host across activations', () => {
  it('a send held by the SDK for a new agentConfig (route change) is not sent once the chat changed', async () => {
    const { bridge, host, getSignature } = web({ entry: 'single_chat_tools' })
    const { consumers } = mountKit({ host }, () => ({ entry: useEntry(), share: useShareToChat() }))
    await until(() => expect(consumers[0].entry.entry.value).toBe('single_chat_tools'))
    history.pushState(null, '', '/pages/other') // the SDK signs again for the new URL
    const signed = deferred<typeof SIGNATURE>()
    getSignature.mockImplementationOnce(() => signed.promise)
    const shared = failure(consumers[0].share.share(TEXT))
    await until(() => expect(getSignature).toHaveBeenCalledTimes(2))
    void consumers[0].entry.refresh() // a new activation: the page shown from another chat
    signed.resolve(SIGNATURE)
    expect((await shared)?.code).toBe('CANCELLED')
    await sleep(10)
    expect(bridge.count('sendChatMessage')).toBe(0)
  })

  it('a getSignature that hangs once does not leave the page stuck', async () => {
    const hung = new Promise<never>(() => {})
    const { host, getSignature } = web({ entry: 'chain_single_chat_tools' }, { timeoutMs: 300 })
    getSignature.mockImplementationOnce(() => hung)
    const { consumers } = mountKit({ host, timeoutMs: 300 }, () => ({ entry: useEntry(), contact: useChainContact() }))
    await until(() => expect(consumers[0].contact.error.value?.code).toBe('TIMEOUT'))
    // Past the deadline: the hung signature has ended, so the SDK signs again.
    await sleep(350)
    await consumers[0].contact.refresh()
    expect(consumers[0].contact.error.value).toBeNull()
    expect(consumers[0].contact.contact.value).toEqual({ corpId: 'wwcorp', userId: 'zhangsan' })
  })
})
