// A page test as an app writes it, run on both hosts by index.test.ts (happy-dom) and jsdom.test.ts (jsdom).
import { mount } from '@vue/test-utils'
import { expect } from 'vitest'
import { createTestingChainToolbar } from '../index'
import QuotePage from './QuotePage.vue'

export const resolveContact = async ({ userId }: { corpId: string; userId: string }) => ({
  name: userId === 'ZhangWei' ? '张伟' : userId,
  corpName: '华东供应链',
})
export const resolveChat = async (chatId: string) => ({ name: `群 ${chatId.slice(-4)}` })

export async function runExample(host: 'mini-program' | 'web') {
  const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools' }, resolveContact, resolveChat, host })
  const wrapper = mount(QuotePage, { global: { plugins: [kit] } })
  await kit.flush()
  expect(wrapper.text()).toContain('张伟')
  expect(wrapper.text()).toContain('华东供应链')

  await kit.openFromAnotherChat({ entry: 'chain_group_chat_tools', chatId: 'wrkSFfCgAAtMQKg4xqDa0042' })
  expect(wrapper.text()).not.toContain('张伟')
  expect(wrapper.text()).toContain('群 0042')

  await wrapper.find('.send').trigger('click')
  await kit.flush()
  const sent = { api: 'sendChatMessage', status: 'ok', params: { msgtype: 'text', text: { content: '报价单 #42' } } }
  expect(kit.log.at(-1)).toMatchObject(sent)
  expect(wrapper.find('.status').text()).toBe('sent')
  return { kit, wrapper }
}
