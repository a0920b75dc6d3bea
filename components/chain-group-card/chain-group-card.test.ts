import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { applyComponentCss, elementsIn, freshStyle, mountWithKit, prefersColorScheme } from '../../tests/support/components'
import { stubUni } from '../../tests/support/uni-global'
import { sleep } from '../../tests/support/kit'
import ChainGroupCard from './chain-group-card.vue'
import { chainToolbarEn } from '../../src/locales/en'

const chainGroup = { entry: 'chain_group_chat_tools', version: '4.1.22', chatId: 'wrOgQhDgAAabc' }

describe('chain-group-card', () => {
  // Loading, loaded without a profile and outside WeCom: components/_shared/cards.test.ts, for both cards.
  it('shows the group name and picture from resolveChat', async () => {
    const resolveChat = vi.fn(async () => ({ name: 'Spring Sales', avatar: 'https://example.com/g.png' }))
    const { wrapper } = mountWithKit(ChainGroupCard, {
      qy: chainGroup,
      kit: { resolveChat, locale: 'en', messages: { en: chainToolbarEn } },
    })
    await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('Spring Sales'))
    expect(resolveChat).toHaveBeenCalledWith('wrOgQhDgAAabc')
    expect(wrapper.get('.uct-avatar').attributes('aria-label')).toBe('Avatar of the group Spring Sales')
    expect(wrapper.get('.uct-avatar image').attributes('src')).toBe('https://example.com/g.png')
    await wrapper.get('.uct-avatar image').trigger('error')
    expect(wrapper.get('.uct-avatar').text()).toBe('SS')
  })

  it('announces a failure and retry starts a new read', async () => {
    const { wrapper, sim } = mountWithKit(ChainGroupCard, {
      qy: { ...chainGroup, fail: { getCurCorpGroupChat: 'qy__getCurCorpGroupChat:fail without context of corpgroup contact' } },
    })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
    const alert = wrapper.get('[role="alert"]')
    expect(alert.text()).toContain('无法读取群聊')
    expect(alert.text()).toContain('当前入口不支持此功能')
    const retry = wrapper.get('button.uct-card__retry')
    expect(retry.attributes('aria-label')).toBe('重试读取群聊')
    // WCAG 2.5.3 (label in name): the accessible name holds the visible text.
    expect(retry.attributes('aria-label')).toContain(retry.text())

    sim!.state.fail = {}
    await wrapper.get('button.uct-card__retry').trigger('click')
    expect(sim!.count('getCurCorpGroupChat')).toBe(2)
    expect(wrapper.get('.uct-group-card').attributes('aria-busy')).toBe('true')
    await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('wrOgQhDgAAabc'))
  })

  it('announces a timeout of a hung host', async () => {
    const { wrapper } = mountWithKit(ChainGroupCard, { qy: { ...chainGroup, hang: ['getCurCorpGroupChat'] }, kit: { timeoutMs: 30 } })
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').text()).toContain('企业微信没有响应，请重试'))
  })

  it.each([
    ['chain_single_chat_tools', '4.1.22'],
    ['group_chat_tools', '4.1.22'],
    ['chain_group_chat_tools', '4.0.11'],
  ])('renders no element at all on %s with client %s, and never asks the host', async (entry, version) => {
    const { container, sim } = mountWithKit(ChainGroupCard, { qy: { entry, version } })
    await vi.waitFor(() => expect(sim!.count('getContext')).toBe(1))
    await sleep(10)
    expect(elementsIn(container)).toHaveLength(0)
    expect(sim!.count('getCurCorpGroupChat')).toBe(0)
  })

  it('compact', async () => {
    const { wrapper } = mountWithKit(ChainGroupCard, { qy: chainGroup, props: { compact: true } })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    expect(wrapper.get('.uct-group-card').classes()).toContain('uct-card--compact')
  })

  it('slots: default { chatId, profile }, loading, error { error, retry }', async () => {
    const loaded = mountWithKit(ChainGroupCard, {
      qy: chainGroup,
      kit: { resolveChat: () => ({ name: '春季订货群' }) },
      slots: { default: (p: any) => h('text', { class: 'mine' }, `${p.chatId}:${p.profile?.name ?? '-'}`) },
    })
    await vi.waitFor(() => expect(loaded.wrapper.find('.mine').text()).toBe('wrOgQhDgAAabc:春季订货群'))

    const loading = mountWithKit(ChainGroupCard, {
      qy: { ...chainGroup, hang: ['getCurCorpGroupChat'] },
      slots: { loading: () => h('text', { class: 'mine' }, 'wait') },
    })
    await vi.waitFor(() => expect(loading.wrapper.find('.mine').text()).toBe('wait'))

    const failed = mountWithKit(ChainGroupCard, {
      qy: { ...chainGroup, fail: { getCurCorpGroupChat: 'qy__getCurCorpGroupChat:fail no permission' } },
      slots: { error: (p: any) => h('button', { class: 'mine', onClick: p.retry }, p.error.code) },
    })
    await vi.waitFor(() => expect(failed.wrapper.find('.mine').text()).toBe('NO_PERMISSION'))
    failed.sim!.state.fail = {}
    await failed.wrapper.get('.mine').trigger('click')
    await vi.waitFor(() => expect(failed.wrapper.find('.uct-card__title').text()).toBe('wrOgQhDgAAabc'))
  })

  it('switches language at run time', async () => {
    const { wrapper, i18n } = mountWithKit(ChainGroupCard, { qy: chainGroup, kit: { messages: { en: chainToolbarEn } } })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    expect(wrapper.get('.uct-card__subtitle').text()).toBe('互联群')
    i18n().setLocale('en')
    await flushPromises()
    expect(wrapper.get('.uct-card__subtitle').text()).toBe('Interconnected group')
    expect(wrapper.get('.uct-avatar').text()).toBe('G')
  })

  it('themes: light by default (also on a dark system), dark by the app’s opt-in or a class, the app’s variables', async () => {
    stubUni({ darkmode: false, system: 'dark' })
    prefersColorScheme('dark')
    const { wrapper, container } = mountWithKit(ChainGroupCard, { qy: chainGroup })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    applyComponentCss('chain-group-card', wrapper.element as Element)
    const avatar = () => freshStyle(wrapper.get('.uct-avatar').element)
    expect(avatar().backgroundColor).toBe('#e1ebfd')
    container.className = 'uct-theme-dark'
    expect(avatar().backgroundColor).toBe('#2b3a55')
    container.style.setProperty('--uct-dark-color-avatar-bg', '#abcdef')
    expect(avatar().backgroundColor).toBe('#abcdef')
    container.className = ''
    container.style.setProperty('--uct-color-avatar-bg', '#fedcba')
    expect(avatar().backgroundColor).toBe('#fedcba')
  })

  it('turns dark on a dark system in an app that opted in to dark mode', async () => {
    stubUni({ darkmode: true, system: 'dark' })
    const { wrapper } = mountWithKit(ChainGroupCard, { qy: chainGroup })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    applyComponentCss('chain-group-card', wrapper.element as Element)
    expect(freshStyle(wrapper.get('.uct-avatar').element).backgroundColor).toBe('#2b3a55')
  })
})
