// What both cards share (components/_shared: props, helpers, card.css), checked on each card as a page uses it.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { compileTemplate } from 'vue/compiler-sfc'
import ChainContactCard from '../chain-contact-card/chain-contact-card.vue'
import ChainGroupCard from '../chain-group-card/chain-group-card.vue'
import { mountWithKit } from '../../tests/support/components'

const cards = [
  {
    name: 'chain-contact-card',
    card: ChainContactCard,
    qy: { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwd', userId: 'lisi' } },
    slotProps: { contact: { corpId: 'wwd', userId: 'lisi' }, profile: null },
  },
  {
    name: 'chain-group-card',
    card: ChainGroupCard,
    qy: { entry: 'chain_group_chat_tools', version: '4.1.22', chatId: 'wrOgQhDgAAabc' },
    slotProps: { chatId: 'wrOgQhDgAAabc', profile: null },
  },
]

describe.each(cards)('$name, shared card behaviour', ({ card, qy, slotProps }) => {
  it('gives its default slot its own documented props (types.ts): its piece and the profile, nothing else with a value', async () => {
    const given: Record<string, unknown>[] = []
    const slot = (props: Record<string, unknown>) => (given.push(props), h('text', 'mine'))
    const { wrapper } = mountWithKit(card, { qy, slots: { default: slot } })
    await vi.waitFor(() => expect(wrapper.text()).toBe('mine'))
    // The one template binds both cards' names; the other card's is undefined (components/_shared/card.ts).
    // `key`: Vue's own, on a slot in a v-if branch.
    const withValue = (props: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(props).filter(([k, v]) => v !== undefined && k !== 'key'))
    expect(withValue(given[given.length - 1])).toEqual(slotProps)
  })

  it('reads in the cards’ one template only names its view, its props or Vue give it (vue-tsc does not read a src template)', () => {
    const template = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), 'card.html'), 'utf8')
    const { code } = compileTemplate({ source: template, filename: 'card.html', id: 'card' })
    const read = new Set([...code.matchAll(/_ctx\.(\$?\w+)/g)].map((m) => m[1]))
    const { wrapper } = mountWithKit(card, { qy })
    const view = (wrapper.vm.$ as unknown as { setupState: object }).setupState
    const given = new Set([...Object.keys(view), ...Object.keys(wrapper.vm.$props), '$slots'])
    expect(read.size).toBeGreaterThan(15)
    expect([...read].filter((name) => !given.has(name))).toEqual([])
  })

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
