// Installing the kit starts the first activation inside WeCom, so it overlaps uni's boot and the first page's
// chunk; the first page's consumers join it. Outside WeCom installing starts nothing.
import { createApp, defineComponent, h, ref, type Component } from 'vue'
import { createPinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createChainToolbar, createMiniProgramHost, createWebHost, useChainContact, useEntry, type ChainToolbarOptions } from '../index'
import { appEvents, miniProgram, sleep } from '../tests/support/kit'
import { enterWeComBrowser, WECOM_UA } from '../tests/support/scripted-bridge'

const ZHANG = { corpId: 'wwdown', userId: 'zhangwei' }
const last = (seen: unknown[]) => seen[seen.length - 1]
const LI = { corpId: 'wwother', userId: 'lina' }

/** An app as main.ts makes it: Pinia, then the kit. Its page (`show`) mounts when the test says. */
function installApp(options: ChainToolbarOptions, page: Component) {
  const show = ref(false)
  const app = createApp(defineComponent({ setup: () => () => (show.value ? h(page) : null) }))
  const pinia: Pinia = createPinia()
  app.use(pinia)
  app.use(createChainToolbar(options))
  const el = document.createElement('div')
  apps.push(app)
  return {
    pinia,
    /** uni has booted and routed: the first page mounts. */
    mountPage() {
      app.mount(el)
      show.value = true
    },
  }
}
const apps: ReturnType<typeof createApp>[] = []
afterEach(() => {
  for (const app of apps.splice(0)) app.unmount()
})

/** A page with three components that each show the contact. */
const contactPage = (seen: Array<unknown>) => {
  const Consumer = defineComponent({
    setup() {
      const { contact } = useChainContact()
      const { entry } = useEntry()
      return () => {
        seen.push(contact.value && `${contact.value.userId}@${entry.value}`)
        return null
      }
    },
  })
  return defineComponent({ setup: () => () => [h(Consumer), h(Consumer), h(Consumer)] })
}

describe('start at install (mini program)', () => {
  it('asks for the entry when installed, before any page mounts; the first page joins that activation', async () => {
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: ZHANG })
    const seen: unknown[] = []
    const app = installApp({ host: mp.host }, contactPage(seen))
    await sleep(5)
    expect(mp.count('getContext')).toBe(1)
    // Only the entry: the contact waits for a component that uses it.
    expect(mp.count('getCurCorpGroupContact')).toBe(0)
    app.mountPage()
    await vi.waitFor(() => expect(last(seen)).toBe('zhangwei@chain_single_chat_tools'))
    expect(mp.count('getContext')).toBe(1)
    expect(mp.count('getCurCorpGroupContact')).toBe(1)
  })

  it('starts nothing with startAtInstall: false, until the first consumer mounts', async () => {
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: ZHANG })
    const seen: unknown[] = []
    const app = installApp({ host: mp.host, startAtInstall: false }, contactPage(seen))
    await sleep(5)
    expect(mp.calls).toHaveLength(0)
    app.mountPage()
    await vi.waitFor(() => expect(last(seen)).toBe('zhangwei@chain_single_chat_tools'))
    expect(mp.count('getContext')).toBe(1)
  })

  it('starts nothing outside WeCom: no host call, no store', async () => {
    const seen: unknown[] = []
    const app = installApp({ host: createMiniProgramHost({ qy: null }) }, contactPage(seen))
    await sleep(5)
    expect(app.pinia.state.value).toEqual({})
    expect((app.pinia as unknown as { _s: Map<string, unknown> })._s.size).toBe(0)
  })

  it("the launch show is the install's activation: one getContext", async () => {
    const events = appEvents()
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: ZHANG }, { app: events })
    const seen: unknown[] = []
    const app = installApp({ host: mp.host }, contactPage(seen))
    // WeChat shows the app at launch: a show with no hide before it (docs/wecom-host.md §2).
    events.show()
    app.mountPage()
    await vi.waitFor(() => expect(last(seen)).toBe('zhangwei@chain_single_chat_tools'))
    await sleep(10)
    expect(mp.count('getContext')).toBe(1)
  })

  it('a page shown from another chat before the first page mounts is a new activation, as any switch', async () => {
    const events = appEvents()
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: ZHANG, latencyMs: 5 }, { app: events })
    const seen: unknown[] = []
    const app = installApp({ host: mp.host }, contactPage(seen))
    // The rep leaves for another chain chat while the first activation is still asking.
    Object.assign(mp.state, { contact: LI })
    events.cycle()
    app.mountPage()
    await vi.waitFor(() => expect(last(seen)).toBe('lina@chain_single_chat_tools'))
    await sleep(20)
    expect(seen).not.toContain('zhangwei@chain_single_chat_tools')
    expect(mp.count('getContext')).toBe(2)
    expect(mp.count('getCurCorpGroupContact')).toBe(1)
  })
})

describe('start at install (H5, the real @wecom/jssdk)', () => {
  const ordinaryUA = navigator.userAgent
  beforeEach(() => vi.resetModules())
  afterEach(() => {
    Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
    delete (window as { WeixinJSBridge?: unknown }).WeixinJSBridge
  })
  const signature = { timestamp: 1414587457, nonceStr: 'Wm3WZYTPz0wzccnW', signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' }

  it('signs, registers and asks for the entry when installed; the page joins with one getContext', async () => {
    const wecom = enterWeComBrowser(WECOM_UA, { entry: 'chain_single_chat_tools', contact: ZHANG })
    const getSignature = vi.fn(async () => signature)
    const seen: unknown[] = []
    const app = installApp({ host: createWebHost({ corpId: 'wwup', agentId: 1000002, getSignature }) }, contactPage(seen))
    await vi.waitFor(() => expect(wecom.order()).toEqual(['agentConfig', 'getContext']), { timeout: 5000 })
    expect(getSignature).toHaveBeenCalledTimes(1)
    app.mountPage()
    await vi.waitFor(() => expect(last(seen)).toBe('zhangwei@chain_single_chat_tools'))
    expect(wecom.order()).toEqual(['agentConfig', 'getContext', 'getCurCorpGroupContact'])
  })

  it('outside WeCom loads no SDK and asks for no signature', async () => {
    const sdk = vi.fn(async () => ({}) as never)
    const getSignature = vi.fn(async () => signature)
    installApp({ host: createWebHost({ corpId: 'wwup', agentId: 1000002, getSignature, sdk }) }, contactPage([]))
    await sleep(10)
    expect(sdk).not.toHaveBeenCalled()
    expect(getSignature).not.toHaveBeenCalled()
  })
})
