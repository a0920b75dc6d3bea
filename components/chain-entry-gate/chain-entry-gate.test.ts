import { describe, expect, it, vi } from 'vitest'
import { h, nextTick } from 'vue'
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
    const { wrapper, container } = mountWithKit(ChainEntryGate, {
      qy: { entry: 'chain_group_chat_tools', version: '4.1.22' },
      props: { entries: chainEntries },
      slots,
    })
    await vi.waitFor(() => expect(wrapper.find('.inside').exists()).toBe(true))
    expect(wrapper.get('.inside').text()).toBe('for chain_group_chat_tools')
    expect(wrapper.find('.fallback').exists()).toBe(false)
    expect(elementsIn(container)).toHaveLength(1)
  })

  it('shows a one-line skeleton while the entry is read (announced as loading), neither slot', async () => {
    const { wrapper, sim } = mountWithKit(ChainEntryGate, {
      qy: { entry: 'chain_single_chat_tools', hang: ['getContext'] },
      props: { entries: chainEntries, customClass: 'page-gate', customStyle: 'margin: 3px' },
      slots,
    })
    await vi.waitFor(() => expect(sim!.count('getContext')).toBe(1))
    await sleep(10)
    const skeleton = wrapper.get('.uct-gate')
    expect(skeleton.attributes('role')).toBe('status')
    expect(skeleton.text()).toBe('正在加载…')
    expect(skeleton.find('.uct-card__bone').exists()).toBe(true)
    expect(skeleton.classes()).toContain('page-gate')
    expect(skeleton.attributes('style')).toContain('margin: 3px')
    expect(skeleton.attributes('aria-role')).toBe(process.env.UNI_PLATFORM === 'mp-weixin' ? 'status' : undefined)
    expect(wrapper.find('.inside').exists() || wrapper.find('.fallback').exists()).toBe(false)
  })

  it('shows the loading slot instead of the skeleton, then the content', async () => {
    const { wrapper } = mountWithKit(ChainEntryGate, {
      qy: { entry: 'chain_single_chat_tools', version: '4.1.22', latencyMs: 60 },
      props: { entries: chainEntries },
      slots: { ...slots, loading: () => h('text', { class: 'wait' }, 'one moment') },
    })
    // Microtasks only: the client's answer (a timer) cannot arrive before this, however loaded the machine.
    await nextTick()
    expect(wrapper.get('.wait').text()).toBe('one moment')
    expect(wrapper.find('.uct-gate').exists()).toBe(false)
    // The mini program hands the content to the page's slot out of sight for a task, behind the loading slot:
    // wait for the loading slot to go, then the content is what shows.
    await vi.waitFor(() => expect(wrapper.find('.wait').exists()).toBe(false))
    expect(wrapper.find('.inside').exists()).toBe(true)
  })

  it('renders the fallback for another entry and an unknown future entry', async () => {
    const other = mountWithKit(ChainEntryGate, { qy: { entry: 'single_chat_tools' }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(other.wrapper.find('.fallback').text()).toBe('not for single_chat_tools'))
    expect(other.wrapper.find('.inside').exists()).toBe(false)

    const future = mountWithKit(ChainEntryGate, { qy: { entry: 'some_future_entry' }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(future.wrapper.find('.fallback').text()).toBe('not for some_future_entry'))

  })

  it('an entry that could not be read is not another entry: the error slot says why, never the fallback', async () => {
    const failed = mountWithKit(ChainEntryGate, {
      qy: { hang: ['getContext'] },
      kit: { timeoutMs: 30 },
      props: { entries: chainEntries },
      slots: { ...slots, error: (p: any) => h('view', { class: 'why' }, `${p.error.code}`) },
    })
    await vi.waitFor(() => expect(failed.wrapper.find('.why').text()).toBe('TIMEOUT'))
    expect(failed.wrapper.find('.fallback').exists()).toBe(false)

    // Without an error slot: the gate's own view, the code's text and a retry that reads the entry again.
    const plain = mountWithKit(ChainEntryGate, { qy: { hang: ['getContext'] }, kit: { timeoutMs: 30 }, props: { entries: chainEntries }, slots })
    await vi.waitFor(() => expect(plain.wrapper.find('.uct-gate--error').exists()).toBe(true))
    expect(plain.wrapper.get('[role="alert"]').text()).toBe('企业微信没有响应，请重试')
    expect(plain.wrapper.find('.fallback').exists()).toBe(false)
    plain.sim!.state.hang = []
    plain.sim!.state.entry = 'chain_single_chat_tools'
    await plain.wrapper.get('.uct-gate__retry').trigger('click')
    await vi.waitFor(() => expect(plain.wrapper.find('.inside').exists()).toBe(true))
  })

  it('matches an entry a newer client introduced when it is listed', async () => {
    const { wrapper } = mountWithKit(ChainEntryGate, {
      qy: { entry: 'some_future_entry' },
      props: { entries: ['some_future_entry'] },
      slots,
    })
    await vi.waitFor(() => expect(wrapper.find('.inside').exists()).toBe(true))
  })

  it('renders the fallback at once outside WeCom', () => {
    const { wrapper } = mountWithKit(ChainEntryGate, { qy: null, props: { entries: chainEntries }, slots })
    expect(wrapper.get('.fallback').text()).toBe('not for none')
    expect(wrapper.find('.uct-gate').exists()).toBe(false)
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
