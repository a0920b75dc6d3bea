// The store: its state cannot be restored or written from outside the kit, and it exists only where the kit
// was installed.
import { createApp, defineComponent } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createChainToolbar, useChainChat, useChainContact, useChainToolbarStore, useEntry, useShareToChat } from '../index'
import { miniProgram, mountKit, thrownIn } from '../tests/support/kit'
import { chainSingle, until } from '../tests/support/hosts'

describe('the store', () => {
  it("a persisted or hydrated state does not show the last launch's context, and $patch cannot fake an entry", async () => {
    const mp = miniProgram({ entry: 'normal', version: '4.1.22', defer: ['getContext'] })
    const consumers: Array<{
      contact: ReturnType<typeof useChainContact>
      chat: ReturnType<typeof useChainChat>
      share: ReturnType<typeof useShareToChat>
      entry: ReturnType<typeof useEntry>
    }> = []
    const app = createApp(defineComponent({
      setup() {
        consumers.push({ contact: useChainContact(), chat: useChainChat(), share: useShareToChat(), entry: useEntry() })
        return () => null
      },
    }))
    const pinia = createPinia()
    // What SSR hydration or a persisted-state plugin restores before the store is made.
    pinia.state.value['chain-toolbar'] = {
      entry: 'chain_single_chat_tools',
      contact: { corpId: 'wwold', userId: 'old' },
      chatId: 'wrold',
      clientVersion: '4.1.22',
    }
    app.use(pinia).use(createChainToolbar({ host: mp.host })).mount(document.createElement('div'))
    const [c] = consumers
    expect(c.entry.entry.value).toBeNull()
    expect(c.contact.contact.value).toBeNull()
    expect(c.contact.isSupported.value).toBe(false)
    expect(c.chat.chatId.value).toBeNull()
    expect(c.share.isSupported.value).toBe(false)
    await until(() => expect(mp.held('getContext')).toBe(1))
    mp.release('getContext')
    await until(() => expect(c.entry.entry.value).toBe('normal'))
    const store = useChainToolbarStore(pinia)
    store.$patch({ entry: 'chain_single_chat_tools', contact: { corpId: 'wwfake', userId: 'fake' } } as any)
    store.$state = { entry: 'chain_group_chat_tools', chatId: 'wrfake' } as any
    expect(c.entry.entry.value).toBe('normal')
    expect(c.contact.contact.value).toBeNull()
    expect(c.chat.chatId.value).toBeNull()
    expect(c.share.isSupported.value).toBe(false)
    app.unmount()
  })

  it('a Pinia the kit was never installed on, or an app without the plugin, throws instead of borrowing a host', async () => {
    const mp = miniProgram(chainSingle)
    mountKit({ host: mp.host }, useEntry) // another app has the kit
    const bare = createPinia()
    setActivePinia(bare)
    expect(() => useChainToolbarStore(bare)).toThrow('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
    expect(() => useChainToolbarStore(bare)).toThrow('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
    expect(String(thrownIn(useEntry))).toContain('app.use(createChainToolbar()) is missing')
  })
})
