import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { h, nextTick } from 'vue'
import { applyComponentCss, elementsIn, freshStyle, mountWithKit, prefersColorScheme, type KitMountOptions } from '../../tests/support/components'
import { stubUni } from '../../tests/support/uni-global'
import { sleep } from '../../tests/support/kit'
import { useEntry } from '../../composables/useEntry'
import ChainContactCard from './chain-contact-card.vue'
import { chainToolbarEn } from '../../src/locales/en'

const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } }

describe('chain-contact-card', () => {
  // Loading, loaded without a profile and outside WeCom: components/_shared/cards.test.ts, for both cards.
  it('shows the profile from resolveContact: name, corp name, avatar picture; initials when the picture fails', async () => {
    const resolveContact = vi.fn(async () => ({ name: '李四', corpName: '下游科技', avatar: 'https://example.com/lisi.png' }))
    const { wrapper } = mountWithKit(ChainContactCard, { qy: chainSingle, kit: { resolveContact } })
    await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('李四'))
    expect(resolveContact).toHaveBeenCalledWith({ corpId: 'wwdown', userId: 'lisi' })
    expect(wrapper.get('.uct-card__subtitle').text()).toBe('下游科技')
    const avatar = wrapper.get('.uct-avatar')
    expect(avatar.attributes('aria-label')).toBe('李四的头像')
    const image = avatar.get('image')
    expect(image.attributes('src')).toBe('https://example.com/lisi.png')

    await image.trigger('error')
    expect(wrapper.find('.uct-avatar image').exists()).toBe(false)
    expect(wrapper.get('.uct-avatar').text()).toBe('李')
  })

  it('keeps the ids when the resolver fails', async () => {
    const { wrapper } = mountWithKit(ChainContactCard, {
      qy: chainSingle,
      kit: { resolveContact: async () => Promise.reject(new Error('server down')) },
    })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    await sleep(5)
    expect(wrapper.get('.uct-card__title').text()).toBe('lisi')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  it.each([
    ['qy__getCurCorpGroupContact:fail no permission', '应用没有权限，请联系管理员'],
    ['qy__getCurCorpGroupContact:fail function not exist', '企业微信版本过低，请升级后重试'],
    ['qy__getCurCorpGroupContact:fail something new', '企业微信返回了错误，请重试'],
  ])('announces a failure (%s) with a short message and a retry', async (text, message) => {
    const { wrapper } = mountWithKit(ChainContactCard, { qy: { ...chainSingle, fail: { getCurCorpGroupContact: text } } })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
    const alert = wrapper.get('[role="alert"]')
    expect(alert.text()).toContain('无法读取联系人')
    expect(alert.text()).toContain(message)
    const retry = wrapper.get('button.uct-card__retry')
    expect(retry.text()).toBe('重试')
    expect(retry.attributes('aria-label')).toBe('重试读取联系人')
    // WCAG 2.5.3 (label in name): the accessible name holds the visible text.
    expect(retry.attributes('aria-label')).toContain(retry.text())
  })

  it('retry starts a new read: loading again, then the contact', async () => {
    const { wrapper, sim } = mountWithKit(ChainContactCard, {
      qy: { ...chainSingle, hang: ['getCurCorpGroupContact'] },
      kit: { timeoutMs: 40 },
    })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toContain('企业微信没有响应，请重试')
    expect(sim!.count('getCurCorpGroupContact')).toBe(1)

    sim!.state.hang = []
    sim!.state.latencyMs = 20
    await wrapper.get('button.uct-card__retry').trigger('click')
    expect(sim!.count('getCurCorpGroupContact')).toBe(2)
    expect(wrapper.get('.uct-contact-card').attributes('aria-busy')).toBe('true')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('lisi'))
  })

  it('retry works from the keyboard (Enter), once per press', async () => {
    const { wrapper, sim } = mountWithKit(ChainContactCard, {
      qy: { ...chainSingle, fail: { getCurCorpGroupContact: 'qy__getCurCorpGroupContact:fail no permission' } },
    })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
    sim!.state.fail = {}
    const retry = wrapper.get('button.uct-card__retry')
    expect(retry.attributes('tabindex')).toBe('0')
    await retry.trigger('keydown', { key: 'Tab' })
    expect(sim!.count('getCurCorpGroupContact')).toBe(1)
    await retry.trigger('keydown', { key: 'Enter' })
    expect(sim!.count('getCurCorpGroupContact')).toBe(2)
    await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('lisi'))
  })

  it('a new activation clears the previous contact at once, then shows the new one', async () => {
    const { wrapper, sim, use } = mountWithKit(ChainContactCard, { qy: chainSingle })
    await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('lisi'))
    sim!.state.contact = { corpId: 'wwother', userId: 'wangwu' }
    const done = use(useEntry).refresh()
    await flushPromises()
    expect(wrapper.text()).not.toContain('lisi')
    await done
    await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('wangwu'))
    expect(wrapper.get('.uct-card__subtitle').text()).toBe('wwother')
  })

  it.each([
    ['chain_group_chat_tools', '4.1.22'],
    ['single_chat_tools', '4.1.22'],
    ['normal', '4.1.22'],
    ['chain_single_chat_tools', '4.0.7'],
  ])('renders no element at all on %s with client %s, and never asks the host', async (entry, version) => {
    const { container, sim } = mountWithKit(ChainContactCard, { qy: { entry, version } })
    expect(elementsIn(container)).toHaveLength(0) // nothing while the entry is read either
    await vi.waitFor(() => expect(sim!.count('getContext')).toBe(1))
    await sleep(10)
    expect(elementsIn(container)).toHaveLength(0)
    expect(container.textContent).toBe('')
    expect(sim!.count('getCurCorpGroupContact')).toBe(0)
  })

  it('compact: a one-line variant of every state', async () => {
    const { wrapper } = mountWithKit(ChainContactCard, { qy: chainSingle, props: { compact: true } })
    await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
    expect(wrapper.get('.uct-contact-card').classes()).toContain('uct-card--compact')
    expect(wrapper.get('.uct-card__title').text()).toBe('lisi')
  })

  describe('slots', () => {
    it('default gets { contact, profile } inside the card', async () => {
      const { wrapper } = mountWithKit(ChainContactCard, {
        qy: chainSingle,
        kit: { resolveContact: () => ({ name: '李四' }) },
        slots: { default: (p: any) => h('text', { class: 'mine' }, `${p.contact.corpId}/${p.contact.userId}:${p.profile?.name ?? '-'}`) },
      })
      await vi.waitFor(() => expect(wrapper.find('.mine').text()).toBe('wwdown/lisi:李四'))
      expect(wrapper.find('.uct-avatar').exists()).toBe(false)
      expect(wrapper.get('.uct-contact-card').attributes('aria-busy')).toBe('false')
    })

    it('loading replaces the skeleton', async () => {
      const { wrapper } = mountWithKit(ChainContactCard, {
        qy: { ...chainSingle, hang: ['getCurCorpGroupContact'] },
        slots: { loading: () => h('text', { class: 'mine' }, 'wait') },
      })
      await vi.waitFor(() => expect(wrapper.find('.mine').exists()).toBe(true))
      expect(wrapper.find('.uct-card__bone').exists()).toBe(false)
      expect(wrapper.get('.uct-contact-card').attributes('aria-busy')).toBe('true')
    })

    it('error gets { error, retry }, and retry reads again', async () => {
      const { wrapper, sim } = mountWithKit(ChainContactCard, {
        qy: { ...chainSingle, fail: { getCurCorpGroupContact: 'qy__getCurCorpGroupContact:fail no permission' } },
        slots: { error: (p: any) => h('button', { class: 'mine', onClick: p.retry }, p.error.code) },
      })
      await vi.waitFor(() => expect(wrapper.find('.mine').text()).toBe('NO_PERMISSION'))
      expect(wrapper.find('.uct-card__retry').exists()).toBe(false)
      sim!.state.fail = {}
      await wrapper.get('.mine').trigger('click')
      await vi.waitFor(() => expect(wrapper.find('.uct-card__title').text()).toBe('lisi'))
      expect(sim!.count('getCurCorpGroupContact')).toBe(2)
    })
  })

  describe('language', () => {
    it('follows the locale option and a switch at run time', async () => {
      const { wrapper, i18n } = mountWithKit(ChainContactCard, {
        qy: { ...chainSingle, fail: { getCurCorpGroupContact: 'qy__getCurCorpGroupContact:fail no permission' } },
        kit: { locale: 'en', messages: { en: chainToolbarEn } },
      })
      await vi.waitFor(() => expect(wrapper.find('.uct-card--error').exists()).toBe(true))
      expect(wrapper.get('.uct-contact-card').attributes('aria-label')).toBe('Chain contact')
      expect(wrapper.get('[role="alert"]').text()).toContain("Couldn't load the contact")
      expect(wrapper.get('button').text()).toBe('Retry')

      i18n().setLocale('zh-CN')
      await flushPromises()
      expect(wrapper.get('.uct-contact-card').attributes('aria-label')).toBe('上下游联系人')
      expect(wrapper.get('button').text()).toBe('重试')
    })

    it('uses the app’s own strings', async () => {
      const { wrapper } = mountWithKit(ChainContactCard, {
        qy: chainSingle,
        kit: { messages: { 'zh-CN': { 'contact.avatar': '{name} 的照片' } } },
      })
      // The skeleton's bone is a .uct-avatar too: wait for the loaded card.
      await vi.waitFor(() => expect(wrapper.find('.uct-card--loaded').exists()).toBe(true))
      expect(wrapper.get('.uct-avatar').attributes('aria-label')).toBe('lisi 的照片')
    })
  })

  describe('theme', () => {
    async function loadedCard(script = chainSingle, kit: KitMountOptions<typeof ChainContactCard>['kit'] = {}) {
      const mounted = mountWithKit(ChainContactCard, { qy: script, kit })
      await vi.waitFor(() => expect(mounted.wrapper.find('.uct-card--loaded').exists()).toBe(true))
      applyComponentCss('chain-contact-card', mounted.wrapper.element as Element)
      const card = mounted.wrapper.element as HTMLElement
      const style = () => freshStyle(card)
      const title = () => freshStyle(card.querySelector('.uct-card__title')!)
      return { ...mounted, card, style, title }
    }

    it('stays light on a dark system in an app that has not opted in to dark mode', async () => {
      stubUni({ darkmode: false, system: 'dark' })
      prefersColorScheme('dark')
      const { style, title } = await loadedCard()
      expect(style().backgroundColor).toBe('#ffffff')
      expect(title().color).toBe('#1f2329')
    })

    it('turns dark with the system in an app that opted in (manifest darkmode), and back', async () => {
      const system = stubUni({ darkmode: true, system: 'dark' })
      const { style, title } = await loadedCard()
      expect(style().backgroundColor).toBe('#1f2022')
      expect(title().color).toBe('#e8eaed')
      system.setSystemTheme('light')
      await nextTick()
      expect(style().backgroundColor).toBe('#ffffff')
      system.setSystemTheme('dark')
      await nextTick()
      expect(style().backgroundColor).toBe('#1f2022')
    })

    it('is forced by the theme option: dark on a light-only app, light on a dark one', async () => {
      const system = stubUni({ darkmode: false, system: 'light' })
      const dark = await loadedCard(chainSingle, { theme: 'dark' })
      expect(dark.style().backgroundColor).toBe('#1f2022')
      system.setSystemTheme('light')
      await nextTick()
      expect(dark.style().backgroundColor).toBe('#1f2022')
      stubUni({ darkmode: true, system: 'dark' })
      const light = await loadedCard(chainSingle, { theme: 'light' })
      expect(light.style().backgroundColor).toBe('#ffffff')
    })

    it('stops listening to the system when the app unmounts', async () => {
      const system = stubUni({ darkmode: true, system: 'dark' })
      const { wrapper } = await loadedCard()
      expect(system.themeListeners.size).toBe(1)
      ;(wrapper.vm as any).$.appContext.app.unmount()
      expect(system.themeListeners.size).toBe(0)
    })

    it('turns dark under an ancestor with uct-theme-dark, or with the class on the card itself', async () => {
      const { wrapper, container, style, title } = await loadedCard()
      container.className = 'uct-theme-dark'
      expect(style().backgroundColor).toBe('#1f2022')
      expect(title().color).toBe('#e8eaed')
      container.className = ''
      expect(style().backgroundColor).toBe('#ffffff')
      wrapper.element.classList.add('uct-theme-dark')
      expect(style().backgroundColor).toBe('#1f2022')
    })

    it('takes the app’s variables: --uct-color-* for light, --uct-dark-color-* for dark, --uct-card-* for the card', async () => {
      const { container, style, title } = await loadedCard()
      container.style.setProperty('--uct-color-text', '#112233')
      container.style.setProperty('--uct-dark-color-text', '#ddeeff')
      container.style.setProperty('--uct-dark-color-surface', '#000000')
      container.style.setProperty('--uct-card-radius', '2px')
      expect(title().color).toBe('#112233')
      expect(style().backgroundColor).toBe('#ffffff')
      expect(style().borderRadius).toBe('2px')
      container.classList.add('uct-theme-dark')
      expect(style().backgroundColor).toBe('#000000')
      expect(title().color).toBe('#ddeeff')
      container.classList.remove('uct-theme-dark')
      expect(style().backgroundColor).toBe('#ffffff')
      container.style.setProperty('--uct-card-bg', '#123456')
      expect(style().backgroundColor).toBe('#123456')
    })

    it('keeps every line inside the card: ellipsis, no minimum width', async () => {
      const { card } = await loadedCard()
      const body = getComputedStyle(card.querySelector('.uct-card__body')!)
      expect(body.minWidth).toBe('0')
      for (const line of card.querySelectorAll('.uct-card__title, .uct-card__subtitle')) {
        const s = getComputedStyle(line)
        expect([s.overflow, s.whiteSpace, s.textOverflow]).toEqual(['hidden', 'nowrap', 'ellipsis'])
      }
      expect(getComputedStyle(card).maxWidth).toBe('100%')
      expect(getComputedStyle(card).width).toBe('100%')
    })
  })
})
