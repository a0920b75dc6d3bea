// What the person at the toolbar reads when the page fails depends on who can fix it: a setup fault (the
// app's signature endpoint, its trusted domain, its signature) goes to the app's developer; only a real
// permission refusal goes to an admin; and the gate never sends the person back to the toolbar when the
// entry simply could not be read. On H5: the real @wecom/jssdk over the simulated WeCom client.
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { chainToolbarEn } from '../../src/locales/en'
import { createTestingChainToolbar, type SimulatorScenario } from '../../testing/index'
import ChainContactCard from '../chain-contact-card/chain-contact-card.vue'
import ChainEntryGate from '../chain-entry-gate/chain-entry-gate.vue'
import ShareToChatButton from '../share-to-chat-button/share-to-chat-button.vue'

const SETUP_ZH = '本页还没有为这个聊天设置好，请告诉应用的开发者'
const SETUP_EN = "This page is not set up for this chat yet; tell the app's developer"
const ADMIN_ZH = '应用没有权限，请联系管理员'

const failingEndpoint = (answer: unknown) => vi.fn(async () => Promise.reject(answer))
type Setup = { scenario?: Partial<SimulatorScenario>; getSignature?: (url: string) => unknown }

/** Each setup fault of an H5 page (docs/troubleshooting.md). */
const setupFaults: Array<[string, Setup]> = [
  ['the page origin is not in allowedOrigins (a CORS failure)', { getSignature: failingEndpoint(new TypeError('Failed to fetch')) }],
  ['the signature endpoint answers 401', { getSignature: failingEndpoint(new Error('signature endpoint answered 401')) }],
  ['the signature endpoint answers 500', { getSignature: failingEndpoint(new Error('signature endpoint answered 500')) }],
  ['the domain is not trusted (80001)', { scenario: { fail: { agentConfig: 'untrustedDomain' } } }],
  ['WeCom rejects the signature (40093)', { scenario: { fail: { agentConfig: 'agentConfig:fail_invalid signature' } } }],
]

function mountOnWeb(component: any, setup: Setup, options: { locale?: string; props?: any; slots?: any } = {}) {
  vi.spyOn(console, 'warn').mockImplementation(() => {}) // the development hints
  const kit = createTestingChainToolbar({
    host: 'web',
    scenario: { entry: 'chain_single_chat_tools', ...setup.scenario },
    web: { corpId: 'wwupstream', agentId: 1000002, ...(setup.getSignature ? { getSignature: setup.getSignature as any } : {}) },
    locale: options.locale,
    messages: { en: chainToolbarEn },
  })
  const wrapper = mount(component, { props: options.props, slots: options.slots, global: { plugins: [kit] } })
  return { wrapper, kit }
}

describe('what the person at the toolbar is told, by who can fix it', () => {
  it.each(setupFaults)('%s: the card says the page is not set up yet and to tell the developer, not an admin', async (_, setup) => {
    const { wrapper, kit } = mountOnWeb(ChainContactCard, setup)
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
    expect(wrapper.get('.uct-card__reason').text()).toBe(SETUP_ZH)
    expect(wrapper.text()).not.toContain(ADMIN_ZH)
  })

  it('in English too', async () => {
    const { wrapper, kit } = mountOnWeb(ChainContactCard, setupFaults[0][1], { locale: 'en' })
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
    expect(wrapper.get('.uct-card__reason').text()).toBe(SETUP_EN)
  })

  it('a real permission refusal still says to ask an admin', async () => {
    const { wrapper, kit } = mountOnWeb(ChainContactCard, { scenario: { fail: { getCurCorpGroupContact: 'noPermission' } } })
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
    expect(wrapper.get('.uct-card__reason').text()).toBe(ADMIN_ZH)
  })

  it("the share button says the page is not set up yet when WeCom does not allow the app's send (not in allow list)", async () => {
    const { wrapper, kit } = mountOnWeb(
      ShareToChatButton,
      { scenario: { fail: { sendChatMessage: 'notInAllowList' } } },
      { props: { message: { msgtype: 'text', text: { content: 'hi' } } } },
    )
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('button').exists()).toBe(true))
    await wrapper.get('button').trigger('click')
    await vi.waitFor(() => expect(wrapper.text()).toContain(SETUP_ZH))
  })

  it.each(setupFaults)('%s: the entry gate does not show the fallback (it says why, with a retry)', async (_, setup) => {
    const slots = {
      default: () => h('view', { class: 'inside' }, 'quote'),
      fallback: () => h('view', { class: 'fallback' }, '请从上下游会话的工具栏打开本页'),
    }
    const { wrapper, kit } = mountOnWeb(ChainEntryGate, setup, { props: { entries: ['chain_single_chat_tools'] }, slots })
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('.uct-gate--error').exists()).toBe(true))
    expect(wrapper.find('.fallback').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('工具栏打开')
    expect(wrapper.get('[role="alert"]').text()).toBe(SETUP_ZH)
    // The retry reads the entry again (a new activation).
    const attempts = () => kit.log.filter((call) => call.api === 'agentConfig').length + ((setup.getSignature as any)?.mock.calls.length ?? 0)
    const before = attempts()
    await wrapper.get('.uct-gate--error button').trigger('click')
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('.uct-gate--error').exists()).toBe(true))
    expect(attempts()).toBeGreaterThan(before)
  })

  it('the gate shows the content after a retry once the fault is gone', async () => {
    const slots = { default: () => h('view', { class: 'inside' }, 'quote'), fallback: () => h('view', { class: 'fallback' }, 'elsewhere') }
    const { wrapper, kit } = mountOnWeb(ChainEntryGate, setupFaults[3][1], { props: { entries: ['chain_single_chat_tools'] }, slots })
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('.uct-gate--error').exists()).toBe(true))
    kit.set({ fail: {} })
    await wrapper.get('.uct-gate--error button').trigger('click')
    await kit.flush()
    await vi.waitFor(() => expect(wrapper.find('.inside').exists()).toBe(true))
  })
})
