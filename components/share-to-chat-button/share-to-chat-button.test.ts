import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createPinia } from 'pinia'
import { createChainToolbar, createMiniProgramHost, type ChainToolbarError, type ChatMessage } from '../../index'
import { applyComponentCss, elementsIn, freshStyle, mountWithKit, prefersColorScheme, type KitMountOptions } from '../../tests/support/components'
import { sleep } from '../../tests/support/kit'
import { stubUni } from '../../tests/support/uni-global'
import { createScriptedQy } from '../../tests/support/scripted-qy'
import ShareToChatButton from './share-to-chat-button.vue'
import { chainToolbarEn } from '../../src/locales/en'

const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22' }
const hello: ChatMessage = { msgtype: 'text', text: { content: '你好' } }

async function ready(
  qy: KitMountOptions<typeof ShareToChatButton>['qy'] = chainSingle,
  more: Omit<KitMountOptions<typeof ShareToChatButton>, 'qy'> = {},
) {
  const mounted = mountWithKit(ShareToChatButton, { qy, props: { message: hello }, ...more })
  await vi.waitFor(() => expect(mounted.wrapper.find('button').exists()).toBe(true))
  return { ...mounted, button: () => mounted.wrapper.get('button') }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('share-to-chat-button', () => {
  it('sends the message: disabled and "sending" meanwhile, then emits sent and says so', async () => {
    const { wrapper, sim, button } = await ready({ ...chainSingle, latencyMs: 30 })
    expect(button().text()).toBe('发送到当前聊天')
    expect(button().attributes('disabled')).toBeUndefined()

    await button().trigger('click')
    expect(button().attributes('disabled')).toBeDefined()
    expect(button().attributes('aria-disabled')).toBe('true')
    expect(button().attributes('aria-busy')).toBe('true')
    expect(button().text()).toBe('正在发送…')
    await button().trigger('click') // ignored while sending
    await vi.waitFor(() => expect(wrapper.emitted('sent')).toHaveLength(1))

    expect(sim!.count('sendChatMessage')).toBe(1)
    expect(sim!.calls.find((c) => c.api === 'sendChatMessage')!.params).toMatchObject(hello)
    expect(wrapper.emitted('sent')![0]).toEqual([hello])
    expect(wrapper.emitted('error')).toBeUndefined()
    expect(button().attributes('disabled')).toBeUndefined()
    expect(button().text()).toBe('发送到当前聊天')
    const outcome = wrapper.get('.uct-share__outcome')
    expect(outcome.attributes('role')).toBe('status')
    expect(outcome.text()).toBe('已发送')
  })

  it('shows the upload of content the message names as a determinate bar and percent, then sends its id', async () => {
    const steps: Array<(fraction: number) => void> = []
    let finish!: () => void
    const uploadMedia = vi.fn(
      (request: { onProgress: (fraction: number) => void }) =>
        new Promise<{ mediaid: string }>((resolve) => {
          steps.push(request.onProgress)
          finish = () => resolve({ mediaid: 'MEDIA-Q' })
        }),
    )
    const quote = new File([new Uint8Array(4096)], '报价单.pdf', { type: 'application/pdf' })
    const mounted = mountWithKit(ShareToChatButton, { qy: chainSingle, props: { message: { msgtype: 'file', file: { blob: quote } } }, kit: { uploadMedia } })
    const { wrapper, sim } = mounted
    await vi.waitFor(() => expect(wrapper.find('button').exists()).toBe(true))
    await wrapper.get('button').trigger('click')
    await vi.waitFor(() => expect(uploadMedia).toHaveBeenCalledTimes(1))
    expect(wrapper.find('.uct-share__progress').exists()).toBe(false) // nothing reported yet: no bar
    expect(wrapper.get('button').text()).toBe('正在发送…')
    steps[0](0.42)
    await flushPromises()
    expect(wrapper.get('.uct-share__progress').attributes('style')).toContain('width: 42%')
    expect(wrapper.get('button').text()).toBe('正在发送… 42%')
    finish()
    await vi.waitFor(() => expect(wrapper.emitted('sent')).toHaveLength(1))
    expect(wrapper.find('.uct-share__progress').exists()).toBe(false)
    expect(sim!.calls.find((c) => c.api === 'sendChatMessage')!.params).toMatchObject({ msgtype: 'file', file: { mediaid: 'MEDIA-Q' } })
  })

  it('sends from the keyboard (Enter or Space); not focusable while disabled', async () => {
    const { wrapper, sim, button } = await ready({ ...chainSingle, latencyMs: 20 })
    expect(button().attributes('tabindex')).toBe('0')
    await button().trigger('keydown', { key: 'a' })
    expect(button().attributes('disabled')).toBeUndefined()
    await button().trigger('keydown', { key: ' ' })
    expect(button().attributes('tabindex')).toBe('-1')
    await button().trigger('keydown', { key: 'Enter' }) // ignored while sending
    await vi.waitFor(() => expect(wrapper.emitted('sent')).toHaveLength(1))
    expect(sim!.count('sendChatMessage')).toBe(1)
    await button().trigger('keydown', { key: 'Enter' })
    await vi.waitFor(() => expect(wrapper.emitted('sent')).toHaveLength(2))
  })

  it('shows the outcome briefly', async () => {
    vi.useFakeTimers()
    const { wrapper, button } = await ready()
    await button().trigger('click')
    await vi.waitFor(() => expect(wrapper.find('.uct-share__outcome').exists()).toBe(true))
    await vi.advanceTimersByTimeAsync(2900)
    expect(wrapper.find('.uct-share__outcome').exists()).toBe(true)
    await vi.advanceTimersByTimeAsync(200)
    expect(wrapper.find('.uct-share__outcome').exists()).toBe(false)
  })

  it('leaves no timer behind when it is removed while sending', async () => {
    vi.useFakeTimers()
    const { wrapper, button } = await ready({ ...chainSingle, latencyMs: 20 })
    await button().trigger('click')
    wrapper.unmount()
    await vi.advanceTimersByTimeAsync(50)
    expect(vi.getTimerCount()).toBe(0)
  })

  it.each([
    ['qy__sendChatMessage:fail cancel', 'CANCELLED', '发送失败：已取消'],
    ['qy__sendChatMessage:fail no permission', 'NO_PERMISSION', '发送失败：应用没有权限，请联系管理员'],
  ])('emits error and announces it when the host answers "%s"', async (text, code, message) => {
    const { wrapper, button } = await ready({ ...chainSingle, fail: { sendChatMessage: text } })
    await button().trigger('click')
    await vi.waitFor(() => expect(wrapper.emitted('error')).toHaveLength(1))
    const error = wrapper.emitted<[ChainToolbarError]>('error')![0][0]
    expect(error.code).toBe(code)
    expect(error.api).toBe('sendChatMessage')
    expect(wrapper.emitted('sent')).toBeUndefined()
    const outcome = wrapper.get('.uct-share__outcome')
    expect(outcome.attributes('role')).toBe('alert')
    expect(outcome.text()).toBe(message)
    expect(button().attributes('disabled')).toBeUndefined()
  })

  it('a bad message: emits INVALID_MESSAGE and nothing reaches the host', async () => {
    const { wrapper, sim, button } = await ready(chainSingle, {
      props: {
        message: {
          msgtype: 'news',
          news: { link: 'javascript:alert(1)', title: 't', desc: 'd', imgUrl: 'https://example.com/i.png' },
        } as ChatMessage,
      },
    })
    await button().trigger('click')
    await vi.waitFor(() => expect(wrapper.emitted('error')).toHaveLength(1))
    expect(wrapper.emitted<[ChainToolbarError]>('error')![0][0].code).toBe('INVALID_MESSAGE')
    expect(wrapper.get('[role="alert"]').text()).toBe('发送失败：消息内容无效')
    await sleep(10)
    expect(sim!.count('sendChatMessage')).toBe(0)
  })

  it('disabled: the button is disabled and a click sends nothing', async () => {
    const { wrapper, sim, button } = await ready(chainSingle, { props: { message: hello, disabled: true } })
    expect(button().attributes('disabled')).toBeDefined()
    expect(button().classes()).toContain('uct-button--disabled')
    await button().trigger('click')
    await sleep(10)
    expect(sim!.count('sendChatMessage')).toBe(0)
    expect(wrapper.emitted()).not.toHaveProperty('sent')
    expect(wrapper.emitted()).not.toHaveProperty('error')
  })

  it('one send at a time: a second button is disabled while the first sends', async () => {
    const sim = createScriptedQy({ ...chainSingle, latencyMs: 30 })
    const host = createMiniProgramHost({ qy: sim.qy, exchangeCode: async () => {}, app: null })
    const Page = defineComponent(() => () => [
      h(ShareToChatButton, { message: hello, class: 'a' }),
      h(ShareToChatButton, { message: hello, class: 'b' }),
    ])
    const wrapper = mount(Page, { global: { plugins: [createPinia(), createChainToolbar({ host })] } })
    await vi.waitFor(() => expect(wrapper.findAll('button')).toHaveLength(2))
    await wrapper.get('.a button').trigger('click')
    expect(wrapper.get('.b button').attributes('disabled')).toBeDefined()
    expect(wrapper.get('.b button').text()).toBe('发送到当前聊天')
    await vi.waitFor(() => expect(wrapper.get('.a .uct-share__outcome').text()).toBe('已发送'))
    expect(wrapper.get('.b button').attributes('disabled')).toBeUndefined()
    expect(sim.count('sendChatMessage')).toBe(1)
    wrapper.unmount()
  })

  it.each([
    ['normal', '4.1.22'],
    ['contact_profile', '4.1.22'],
    ['single_chat_tools', '2.8.9'],
  ])('renders no element at all on %s with client %s', async (entry, version) => {
    // A 2.8.9 client has no getContext at all (docs/wecom-host.md §1): nothing to wait for but the kit itself.
    const { container, kit } = mountWithKit(ShareToChatButton, { qy: { entry, version }, props: { message: hello } })
    await kit!.flush()
    expect(elementsIn(container)).toHaveLength(0)
  })

  it('renders no element at all outside WeCom', async () => {
    const { container } = mountWithKit(ShareToChatButton, { qy: null, props: { message: hello } })
    await sleep(10)
    expect(elementsIn(container)).toHaveLength(0)
  })

  it('text: the app’s label, the locale’s default, and a switch at run time', async () => {
    const custom = await ready(chainSingle, { props: { message: hello, text: '发送报价' } })
    expect(custom.button().text()).toBe('发送报价')

    const { wrapper, button, i18n } = await ready(
      { ...chainSingle, fail: { sendChatMessage: 'qy__sendChatMessage:fail cancel' } },
      { kit: { locale: 'en', messages: { en: chainToolbarEn } } },
    )
    expect(button().text()).toBe('Send to this chat')
    await button().trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toBe('Not sent: Cancelled')
    i18n().setLocale('zh-CN')
    await flushPromises()
    expect(button().text()).toBe('发送到当前聊天')
    expect(wrapper.get('[role="alert"]').text()).toBe('发送失败：已取消')
  })

  it('uses the app’s own strings', async () => {
    const { button } = await ready(chainSingle, {
      kit: { locale: 'en-GB', messages: { 'en-GB': { 'share.button': 'Post to this chat' } } },
    })
    expect(button().text()).toBe('Post to this chat')
  })

  it('themes the button: light (also on a dark system), dark (opt-in and class), app variables, disabled colours; 44 px', async () => {
    const system = stubUni({ darkmode: false, system: 'dark' })
    prefersColorScheme('dark')
    const { wrapper, container, button } = await ready()
    applyComponentCss('share-to-chat-button', wrapper.element as Element)
    const style = () => freshStyle(button().element)
    expect([style().backgroundColor, style().color]).toEqual(['#0a66e6', '#ffffff'])
    expect([style().minHeight, style().minWidth]).toEqual(['44px', '44px'])
    container.className = 'uct-theme-dark'
    expect([style().backgroundColor, style().color]).toEqual(['#5b9dff', '#0b1629'])
    container.className = ''
    expect(style().backgroundColor).toBe('#0a66e6')
    system.setSystemTheme('dark') // H5 tells of it even so: still light
    await flushPromises()
    expect(style().backgroundColor).toBe('#0a66e6')
    container.className = 'uct-theme-dark'
    container.style.setProperty('--uct-button-bg', '#07c160')
    expect(style().backgroundColor).toBe('#07c160')

    await wrapper.setProps({ disabled: true })
    applyComponentCss('share-to-chat-button', wrapper.element as Element)
    container.style.removeProperty('--uct-button-bg')
    expect(style().backgroundColor).toBe('#33363a')
  })

  it('takes its content from the default slot, which knows when this button sends', async () => {
    const { wrapper, button } = await ready(
      { ...chainSingle, latencyMs: 30 },
      {
        slots: { default: (p: { sending: boolean }) => h('text', { class: 'mine' }, p.sending ? '报价发送中' : '发送报价') },
      },
    )
    expect(button().get('.mine').text()).toBe('发送报价')
    await button().trigger('click')
    expect(button().get('.mine').text()).toBe('报价发送中')
    expect(button().attributes('aria-busy')).toBe('true')
    await vi.waitFor(() => expect(wrapper.emitted('sent')).toHaveLength(1))
    expect(button().get('.mine').text()).toBe('发送报价')
  })

  it('block: as wide as its parent; size mini: uni’s mini button with a 32 px hit target', async () => {
    const { wrapper, container, button } = await ready(chainSingle, { props: { message: hello, block: true, size: 'mini' } })
    container.style.width = '300px'
    applyComponentCss('share-to-chat-button', wrapper.element as Element)
    expect(wrapper.classes()).toContain('uct-share--block')
    expect(freshStyle(wrapper.element).alignItems).toBe('stretch')
    expect(button().attributes('size')).toBe('mini')
    const style = freshStyle(button().element)
    expect([style.minHeight, style.fontSize]).toEqual(['32px', '12px'])
    await wrapper.setProps({ block: false, size: 'default' })
    expect(wrapper.classes()).not.toContain('uct-share--block')
    expect(freshStyle(button().element).minHeight).toBe('44px')
  })

  it('puts customClass and customStyle on its root', async () => {
    const { wrapper } = await ready(chainSingle, { props: { message: hello, customClass: 'quote-share', customStyle: 'margin-top: 7px' } })
    expect(wrapper.classes()).toEqual(expect.arrayContaining(['uct-root', 'uct-share', 'quote-share']))
    expect(wrapper.attributes('style')).toContain('margin-top: 7px')
  })

  it('announces the outcome with role (and aria-role in the mini program only)', async () => {
    const { wrapper, button } = await ready()
    await button().trigger('click')
    const outcome = await vi.waitFor(() => wrapper.get('.uct-share__outcome'))
    expect(outcome.attributes('role')).toBe('status')
    expect(outcome.attributes('aria-role')).toBe(process.env.UNI_PLATFORM === 'mp-weixin' ? 'status' : undefined)
  })
})
