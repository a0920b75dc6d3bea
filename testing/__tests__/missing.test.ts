// Without the kit or the plugin, a page fails loudly: nothing of a previous test is reused.
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { expect, it } from 'vitest'
import { createTestingChainToolbar } from '../index'
import QuotePage from './QuotePage.vue'

it('a page mounted without the kit after a kit test throws the missing-plugin error (nothing reused)', async () => {
  const kit = createTestingChainToolbar()
  const first = mount(QuotePage, { global: { plugins: [kit] } })
  await kit.flush()
  first.unmount()
  expect(() => mount(QuotePage, { global: { plugins: [createPinia()] } })).toThrow(
    '[uni-chain-toolbar] app.use(createChainToolbar()) is missing',
  )
})
