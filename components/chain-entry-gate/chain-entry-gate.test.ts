import { describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { elementsIn, mountWithKit } from '../../tests/support/components'
import { sleep } from '../../tests/support/kit'
import ChainEntryGate from './chain-entry-gate.vue'

const chainEntries = ['chain_single_chat_tools', 'chain_group_chat_tools']
const slots = {
  default: (p: any) => h('view', { class: 'inside' }, `for ${p.entry}`),
  fallback: (p: any) => h('view', { class: 'fallback' }, `not for ${p.entry ?? 'none'}`),
}

describe('chain-entry-gate', () => {
  it('renders the default slot when the entry is one of entries (with no element of its own)', async () => {
    const { wrapper, container } = mountWithKit(ChainEntryGate, { qy: { entry: 'chain_group_chat_tools', version: '4.1.22' }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(wrapper.find('.inside').exists()).toBe(true))
    expect(wrapper.get('.inside').text()).toBe('for chain_group_chat_tools')
    expect(wrapper.find('.fallback').exists()).toBe(false)
    expect(elementsIn(container)).toHaveLength(1)
  })

  it('renders nothing of either while the entry is read', async () => {
    const { container, sim } = mountWithKit(ChainEntryGate, { qy: { entry: 'chain_single_chat_tools', hang: ['getContext'] }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(sim!.count('getContext')).toBe(1))
    await sleep(10)
    expect(elementsIn(container)).toHaveLength(0)
  })

  it('renders the fallback for another entry, an unknown future entry, and an entry that could not be read', async () => {
    const other = mountWithKit(ChainEntryGate, { qy: { entry: 'single_chat_tools' }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(other.wrapper.find('.fallback').text()).toBe('not for single_chat_tools'))
    expect(other.wrapper.find('.inside').exists()).toBe(false)

    const future = mountWithKit(ChainEntryGate, { qy: { entry: 'some_future_entry' }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(future.wrapper.find('.fallback').text()).toBe('not for some_future_entry'))

    const failed = mountWithKit(ChainEntryGate, { qy: { hang: ['getContext'] }, kit: { timeoutMs: 30 }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(failed.wrapper.find('.fallback').text()).toBe('not for none'))
  })

  it('matches an entry a newer client introduced when it is listed', async () => {
    const { wrapper } = mountWithKit(ChainEntryGate, { qy: { entry: 'some_future_entry' }, props: { entries: ['some_future_entry'] }, slots })
    await vi.waitFor(() => expect(wrapper.find('.inside').exists()).toBe(true))
  })

  it('renders the fallback at once outside WeCom', () => {
    const { wrapper } = mountWithKit(ChainEntryGate, { qy: null, props: { entries: chainEntries }, slots })
    expect(wrapper.get('.fallback').text()).toBe('not for none')
  })

  it('renders nothing when the slot for the case is not given', async () => {
    const { container } = mountWithKit(ChainEntryGate, { qy: null, props: { entries: chainEntries }, slots: { default: slots.default } })
    await sleep(5)
    expect(elementsIn(container)).toHaveLength(0)
  })

  it('follows a change of entries', async () => {
    const { wrapper } = mountWithKit(ChainEntryGate, { qy: { entry: 'single_chat_tools' }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(wrapper.find('.fallback').exists()).toBe(true))
    await wrapper.setProps({ entries: [...chainEntries, 'single_chat_tools'] })
    expect(wrapper.find('.inside').exists()).toBe(true)
  })
})
