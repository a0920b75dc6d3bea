// `npm run bench`, time to name: how long a person at the toolbar waits for the contact's NAME, under a
// latency model written down here, on a virtual clock (vitest's fake timers): every figure is the sum of
// the model's steps on the critical path, the same on every machine and every run.
//
// Side by side, on the same scripted hosts (a scripted wx.qy; the real @wecom/jssdk on a scripted
// WeixinJSBridge):
// - a hand-written page, as WeCom sidebar projects write them: every step after the one before
//   (H5: load the SDK → ww.register → agentConfig → getContext → getCurCorpGroupContact → fetch the
//   profile; mini program: checkSession → getContext → getCurCorpGroupContact → fetch the profile), the
//   page signing again on every route it opens, nothing kept between opens;
// - the kit (createChainToolbar + useChainContact), with its persisted profile cache, and with
//   `profileCache: false` (memory only).
// First open: nothing in storage. Repeat open: the page (H5) or mini program was closed and opened again:
// a new app, the same storage; on H5 the SDK chunk then comes from the HTTP cache.
import { createApp, defineComponent, h, ref, watch, type Component } from 'vue'
import { createPinia } from 'pinia'
import { vi } from 'vitest'
import { createChainToolbar, createMiniProgramHost, createWebHost, useChainContact, type ChainToolbarOptions } from '../index'
import { createScriptedQy } from '../tests/support/scripted-qy'
import { enterWeComBrowser, WECOM_UA } from '../tests/support/scripted-bridge'
import { createUniStorage } from '../tests/support/uni-storage'

/**
 * The latency model, in ms per step: figures chosen as typical for a phone on a
 * mobile network in mainland China; not measured on a real client. Where each comes from:
 */
export const MODEL = {
  /** The lazy @wecom/jssdk chunk (~4.8 KB gzip) from the web server: one HTTPS round trip. 0 on a repeat open (HTTP cache). */
  'SDK chunk': 100,
  /** The app's server signs the page URL (jsapi ticket cached there): one HTTPS round trip. */
  getSignature: 120,
  /** The WeCom client checks the signature with WeCom's servers: one round trip from the client. */
  agentConfig: 150,
  /** Answered by the client itself (no network): a bridge / IPC hop. */
  getContext: 30,
  /** Answered by the client itself: a bridge / IPC hop (the same as getContext). */
  getSystemInfo: 30,
  /** The client checks the session_key it holds: a bridge / IPC hop. */
  checkSession: 30,
  /** The client looks the chat's contact up (it may ask WeCom's servers): longer than a local hop. */
  getCurCorpGroupContact: 80,
  /** The app's resolveContact: its server asks WeCom's API for the name: one HTTPS round trip and more. */
  resolveContact: 150,
} as const
type Step = keyof typeof MODEL

const ENTRY = 'chain_single_chat_tools'
const CONTACT = { corpId: 'wwdownstream', userId: 'lisi' }
const NAME = '李四'
const SIGNATURE = { timestamp: 1414587457, nonceStr: 'Wm3WZYTPz0wzccnW', signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' }

export interface TimeToNameRow {
  host: 'mini program' | 'H5'
  page: 'hand-written' | 'kit' | 'kit, profileCache: false'
  open: 'first' | 'repeat'
  /** Activation (the page mounted) → the name on screen, under the model. */
  ms: number
  /** ms / the hand-written page's ms for the same host and open. */
  ratio: number
  /** The steps started before the name was on screen, `∥` where in flight together. */
  path: string
}

/** Every step started and when, on the virtual clock. */
function createSteps() {
  const started: { step: string; at: number }[] = []
  const wait = (step: Step | string, ms: number) => {
    started.push({ step, at: Date.now() })
    return new Promise<void>((resolve) => setTimeout(resolve, ms))
  }
  /** The steps that started before `until`, grouped by start time. */
  const path = (from: number, until: number) => {
    const groups = new Map<number, string[]>()
    for (const { step, at } of started) if (at >= from && at < until) groups.set(at, [...(groups.get(at) ?? []), step])
    return [...groups.values()].map((steps) => steps.join(' ∥ ')).join(' → ')
  }
  return { wait, path }
}
type Steps = ReturnType<typeof createSteps>

/** A scripted wx.qy whose every call answers after the model's time for it. */
function modelQy(steps: Steps) {
  const sim = createScriptedQy({ entry: ENTRY, version: '4.1.22', contact: CONTACT, latencyMs: 0, sessionValid: true })
  const qy: Record<string, unknown> = {}
  for (const [api, fn] of Object.entries(sim.qy)) {
    qy[api] =
      typeof fn !== 'function' || api === 'canIUse'
        ? fn
        : (options: unknown) => void steps.wait(api, MODEL[api as Step] ?? 0).then(() => (fn as (o: unknown) => void)(options))
  }
  return qy
}

/** The WeCom browser with a scripted bridge whose every invoke answers after the model's time, and a fresh SDK. */
async function modelBrowser(steps: Steps) {
  vi.resetModules()
  const scripted = enterWeComBrowser(WECOM_UA, { entry: ENTRY, contact: CONTACT, latencyMs: 0 })
  const invoke = scripted.bridge.invoke
  scripted.bridge.invoke = (name, params, callback) =>
    void steps.wait(name, MODEL[name as Step] ?? 0).then(() => invoke(name, params, callback))
  // Imported before the clock starts (a real module load): the model charges the chunk's time instead.
  const sdk = await import('../src/host/wecom-sdk')
  return sdk as any
}

const leaveBrowser = () => delete (window as any).WeixinJSBridge

/** A page that shows the name; `shownAt` is when the name was on screen (after Vue patched the DOM). */
function probe(useName: () => { value: string | null | undefined }) {
  const state = { shownAt: 0 }
  const component = defineComponent({
    setup() {
      const name = useName()
      const el = ref<Element>()
      watch(
        () => name.value,
        () => {
          if (!state.shownAt && el.value?.textContent?.includes(NAME)) state.shownAt = Date.now()
        },
        { flush: 'post' },
      )
      return () => h('view', { ref: el }, name.value ?? '')
    },
  })
  return { component, state }
}

/** Mounts `root`, runs the virtual clock until the name is on screen; returns the ms and the path. */
async function open(root: Component, state: { shownAt: number }, steps: Steps, install?: ChainToolbarOptions) {
  const app = createApp(root)
  app.use(createPinia())
  if (install) app.use(createChainToolbar(install))
  const el = document.createElement('div')
  document.body.appendChild(el)
  const start = Date.now()
  app.mount(el)
  for (let i = 0; i < 200 && !state.shownAt; i++) await vi.advanceTimersToNextTimerAsync()
  if (!state.shownAt) throw new Error('time to name: the name never showed')
  const result = { ms: state.shownAt - start, path: steps.path(start, state.shownAt) }
  // Let what is still in flight (the kit's refresh from the resolver) finish before the next open.
  await vi.runAllTimersAsync()
  app.unmount()
  el.remove()
  return result
}

const resolverOf = (steps: Steps) => async () => {
  await steps.wait('resolveContact', MODEL.resolveContact)
  return { name: NAME, corpName: '下游企业' }
}

function kitProbe() {
  return probe(() => {
    const { profile } = useChainContact()
    return {
      get value() {
        return profile.value?.name as string | undefined
      },
    }
  })
}

async function handWrittenMiniProgram() {
  const steps = createSteps()
  const qy = modelQy(steps)
  const call = (api: string) => new Promise<any>((resolve, reject) => (qy[api] as (o: object) => void)({ success: resolve, fail: reject }))
  const resolve = resolverOf(steps)
  const { component, state } = probe(() => {
    const name = ref<string | null>(null)
    void (async () => {
      await call('checkSession') // valid here; an expired one adds login + the app's server
      const context = await call('getContext')
      if (context.entry !== ENTRY) return
      await call('getCurCorpGroupContact')
      name.value = (await resolve()).name
    })()
    return name
  })
  return open(component, state, steps)
}

async function handWrittenWeb(first: boolean) {
  const steps = createSteps()
  const sdk = await modelBrowser(steps)
  const resolve = resolverOf(steps)
  const { component, state } = probe(() => {
    const name = ref<string | null>(null)
    void (async () => {
      await steps.wait('SDK chunk', first ? MODEL['SDK chunk'] : 0)
      // Every route registers again, with a signature for its URL.
      sdk.register({
        corpId: 'wwupstream',
        agentId: 1000002,
        jsApiList: ['getContext', 'getCurCorpGroupContact'],
        getAgentConfigSignature: async () => {
          await steps.wait('getSignature', MODEL.getSignature)
          return SIGNATURE
        },
      })
      const context = await sdk.getContext()
      if (context.entry !== ENTRY) return
      await sdk.getCurCorpGroupContact({})
      name.value = (await resolve()).name
    })()
    return name
  })
  try {
    return await open(component, state, steps)
  } finally {
    leaveBrowser()
  }
}

async function kitMiniProgram(profileCache: ChainToolbarOptions['profileCache']) {
  const steps = createSteps()
  const host = createMiniProgramHost({ qy: modelQy(steps), exchangeCode: () => {}, app: null })
  const { component, state } = kitProbe()
  return open(component, state, steps, { host, resolveContact: resolverOf(steps), profileCache })
}

async function kitWeb(first: boolean, profileCache: ChainToolbarOptions['profileCache']) {
  const steps = createSteps()
  const sdk = await modelBrowser(steps)
  const host = createWebHost({
    corpId: 'wwupstream',
    agentId: 1000002,
    userAgent: WECOM_UA,
    getSignature: async () => {
      await steps.wait('getSignature', MODEL.getSignature)
      return SIGNATURE
    },
    sdk: async () => {
      await steps.wait('SDK chunk', first ? MODEL['SDK chunk'] : 0)
      return sdk
    },
  })
  const { component, state } = kitProbe()
  try {
    return await open(component, state, steps, { host, resolveContact: resolverOf(steps), profileCache })
  } finally {
    leaveBrowser()
  }
}

/** Every row: both hosts, hand-written and kit (with and without the persisted cache), first and repeat open. */
export async function measureTimeToName(): Promise<TimeToNameRow[]> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  const rows: TimeToNameRow[] = []
  try {
    for (const host of ['mini program', 'H5'] as const) {
      const handWritten = { first: 0, repeat: 0 }
      const add = (page: TimeToNameRow['page'], openKind: 'first' | 'repeat', figure: { ms: number; path: string }) => {
        if (page === 'hand-written') handWritten[openKind] = figure.ms
        rows.push({
          host,
          page,
          open: openKind,
          ms: figure.ms,
          ratio: Math.round((figure.ms / handWritten[openKind]) * 100) / 100,
          path: figure.path,
        })
      }
      for (const openKind of ['first', 'repeat'] as const) {
        add('hand-written', openKind, host === 'H5' ? await handWrittenWeb(openKind === 'first') : await handWrittenMiniProgram())
      }
      for (const profileCache of [undefined, false] as const) {
        // uni storage of the device: kept from the first open to the repeat one (the app's default storage).
        vi.stubGlobal('uni', createUniStorage())
        const page = profileCache === false ? 'kit, profileCache: false' : 'kit'
        for (const openKind of ['first', 'repeat'] as const) {
          add(page, openKind, host === 'H5' ? await kitWeb(openKind === 'first', profileCache) : await kitMiniProgram(profileCache))
        }
        vi.unstubAllGlobals()
      }
    }
  } finally {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  }
  return rows
}
