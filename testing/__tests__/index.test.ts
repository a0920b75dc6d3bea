// uni-chain-toolbar/testing under vitest + happy-dom, with uni's conditional compilation applied (the
// consumer app's own test runs it without). jsdom.test.ts runs the example under jsdom.
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createApp, defineComponent, h } from 'vue'
import { defineStore } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useChainContact, useChainToolbarStore, useEntry } from '../../index'
import { createTestingChainToolbar } from '../index'
import { resolveContact, runExample } from './example'
import QuotePage from './QuotePage.vue'

const ordinaryUA = navigator.userAgent
const globalsUntouched = () => {
  expect('wx' in globalThis).toBe(false)
  expect('WeixinJSBridge' in window).toBe(false)
  expect(navigator.userAgent).toBe(ordinaryUA)
  expect(Object.getOwnPropertyDescriptor(document, 'visibilityState')).toBeUndefined()
  expect(Object.getOwnPropertyDescriptor(document, 'hidden')).toBeUndefined()
}
afterEach(globalsUntouched)

describe.each(['mini-program', 'web'] as const)('createTestingChainToolbar({ host: %j })', (host) => {
  it('runs a page test as an app writes it: contact card, another chat, a message sent', async () => {
    globalsUntouched()
    const { kit } = await runExample(host)
    const apis = kit.log.map((call) => call.api)
    if (host === 'web') {
      // The real @wecom/jssdk: agentConfig before the first API, through the simulated bridge.
      expect(apis[0]).toBe('agentConfig')
      expect(kit.log.every((call) => call.form === 'bridge')).toBe(true)
    } else {
      expect(apis).toContain('checkSession')
      expect(kit.log.every((call) => call.form === 'qy')).toBe(true)
    }
    expect(apis.filter((api) => api === 'getContext')).toHaveLength(2) // one per activation
  })

  it('answers with zero latency by default, and flush() still waits for a slow client and slow resolvers', async () => {
    const slowResolver = vi.fn(async (contact: { userId: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 60))
      return { name: `慢 ${contact.userId}` }
    })
    const kit = createTestingChainToolbar({ host, resolveContact: slowResolver })
    expect(kit.client.scenario.latencyMs).toBe(0)
    kit.set({ latencyMs: 40 })
    const wrapper = mount(QuotePage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(kit.log.every((call) => call.status === 'ok')).toBe(true)
    expect(slowResolver).toHaveBeenCalledTimes(1)
    expect(wrapper.text()).toContain('慢 ZhangWei')
  })

  it('scripts failures with set(), and a hung API is cut by the kit’s deadline inside flush()', async () => {
    const kit = createTestingChainToolbar({ host, timeoutMs: 400, scenario: { fail: { sendChatMessage: 'noPermission' } } })
    const wrapper = mount(QuotePage, { global: { plugins: [kit] } })
    await kit.flush()
    await wrapper.find('.send').trigger('click')
    await kit.flush()
    expect(kit.log.at(-1)).toMatchObject({ api: 'sendChatMessage', status: 'fail' })
    expect(wrapper.find('.status').text()).toBe('NO_PERMISSION')

    kit.set({ fail: {}, hang: ['sendChatMessage'] })
    await wrapper.find('.send').trigger('click')
    await kit.flush()
    expect(kit.log.at(-1)).toMatchObject({ api: 'sendChatMessage', status: 'hung' })
    expect(wrapper.find('.status').text()).toBe('TIMEOUT')
  })

  it('shows the fallback outside the chain chats', async () => {
    const kit = createTestingChainToolbar({ host, scenario: { entry: 'single_chat_tools' } })
    const wrapper = mount(QuotePage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(wrapper.find('.fallback').exists()).toBe(true)
    expect(wrapper.find('.uct-contact-card').exists()).toBe(false)
  })

  it('keeps one kit from the next: two kits in sequence with different scenarios', async () => {
    const firstResolver = vi.fn(resolveContact)
    const scenario = { contact: { corpId: 'wwA', userId: 'ZhangWei' } }
    const first = createTestingChainToolbar({ host, resolveContact: firstResolver, scenario })
    const a = mount(QuotePage, { global: { plugins: [first] } })
    await first.flush()
    expect(a.text()).toContain('张伟')
    const firstCalls = first.log.length
    a.unmount()

    const secondResolver = vi.fn(async () => ({ name: '李娜' }))
    const second = createTestingChainToolbar({
      host,
      resolveContact: secondResolver,
      scenario: { contact: { corpId: 'wwA', userId: 'ZhangWei' }, fail: { getCurCorpGroupContact: 'noPermission' } },
    })
    const b = mount(QuotePage, { global: { plugins: [second] } })
    await second.flush()
    // Same contact id, but the second client refuses it: nothing of the first kit (value, profile cache) shows.
    expect(b.text()).not.toContain('张伟')
    expect(b.find('.uct-card--error').exists()).toBe(true)
    expect(secondResolver).not.toHaveBeenCalled()
    expect(first.log).toHaveLength(firstCalls) // the first client saw nothing of the second page
    second.set({ fail: {} })
    await b.find('.uct-card__retry').trigger('click')
    await second.flush()
    expect(b.text()).toContain('李娜') // its own resolver, not the first kit's cached profile
    if (host === 'web') expect(second.log[0].api).toBe('agentConfig') // a fresh SDK: registers again
  })

  it('works beside createTestingPinia() with its default stubActions: the app’s actions are stubbed, the kit’s run', async () => {
    const useCart = defineStore('cart', { state: () => ({ items: 0 }), actions: { add() { this.items++ } } })
    const Page = defineComponent({
      setup() {
        const cart = useCart()
        cart.add()
        return { cart }
      },
      render: () => h(QuotePage),
    })
    const kit = createTestingChainToolbar({ host, resolveContact })
    const pinia = createTestingPinia({ createSpy: vi.fn })
    const wrapper = mount(Page, { global: { plugins: [pinia, kit] } })
    await kit.flush()
    const cart = useCart(pinia)
    expect(cart.add).toHaveBeenCalledTimes(1)
    expect(cart.items).toBe(0) // the app's own action: stubbed, as createTestingPinia promises
    expect(wrapper.text()).toContain('张伟') // the kit's store is not stubbed away
    await wrapper.find('.send').trigger('click')
    await kit.flush()
    expect(kit.log.at(-1)).toMatchObject({ api: 'sendChatMessage', status: 'ok' })
    const store = useChainToolbarStore(pinia)
    expect(store.share).toHaveBeenCalledTimes(1) // still a spy: calls can be asserted
  })
})

describe('createTestingChainToolbar', () => {
  it('installs Pinia when the app has none, the four components under their easycom names, and no second Pinia', () => {
    const app = createApp({ render: () => null })
    app.use(createTestingChainToolbar())
    expect(app.config.globalProperties.$pinia).toBeTruthy()
    for (const name of ['chain-contact-card', 'chain-group-card', 'share-to-chat-button', 'chain-entry-gate', 'ChainContactCard']) {
      expect(app.component(name), name).toBeTruthy()
    }
    const pinia = createTestingPinia({ createSpy: vi.fn })
    const other = createApp({ render: () => null })
    other.use(pinia)
    other.use(createTestingChainToolbar())
    expect(other.config.globalProperties.$pinia).toBe(pinia)
  })

  it('runs composables in a page without components', async () => {
    const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools', contact: { corpId: 'wwB', userId: 'lisi' } } })
    let seen: { entry: ReturnType<typeof useEntry>; contact: ReturnType<typeof useChainContact> } | undefined
    const Page = defineComponent({ setup: () => ((seen = { entry: useEntry(), contact: useChainContact() }), () => null) })
    mount(Page, { global: { plugins: [kit] } })
    await kit.flush()
    expect(seen!.entry.entry.value).toBe('chain_single_chat_tools')
    expect(seen!.entry.clientVersion.value).toBe('4.1.22')
    expect(seen!.contact.contact.value).toEqual({ corpId: 'wwB', userId: 'lisi' })
  })

  it("web: an app's exchangeOAuthCode gets the member's OAuth code as from the toolbar, once, before the contact shows (no redirect)", async () => {
    const exchangeOAuthCode = vi.fn(async (_code: string) => {})
    const startUrl = location.href
    const kit = createTestingChainToolbar({
      host: 'web',
      web: { corpId: 'wwtesting', agentId: 1000002, exchangeOAuthCode },
      resolveContact: async ({ userId }) => ({ name: exchangeOAuthCode.mock.calls.length ? `已登录 ${userId}` : 'no session' }),
    })
    const wrapper = mount(QuotePage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(exchangeOAuthCode).toHaveBeenCalledTimes(1)
    expect(exchangeOAuthCode.mock.calls[0][0]).toMatch(/^testing-oauth-/)
    expect(wrapper.text()).toContain('已登录 ZhangWei')
    expect(location.href).toBe(startUrl)
    sessionStorage.clear()
  })

  it('refuses an unknown host', () => {
    expect(() => createTestingChainToolbar({ host: 'ios' as never })).toThrow(TypeError)
  })
})
