// What both cards share (their one template, its view, props and card.css), checked on each card as a page uses it.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { useEntry } from '../../composables/useEntry'
import ChainContactCard from '../chain-contact-card/chain-contact-card.vue'
import ChainGroupCard from '../chain-group-card/chain-group-card.vue'
import { elementsIn, mountWithKit } from '../../tests/support/components'
import { sleep } from '../../tests/support/kit'

const cards = [
  {
    name: 'chain-contact-card',
    card: ChainContactCard,
    root: '.uct-contact-card',
    host: 'getCurCorpGroupContact',
    qy: { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwd', userId: 'lisi' } },
    slotProps: { contact: { corpId: 'wwd', userId: 'lisi' }, profile: null },
    // Without a profile: the ids, and the initials of the userId.
    loaded: { label: '上下游联系人', title: 'lisi', subtitle: 'wwd', avatar: 'lisi的头像', initials: 'L' },
  },
  {
    name: 'chain-group-card',
    card: ChainGroupCard,
    root: '.uct-group-card',
    host: 'getCurCorpGroupChat',
    qy: { entry: 'chain_group_chat_tools', version: '4.1.22', chatId: 'wrOgQhDgAAabc' },
    slotProps: { chatId: 'wrOgQhDgAAabc', profile: null },
    // Without a profile: the chatId, and a group sign rather than letters of the id.
    loaded: { label: '互联群', title: 'wrOgQhDgAAabc', subtitle: '互联群', avatar: 'wrOgQhDgAAabc的群头像', initials: '群' },
  },
]

describe('the cards’ one template', () => {
  // Written out in each card's .vue: uni's H5 build turns <view>, <text>, <image> and <button> into its
  // built-in components only in a .vue file's own template, never in a `<template src>` (docs/development.md).
  const templateOf = (name: string) => {
    const sfc = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), `../${name}/${name}.vue`), 'utf8')
    return /^<template>\n([\s\S]*?)\n<\/template>$/m.exec(sfc)![1]
  }

  it('is the same in both cards, word for word', () => {
    expect(templateOf('chain-group-card')).toBe(templateOf('chain-contact-card'))
    expect(templateOf('chain-contact-card')).toContain('<image v-if="avatar"')
  })
})

describe.each(cards)('$name, shared card behaviour', ({ card, root: rootClass, host, qy, slotProps, loaded }) => {
  it('shows a skeleton while its piece is read: aria-busy, a status with a loading text', async () => {
    const { wrapper, sim } = mountWithKit(card, { qy: { ...qy, hang: [host] } })
    await vi.waitFor(() => expect(sim!.count(host)).toBe(1))
    await flushPromises()
    const root = wrapper.get(rootClass)
    expect(root.attributes('aria-busy')).toBe('true')
    expect(root.classes()).toContain('uct-card--loading')
    expect(root.get('[role="status"]').text()).toBe('正在加载…')
    expect(root.findAll('.uct-card__bone')).toHaveLength(2)
    expect(root.text()).not.toContain(loaded.title)
  })

  it('shows its piece without a profile: label, title, subtitle, a labelled avatar with initials', async () => {
    const { wrapper } = mountWithKit(card, { qy })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    const root = wrapper.get(rootClass)
    const avatar = root.get('.uct-avatar')
    expect({
      busy: root.attributes('aria-busy'),
      label: root.attributes('aria-label'),
      title: root.get('.uct-card__title').text(),
      subtitle: root.get('.uct-card__subtitle').text(),
      role: avatar.attributes('role'),
      avatar: avatar.attributes('aria-label'),
      initials: avatar.text(),
      picture: avatar.find('image').exists(),
    }).toEqual({ busy: 'false', role: 'img', picture: false, ...loaded })
  })

  it('renders no element at all outside WeCom', async () => {
    const { container } = mountWithKit(card, { qy: null })
    await sleep(10)
    expect(elementsIn(container)).toHaveLength(0)
  })

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

  it('keeps following the chat on a page whose first card of its kind went away', async () => {
    // The cards of one kind share their state and lines (card.ts): the first card's unmount must not stop them.
    const first = ref(true)
    const Page = defineComponent({ setup: () => () => h('view', [first.value ? h(card, { customClass: 'first' }) : null, h(card, { customClass: 'second' })]) })
    const { wrapper, sim, use } = mountWithKit(Page, { qy })
    await vi.waitFor(() => expect(wrapper.findAll('.uct-card--loaded')).toHaveLength(2))
    first.value = false
    await flushPromises()
    expect(wrapper.findAll('.uct-card')).toHaveLength(1)
    if (qy.contact) sim!.state.contact = { corpId: 'wwother', userId: 'wangwu' }
    else sim!.state.chatId = 'wrOther'
    const done = use(useEntry).refresh()
    await flushPromises()
    expect(wrapper.text()).not.toContain(loaded.title)
    await done
    await vi.waitFor(() => expect(wrapper.get('.second .uct-card__title').text()).toBe(qy.contact ? 'wangwu' : 'wrOther'))
  })
})
