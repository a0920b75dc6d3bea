// The src/ layout app's own page tests, on the README's vitest config for this layout: its pages are
// imported as `@/…`, which is src/ here, as in uni's build. The README's own page test is custom.test.ts.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createTestingChainToolbar } from 'uni-chain-toolbar/testing'
import QuotePage from '@/pages/index/index.vue'

const resolveContact = async ({ userId }: { corpId: string; userId: string }) => ({ name: userId === 'ZhangWei' ? '张伟' : userId })

describe('the src/ layout pages', () => {
  it('the quote page shows the chain contact', async () => {
    const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools' }, resolveContact })
    const wrapper = mount(QuotePage, { global: { plugins: [kit] } })
    await kit.flush()
    expect(wrapper.text()).toContain('张伟')
  })
})
