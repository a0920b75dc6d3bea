// The app's own page tests, written as an app developer writes them: only the kit's public entries.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, resolveComponent } from 'vue'
import { createTestingChainToolbar } from 'uni-chain-toolbar/testing'
import CardsPage from '../pages/cards/cards.vue'
import CustomPage from '../pages/custom/custom.vue'

const resolveContact = async ({ userId }: { corpId: string; userId: string }) => ({
  name: userId === 'ZhangWei' ? '张伟' : userId,
  corpName: '华东供应链',
})
const resolveChat = async (chatId: string) => ({ name: `报价群 ${chatId.slice(-2)}` })

describe.each(['mini-program', 'web'] as const)('the quote page (host %s)', (host) => {
  it('shows the chain contact, follows the user into a group chat, and sends the quote there', async () => {
    const kit = createTestingChainToolbar({ host, scenario: { entry: 'chain_single_chat_tools' }, resolveContact, resolveChat })
    const wrapper = mount(CardsPage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(wrapper.text()).toContain('张伟')
    expect(wrapper.text()).toContain('华东供应链')

    await kit.openFromAnotherChat({ entry: 'chain_group_chat_tools', chatId: 'wrGroup42' })
    expect(wrapper.text()).not.toContain('张伟')
    expect(wrapper.text()).toContain('报价群 42')

    const send = wrapper.findAll('button').find((button) => button.text() === '发送报价')!
    await send.trigger('click')
    await kit.flush()
    expect(kit.log.at(-1)).toMatchObject({ api: 'sendChatMessage', status: 'ok', params: { msgtype: 'miniprogram' } })
    expect(wrapper.text()).toContain('sent')
  })

  it('asks the user to open the page from a chain chat elsewhere', async () => {
    const kit = createTestingChainToolbar({ host, scenario: { entry: 'contact_profile' } })
    const wrapper = mount(CardsPage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(wrapper.text()).toContain('请从上下游会话的工具栏打开本页')
    expect(wrapper.findAll('button')).toHaveLength(0)
  })
})

describe('the custom page', () => {
  it('shows the error code and retries', async () => {
    const kit = createTestingChainToolbar({ scenario: { fail: { getCurCorpGroupContact: 'noPermission' } } })
    const wrapper = mount(CustomPage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(wrapper.text()).toContain('NO_PERMISSION')
    kit.set({ fail: {} })
    await wrapper.findAll('button').find((button) => button.text() === 'Retry')!.trigger('click')
    await kit.flush()
    expect(wrapper.text()).toContain('ZhangWei')
    expect(wrapper.text()).toContain('wwd6f2ad1e8b7c3a90')
  })
})

describe('a card with a slot of its own', () => {
  it('shows the default slot, in view, as soon as the contact is there', async () => {
    const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools' } })
    const Page = defineComponent({
      render: () =>
        h(resolveComponent('chain-contact-card'), null, {
          default: ({ contact }: { contact: { userId: string } }) => h('text', { class: 'mine' }, contact.userId),
        }),
    })
    const wrapper = mount(Page, { global: { plugins: [kit] }, attachTo: document.body })
    for (let turn = 0; turn < 100 && !wrapper.find('.mine').exists(); turn++) await new Promise((resolve) => setTimeout(resolve, 0))
    expect(wrapper.findAll('.mine').map((mine) => [mine.text(), mine.isVisible()])).toEqual([['ZhangWei', true]])
    wrapper.unmount()
  })
})
