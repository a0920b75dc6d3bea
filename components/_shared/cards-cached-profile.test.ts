// The cards on a later launch, with a profile stored by an earlier one (the persisted profile cache):
// the stored name comes with the loaded card, never the ids first, and the resolver's newer answer
// replaces the text in place (the same elements, the card never back to its skeleton).
import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import ChainContactCard from '../chain-contact-card/chain-contact-card.vue'
import ChainGroupCard from '../chain-group-card/chain-group-card.vue'
import { mountWithKit } from '../../tests/support/components'
import { createUniStorage } from '../../tests/support/uni-storage'

/** vi.waitFor with room for a loaded machine (the H5 host loads the SDK module first). */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000 })

// The stubbed `uni` stays until the cards are unmounted (the config's unstubGlobals restores it before the next test).

const cases = [
  {
    card: 'chain-contact-card',
    component: ChainContactCard,
    qy: { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } },
    resolver: 'resolveContact',
    id: 'lisi',
  },
  {
    card: 'chain-group-card',
    component: ChainGroupCard,
    qy: { entry: 'chain_group_chat_tools', version: '4.1.22', chatId: 'wrgroup' },
    resolver: 'resolveChat',
    id: 'wrgroup',
  },
] as const

/** Every state the card was rendered in: its classes, title and the elements it is made of. */
function recordStates(root: Element) {
  const states: { loading: boolean; title: string | null; shape: string }[] = []
  const record = () => {
    const card = root.querySelector('.uct-card')
    if (!card) return
    const shape = [card, ...card.querySelectorAll('*')].map((el) => `${el.tagName}.${[...el.classList].sort().join('.')}`).join(' ')
    const state = {
      loading: card.classList.contains('uct-card--loading'),
      title: card.querySelector('.uct-card__title')?.textContent ?? null,
      shape,
    }
    const last = states[states.length - 1]
    if (!last || last.loading !== state.loading || last.title !== state.title || last.shape !== state.shape) states.push(state)
  }
  const observer = new MutationObserver(record)
  observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true })
  return { states, record, stop: () => observer.disconnect() }
}

describe.each(cases)('$card with a stored profile', ({ component, qy, resolver, id }) => {
  it('a later launch shows the stored name as the card loads (never the id first), then the newer name in place', async () => {
    vi.stubGlobal('uni', createUniStorage())
    const before = { name: '上下游伙伴', avatar: 'https://example.com/a.png' }
    const first = mountWithKit(component, { qy, kit: { [resolver]: async () => before } })
    await until(() => expect(first.wrapper.find('.uct-card__title').text()).toBe(before.name))
    first.wrapper.unmount()

    let answer!: (profile: object) => void
    const later = mountWithKit(component, { qy, kit: { [resolver]: () => new Promise((resolve) => (answer = resolve)) } })
    const seen = recordStates(later.container)
    seen.record()
    await until(() => expect(answer).toBeTypeOf('function'))
    await flushPromises()
    const title = later.wrapper.get('.uct-card__title')
    expect(title.text()).toBe(before.name)
    const image = later.wrapper.get('.uct-avatar image')
    expect(image.attributes('src')).toBe(before.avatar)

    const after = { name: '上下游伙伴（华东区销售部）', avatar: 'https://example.com/b.png' }
    answer(after)
    await until(() => expect(later.wrapper.get('.uct-card__title').text()).toBe(after.name))
    seen.record()
    seen.stop()
    // The same elements, updated: no new node, no skeleton, the image's source swapped.
    expect(later.wrapper.get('.uct-card__title').element).toBe(title.element)
    expect(later.wrapper.get('.uct-avatar image').element).toBe(image.element)
    expect(later.wrapper.get('.uct-avatar image').attributes('src')).toBe(after.avatar)
    // Skeleton → the stored name → the newer name; never the id, and the card's elements unchanged.
    expect(seen.states.map((s) => (s.loading ? 'skeleton' : s.title))).toEqual(['skeleton', before.name, after.name])
    expect(seen.states.map((s) => s.title)).not.toContain(id)
    expect(seen.states[2].shape).toBe(seen.states[1].shape)
  })
})
