import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createTestingChainToolbar } from 'uni-chain-toolbar/testing'
import MyToolbarPage from '@/pages/custom/custom.vue'

// Your resolver, or a stand-in for it: the kit calls it with the chain contact the client reports.
const resolveContact = async ({ userId }: { corpId: string; userId: string }) => ({ name: userId === 'ZhangWei' ? '张伟' : userId })

describe('my toolbar page', () => {
  it('shows the chain contact, then shares into the group chat it is opened from next', async () => {
    const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools' }, resolveContact })
    const wrapper = mount(MyToolbarPage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(wrapper.text()).toContain('张伟')
    await kit.openFromAnotherChat({ entry: 'chain_group_chat_tools' })
    await wrapper.find('.send').trigger('click')
    await kit.flush()
    expect(kit.log.at(-1)).toMatchObject({ api: 'sendChatMessage', status: 'ok' })
  })
})
