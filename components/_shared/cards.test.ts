// What both cards share (components/_shared: props, helpers, card.css), checked on each card as a page uses it.
import { describe, expect, it, vi } from 'vitest'
import ChainContactCard from '../chain-contact-card/chain-contact-card.vue'
import ChainGroupCard from '../chain-group-card/chain-group-card.vue'
import { mountWithKit } from '../../tests/support/components'

const cards = [
  {
    name: 'chain-contact-card',
    card: ChainContactCard,
    qy: { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwd', userId: 'lisi' } },
  },
  { name: 'chain-group-card', card: ChainGroupCard, qy: { entry: 'chain_group_chat_tools', version: '4.1.22', chatId: 'wrOgQhDgAAabc' } },
]

describe.each(cards)('$name, shared card behaviour', ({ card, qy }) => {
  it('puts customClass and customStyle on the card; the avatar’s role is `role` (`aria-role`: mini program only)', async () => {
    const { wrapper } = mountWithKit(card, { qy, props: { customClass: 'my-card', customStyle: 'margin: 5px' } })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    const root = wrapper.get('.uct-card')
    expect(root.classes()).toEqual(expect.arrayContaining(['uct-root', 'my-card']))
    expect(root.attributes('style')).toContain('margin: 5px')
    const avatar = root.get('.uct-avatar')
    expect(avatar.attributes('role')).toBe('img')
    expect(avatar.attributes('aria-role')).toBe(process.env.UNI_PLATFORM === 'mp-weixin' ? 'img' : undefined)
    await wrapper.setProps({ customClass: 'other' })
    expect(wrapper.get('.uct-card').classes()).toContain('other')
  })

  it('keeps customClass in the loading state, whose status is announced with the right attribute per platform', async () => {
    const { wrapper, sim } = mountWithKit(card, {
      qy: { ...qy, hang: ['getCurCorpGroupContact', 'getCurCorpGroupChat'] },
      props: { customClass: 'my-card' },
    })
    await vi.waitFor(() => expect(sim!.calls.length).toBeGreaterThan(2))
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loading').exists()).toBe(true))
    expect(wrapper.get('.uct-card').classes()).toContain('my-card')
    const status = wrapper.get('[role="status"]')
    expect(status.attributes('aria-role')).toBe(process.env.UNI_PLATFORM === 'mp-weixin' ? 'status' : undefined)
  })
})
