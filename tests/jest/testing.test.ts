// uni-chain-toolbar/testing under jest (jsdom): the README example on both hosts, jest's own spies.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import { createTestingChainToolbar } from '../../testing/index'
import QuotePage from '../../testing/__tests__/QuotePage.vue'

const ordinaryUA = navigator.userAgent
afterEach(() => {
  expect('wx' in globalThis).toBe(false)
  expect('WeixinJSBridge' in window).toBe(false)
  expect(navigator.userAgent).toBe(ordinaryUA)
})

describe.each(['mini-program', 'web'] as const)('under jest, host %s', (host) => {
  it('shows the contact, follows another chat, sends the quote', async () => {
    const resolveContact = jest.fn(async () => ({ name: '张伟' }))
    const kit = createTestingChainToolbar({ host, scenario: { entry: 'chain_single_chat_tools' }, resolveContact })
    const wrapper = mount(QuotePage, { global: { plugins: [createTestingPinia(), kit] } })
    await kit.flush()
    expect(wrapper.text()).toContain('张伟')
    await kit.openFromAnotherChat({ entry: 'chain_group_chat_tools' })
    expect(wrapper.text()).not.toContain('张伟')
    await wrapper.find('.send').trigger('click')
    await kit.flush()
    expect(kit.log[kit.log.length - 1]).toMatchObject({ api: 'sendChatMessage', status: 'ok' })
    expect(wrapper.find('.status').text()).toBe('sent')
    if (host === 'web') expect(kit.log[0].api).toBe('agentConfig')
  })
})
