// The src/ layout app's own page tests, on the README's vitest config for this layout: its pages are
// imported as `@/…`, which is src/ here, as in uni's build.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createTestingChainToolbar } from 'uni-chain-toolbar/testing'
import QuotePage from '@/pages/index/index.vue'
import MyToolbarPage from '@/pages/custom/custom.vue'

const resolveContact = async ({ userId }: { corpId: string; userId: string }) => ({ name: userId === 'ZhangWei' ? '张伟' : userId })

describe('the src/ layout pages', () => {
  it('the quote page shows the chain contact', async () => {
    const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools' }, resolveContact })
    const wrapper = mount(QuotePage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(wrapper.text()).toContain('张伟')
  })

  it('the custom page shares into the group chat it is opened from next', async () => {
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
