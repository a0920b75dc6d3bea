// uni-chain-toolbar/testing: app developers test their own toolbar pages in one line, as @pinia/testing
// does for stores. The kit runs unchanged (its store, composables, components and host adapters) on the
// simulated WeCom client, at the outermost edge only. Framework-agnostic (no vitest or jest import), and
// it touches no global: the mini program host gets the simulated `qy` and app events passed in; the web
// host gets a fresh instance of the real @wecom/jssdk evaluated with its own window (the SDK reads the
// user agent and the bridge when its module is evaluated, docs/wecom-host.md §3).
// Only for Node-based test runners (vitest, jest): never import it from app code.
// Node's types are optional in an app (uni's src/ template has none, and the uni_modules form puts this file
// under src/, where the app's type check reads it): these imports type-check without them.
/* eslint-disable @typescript-eslint/ban-ts-comment */
// @ts-ignore
import { readFileSync } from 'node:fs'
// @ts-ignore
import { createRequire } from 'node:module'
// @ts-ignore
import { join } from 'node:path'
/* eslint-enable @typescript-eslint/ban-ts-comment */
declare const process: { cwd(): string }
import { nextTick, type App, type Component, type Plugin } from 'vue'
import { createPinia, type Pinia, type PiniaPluginContext } from 'pinia'
import {
  createChainToolbar,
  createMiniProgramHost,
  createWebHost,
  useChainToolbarStore,
  type ChainHost,
  type ChainToolbarOptions,
  type WeComSdk,
} from '../src/index'
import { resolveOptions } from '../src/options'
import { createSimulatedClient, type SimulatedClient, type SimulatorCall, type SimulatorScenario } from '../simulator/index'
import ChainContactCard from '../components/chain-contact-card/chain-contact-card.vue'
import ChainEntryGate from '../components/chain-entry-gate/chain-entry-gate.vue'
import ChainGroupCard from '../components/chain-group-card/chain-group-card.vue'
import ShareToChatButton from '../components/share-to-chat-button/share-to-chat-button.vue'

export type { SimulatedClient, SimulatorCall, SimulatorScenario }

export interface TestingChainToolbarOptions extends Omit<ChainToolbarOptions, 'host'> {
  /** How the simulated WeCom client answers (the simulator's scenario). `latencyMs` defaults to 0. */
  scenario?: Partial<SimulatorScenario>
  /**
   * Which of the kit's hosts runs on the simulated client. `'mini-program'` (default): the mini program
   * host on the simulated `wx.qy`. `'web'`: the H5 host on the real @wecom/jssdk over the simulated bridge.
   */
  host?: 'mini-program' | 'web'
}

/** A Vue plugin: `mount(Page, { global: { plugins: [kit] } })`. */
export interface TestingChainToolbar {
  install(app: App): void
  /** The simulated WeCom client. */
  readonly client: SimulatedClient
  /** Every host call with its parameters and answer (reactive), oldest first. `at` typed for any `lib` (Node has it). */
  readonly log: readonly SimulatorCall[] & { at(index: number): SimulatorCall | undefined }
  /** How the client answers from the next call on (failures, latency, hung APIs, …); no new activation. */
  set(patch: Partial<SimulatorScenario>): void
  /** The user opens the page from another chat: applies the patch, starts a new activation, resolves when it settled. */
  openFromAnotherChat(patch?: Partial<SimulatorScenario>): Promise<void>
  /** Resolves when every host call, resolver and re-render in flight has settled. */
  flush(): Promise<void>
}

/** The four components, under the names easycom gives them in a uni-app project. */
const COMPONENTS: ReadonlyArray<[string, string, Component]> = [
  ['chain-contact-card', 'ChainContactCard', ChainContactCard],
  ['chain-group-card', 'ChainGroupCard', ChainGroupCard],
  ['share-to-chat-button', 'ShareToChatButton', ShareToChatButton],
  ['chain-entry-gate', 'ChainEntryGate', ChainEntryGate],
]

const PREFIX = '[uni-chain-toolbar/testing]'
const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/**
 * The kit on a simulated WeCom client, as one Vue plugin: installs Pinia when the app has none, the kit
 * (`createChainToolbar`) on the simulated client, and the four components under their easycom names.
 */
export function createTestingChainToolbar(options: TestingChainToolbarOptions = {}): TestingChainToolbar {
  const { scenario, host: form = 'mini-program', ...kitOptions } = options
  if (form !== 'mini-program' && form !== 'web') throw new TypeError(`${PREFIX} host must be 'mini-program' or 'web', got ${String(form)}`)
  const started = Date.now()
  const client = createSimulatedClient({ latencyMs: 0, ...scenario })
  const { timeoutMs } = resolveOptions(kitOptions)

  /** The app's callbacks in flight (resolvers, signature, code exchange): flush() waits for them. */
  const inFlight = new Set<Promise<unknown>>()
  function tracked<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => Promise<Awaited<R>> {
    return (...args) => {
      const run = Promise.resolve().then(() => fn(...args)) as Promise<Awaited<R>>
      inFlight.add(run)
      run.then(
        () => inFlight.delete(run),
        () => inFlight.delete(run),
      )
      return run
    }
  }

  const host = form === 'web' ? webHost(client, kitOptions, tracked) : miniProgramHost(client, kitOptions, tracked)
  const toolbar = createChainToolbar({
    ...kitOptions,
    resolveContact: kitOptions.resolveContact && tracked(kitOptions.resolveContact),
    resolveChat: kitOptions.resolveChat && tracked(kitOptions.resolveChat),
    host: host.host,
  })

  /** A call still to be answered (a hung one until the kit's deadline has passed for it). */
  const answering = (call: SimulatorCall) =>
    call.status === 'pending' || (call.status === 'hung' && started + call.at + timeoutMs >= Date.now())

  async function flush(): Promise<void> {
    // Bounded: a call that never answers is cut by the kit's own deadline (timeoutMs), then flush gives up.
    const limit = timeoutMs + Math.max(0, client.scenario.latencyMs) + 2000
    const deadline = Date.now() + limit
    // Two quiet turns in a row: an answer often starts the next call (entry, then contact) a turn later.
    for (let quiet = 0; quiet < 2; ) {
      await macrotask()
      await nextTick()
      if (client.log.some(answering) || inFlight.size) {
        quiet = 0
        if (Date.now() > deadline) {
          const open = client.log.filter(answering).map((call) => call.api)
          if (inFlight.size) open.push(`${inFlight.size} app callback(s)`)
          throw new Error(`${PREFIX} flush() gave up after ${limit} ms: still waiting for ${open.join(', ')}`)
        }
      } else quiet++
    }
    await nextTick()
  }

  return {
    install(app: App) {
      const globals = app.config.globalProperties as { $pinia?: Pinia }
      if (!globals.$pinia) app.use(createPinia())
      keepKitActionsReal(globals.$pinia!)
      app.use(toolbar as Plugin)
      for (const [kebab, pascal, component] of COMPONENTS) {
        if (!app.component(kebab)) app.component(kebab, component)
        if (!app.component(pascal)) app.component(pascal, component)
      }
    },
    client,
    log: client.log as unknown as TestingChainToolbar['log'],
    set: (patch) => client.set(patch),
    async openFromAnotherChat(patch = {}) {
      // What the client does: the page goes to the background, the chat changes, the page comes back.
      await flush()
      host.leave()
      client.set(patch)
      host.comeBack()
      await flush()
    },
    flush,
  }
}

type Tracker = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => Promise<Awaited<R>>

interface TestingHost {
  host: ChainHost
  leave(): void
  comeBack(): void
}

/** The mini program host on the simulated `qy`, with app show events the kit fires itself. */
function miniProgramHost(client: SimulatedClient, options: ChainToolbarOptions, tracked: Tracker): TestingHost {
  const shown = new Set<() => void>()
  const host = createMiniProgramHost({
    qy: client.qy,
    // The simulated login makes the session valid; an app's own exchangeCode runs (and is waited for) when given.
    exchangeCode: tracked(options.miniProgram?.exchangeCode ?? (() => undefined)),
    app: { onAppShow: (listener) => shown.add(listener), offAppShow: (listener) => shown.delete(listener) },
  })
  return {
    host,
    leave() {},
    comeBack() {
      for (const listener of [...shown]) listener()
    },
  }
}

const SIGNATURE = { timestamp: 1700000000, nonceStr: 'testing', signature: 'testing' }

/** The web host on a fresh, private instance of the real @wecom/jssdk talking to the simulated bridge. */
function webHost(client: SimulatedClient, options: ChainToolbarOptions, tracked: Tracker): TestingHost {
  const base = typeof navigator !== 'undefined' && navigator.userAgent ? navigator.userAgent : 'Mozilla/5.0'
  const userAgent = `${base.replace(/\s*wxwork\/[\d.]+/gi, '')} wxwork/${client.scenario.version} Language/zh`
  const web = options.web ?? { corpId: 'wwtesting', agentId: 1000002 }
  const sign = web.getAgentConfigSignature ?? web.getSignature ?? (() => SIGNATURE)
  const host = createWebHost({
    ...web,
    getAgentConfigSignature: tracked(sign),
    getSignature: undefined,
    userAgent,
    sdk: async () => loadSdk(client, userAgent),
  })
  return {
    host,
    leave: () => setVisibility('hidden'),
    comeBack() {
      try {
        setVisibility('visible')
      } finally {
        // The document's own visibility again: nothing left behind.
        if (typeof document !== 'undefined') {
          delete (document as any).visibilityState
          delete (document as any).hidden
        }
      }
    },
  }
}

/** The WeCom browser hides the page when the user leaves the chat, and shows it again from the next one. */
function setVisibility(state: 'hidden' | 'visible') {
  if (typeof document === 'undefined') return
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' })
  document.dispatchEvent(new Event('visibilitychange'))
}

let sdkSource: { code: string; require: ReturnType<typeof createRequire> } | null = null

/** The SDK's CommonJS build, found from the project (or through the kit's own package). */
function readSdk() {
  if (sdkSource) return sdkSource
  const fromProject = createRequire(join(process.cwd(), 'package.json'))
  const bases = [fromProject]
  try {
    bases.push(createRequire(fromProject.resolve('uni-chain-toolbar/package.json')))
  } catch {
    // The uni_modules form: the project installs @wecom/jssdk itself.
  }
  for (const require of bases) {
    try {
      const file = require.resolve('@wecom/jssdk')
      return (sdkSource = { code: readFileSync(file, 'utf8'), require })
    } catch {
      // next
    }
  }
  throw new Error(`${PREFIX} host: 'web' needs @wecom/jssdk installed in the project (npm i -D @wecom/jssdk)`)
}

/**
 * A fresh instance of the real SDK for one kit: evaluated with its own `window` (holding the simulated
 * bridge), `navigator` (a WeCom user agent) and `location`, so it finds the bridge and WeCom at once and
 * no global is set. Its state (registration, agentConfig) belongs to this kit alone.
 */
function loadSdk(client: SimulatedClient, userAgent: string): WeComSdk {
  const { code, require } = readSdk()
  const module = { exports: {} as Record<string, unknown> }
  const scope = {
    window: { WeixinJSBridge: client.bridge },
    document: typeof document !== 'undefined' ? document : undefined,
    navigator: { userAgent, platform: '', maxTouchPoints: 0 },
    location: typeof location !== 'undefined' ? location : { href: 'http://localhost/' },
  }
  const evaluate = new Function('module', 'exports', 'require', ...Object.keys(scope), code)
  evaluate(module, module.exports, require, ...Object.values(scope))
  return module.exports as unknown as WeComSdk
}

/**
 * `createTestingPinia()` (its default `stubActions`) replaces every store action by an empty spy: the
 * kit's own store would then do nothing. Its actions keep their real code (the spies still record calls).
 */
function keepKitActionsReal(pinia: Pinia) {
  if (!(pinia as { _testing?: boolean })._testing) return
  pinia.use(({ store, options }: PiniaPluginContext) => {
    if (store.$id !== useChainToolbarStore.$id) return
    for (const [name, real] of Object.entries(options.actions ?? {})) {
      const current = (store as Record<string, any>)[name]
      if (typeof current?.getMockImplementation !== 'function' || current.getMockImplementation()) continue
      if (typeof current.mockImplementation === 'function') current.mockImplementation(real)
    }
  })
}
