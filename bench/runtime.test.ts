// `npm run bench`'s runtime figures, measured against the scripted hosts the unit tests use: the real
// mini program adapter on a scripted wx.qy (tests/support/scripted-qy.ts) and the real @wecom/jssdk on
// a scripted WeixinJSBridge (tests/support/scripted-bridge.ts). Writes its figures to $BENCH_OUT as
// JSON; bench/run.mjs adds the sizes, prints the table and writes bench/results.json.
// Counts are exact; timings are medians of several runs, reported as multiples and ratios.
import { createApp, defineComponent, h, nextTick, ref, shallowRef, warn, watch, type Component } from 'vue'
import { createPinia } from 'pinia'
import { afterAll, describe, expect, it, vi } from 'vitest'
import {
  createChainToolbar,
  createMiniProgramHost,
  createWebHost,
  useChainChat,
  useChainContact,
  useChainToolbarStore,
  useEntry,
  useShareToChat,
  type ChainToolbarOptions,
  type ChatMessage,
} from '../index'
import { createScriptedQy } from '../tests/support/scripted-qy'
import { enterWeComBrowser, WECOM_UA } from '../tests/support/scripted-bridge'
import { MODEL, measureTimeToName } from './time-to-name'
import { measureRenderAgainst, type KitUnderTest } from './render-baseline'

const CONTACT = { corpId: 'wwdownstream', userId: 'lisi' }
const ENTRY = 'chain_single_chat_tools'
const SIGNATURE = { timestamp: 1414587457, nonceStr: 'Wm3WZYTPz0wzccnW', signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' }
const TEXT = { msgtype: 'text', text: { content: 'hello' } } as const

// NODE_ENV=production (bench/run.mjs): Vue's and Pinia's production builds, what an app ships (Vue's
// warn is a no-op there). Vite then stubs `import 'node:fs'` in this browser-like file: ask node itself.
const { writeFileSync } = (process as any).getBuiltinModule('node:fs') as typeof import('node:fs')
const results: Record<string, unknown> = {}
results.vueBuild = warn.length === 0 ? 'production' : 'development'
const loadedAt = performance.now()
/**
 * Vue's development build keeps every component event for 3 s while it waits for devtools (then drops
 * them): when it is the one loaded, timings and heap figures start after that.
 */
const afterDevtoolsWindow = () =>
  new Promise<void>((resolve) =>
    setTimeout(resolve, results.vueBuild === 'production' ? 0 : Math.max(0, 3500 - (performance.now() - loadedAt))),
  )
afterAll(() => writeFileSync(process.env.BENCH_OUT ?? 'bench/runtime.json', JSON.stringify(results, null, 2)))

// ---------------------------------------------------------------------------------------------
// The components (components/<name>/<name>.vue). The final bench measures them; while they are being
// written, BENCH_ALLOW_MISSING_COMPONENTS=1 lets the rest run without them.
const componentModules = import.meta.glob('../components/*/*.vue', { eager: true }) as Record<string, { default: Component }>
const COMPONENTS = ['chain-contact-card', 'chain-group-card', 'share-to-chat-button', 'chain-entry-gate'] as const
function componentOf(name: (typeof COMPONENTS)[number]): Component | null {
  const found = componentModules[`../components/${name}/${name}.vue`]?.default ?? null
  if (!found && process.env.BENCH_ALLOW_MISSING_COMPONENTS !== '1')
    throw new Error(`components/${name}/${name}.vue is missing: the bench measures every component`)
  return found
}

// ---------------------------------------------------------------------------------------------
// A timeline of host round trips: every call to the host (and to the app's server) with the order in
// which it started and ended. A call's round is 1 + the highest round among calls that ended before it
// started: the number of latencies stacked up to its answer.
interface Trip {
  api: string
  start: number
  end?: number
}
function createTimeline() {
  let seq = 0
  const trips: Trip[] = []
  const counts = new Map<string, number>()
  return {
    trips,
    counts,
    begin(api: string): Trip {
      const trip = { api, start: ++seq }
      trips.push(trip)
      counts.set(api, (counts.get(api) ?? 0) + 1)
      return trip
    },
    /** Drops the answered trips (counts stay): the endurance run must not measure its own records. */
    forget() {
      const open = trips.filter((t) => t.end === undefined)
      trips.length = 0
      trips.push(...open)
    },
    end(trip: Trip) {
      trip.end ??= ++seq
    },
    count: (api: string) => counts.get(api) ?? 0,
    pending: () => trips.some((t) => t.end === undefined),
    /** Rounds of the last call to `api` (0 when never called). */
    roundOf(api: string): number {
      const round = new Map<Trip, number>()
      for (const trip of trips) {
        let before = 0
        for (const other of trips) if (other.end !== undefined && other.end < trip.start) before = Math.max(before, round.get(other) ?? 0)
        round.set(trip, before + 1)
      }
      const last = trips.filter((t) => t.api === api).pop()
      return last ? round.get(last)! : 0
    },
    /** The sequence of rounds, e.g. "checkSession ∥ getContext → getCurCorpGroupContact", up to `api`. */
    path(api: string): string {
      const round = new Map<Trip, number>()
      for (const trip of trips) {
        let before = 0
        for (const other of trips) if (other.end !== undefined && other.end < trip.start) before = Math.max(before, round.get(other) ?? 0)
        round.set(trip, before + 1)
      }
      const upTo = this.roundOf(api)
      const rows: string[][] = []
      for (const trip of trips) {
        const r = round.get(trip)!
        if (r > upTo) continue
        if (!(rows[r - 1] ??= []).includes(trip.api)) rows[r - 1].push(trip.api)
      }
      return rows.map((apis) => apis.join(' ∥ ')).join(' → ')
    },
  }
}
type Timeline = ReturnType<typeof createTimeline>

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Waits until every host call has answered and none started for a few macrotasks. */
async function settled(timeline: Timeline, extra: () => boolean = () => true, limitMs = 10000) {
  const started = Date.now()
  let quiet = 0
  let seen = -1
  while (quiet < 5) {
    await sleep(1)
    const size = timeline.trips.length
    quiet = !timeline.pending() && size === seen && extra() ? quiet + 1 : 0
    seen = size
    if (Date.now() - started > limitMs) throw new Error('the host did not settle')
  }
}

// ---------------------------------------------------------------------------------------------
// Hosts

/** The real mini program adapter on a scripted wx.qy whose every call is on the timeline. */
function miniProgramHost(options: { latencyMs?: number; sessionValid?: boolean; app?: any } = {}) {
  const timeline = createTimeline()
  const latency = options.latencyMs ?? 0
  const sim = createScriptedQy({
    entry: ENTRY,
    version: '4.1.22',
    contact: CONTACT,
    latencyMs: latency,
    sessionValid: options.sessionValid ?? true,
  })
  const qy: Record<string, unknown> = {}
  for (const [api, fn] of Object.entries(sim.qy)) {
    if (typeof fn !== 'function' || api === 'canIUse') {
      qy[api] = fn
      continue
    }
    qy[api] = (opts: Record<string, any> = {}) => {
      const trip = timeline.begin(api)
      const answered = (callback?: (res: unknown) => void) => (res: unknown) => {
        timeline.end(trip)
        callback?.(res)
      }
      return (fn as (o: unknown) => unknown)({ ...opts, success: answered(opts.success), fail: answered(opts.fail) })
    }
  }
  // The app's server: jscode2session makes the session valid (one round trip, same latency).
  const exchangeCode = async () => {
    const trip = timeline.begin('exchangeCode')
    await sleep(latency)
    sim.state.sessionValid = true
    timeline.end(trip)
  }
  const host = createMiniProgramHost({ qy, exchangeCode, app: options.app ?? null })
  return { host, qy, timeline, sim }
}

/**
 * The real web adapter and @wecom/jssdk on a scripted WeixinJSBridge, every bridge call, the signature
 * request and the lazy SDK chunk on the timeline. The SDK reads the user agent and the bridge when its
 * module is evaluated: a fresh module registry per host.
 */
function webHost(options: { latencyMs?: number } = {}) {
  vi.resetModules()
  const timeline = createTimeline()
  const latency = options.latencyMs ?? 0
  const scripted = enterWeComBrowser(WECOM_UA, { entry: ENTRY, contact: CONTACT, latencyMs: latency })
  const invoke = scripted.bridge.invoke
  scripted.bridge.invoke = (name: string, params: Record<string, unknown>, callback: (res: Record<string, unknown>) => void) => {
    const trip = timeline.begin(name)
    invoke(name, params, (res) => {
      timeline.end(trip)
      callback(res)
    })
  }
  const host = createWebHost({
    corpId: 'wwupstream',
    agentId: 1000002,
    userAgent: WECOM_UA,
    // The app's server signs the URL (one round trip, same latency).
    getSignature: async () => {
      const trip = timeline.begin('getSignature')
      await sleep(latency)
      timeline.end(trip)
      return SIGNATURE
    },
    // The lazy SDK chunk (src/host/wecom-sdk.ts, what the default loader imports), fetched from the web
    // server: one round trip, same latency (a cached chunk would take none).
    sdk: async () => {
      const trip = timeline.begin('SDK chunk')
      await sleep(latency)
      const sdk = await import('../src/host/wecom-sdk')
      timeline.end(trip)
      return sdk as any
    },
  })
  return { host, timeline, scripted }
}

function leaveWeComBrowser() {
  delete (window as any).WeixinJSBridge
}

/** The hand-written way, per consumer: mini program. */
function handWrittenMiniProgram(qy: Record<string, any>) {
  return defineComponent({
    setup() {
      const contact = shallowRef<{ corpId: string; userId: string } | null>(null)
      qy.getContext({
        success(res: any) {
          if (res.entry === ENTRY)
            qy.getCurCorpGroupContact({ success: (c: any) => (contact.value = { corpId: c.corpId, userId: c.userId }) })
        },
      })
      return () => h('view', { class: 'contact' }, contact.value ? `${contact.value.corpId}/${contact.value.userId}` : '')
    },
  })
}

/** The hand-written way, per consumer: H5 (the app registered once at start, as the SDK docs show). */
function handWrittenWeb(ww: any) {
  return defineComponent({
    setup() {
      const contact = shallowRef<{ corpId: string; userId: string } | null>(null)
      ww.getContext().then((res: any) => {
        if (res.entry === ENTRY)
          return ww.getCurCorpGroupContact({}).then((c: any) => (contact.value = { corpId: c.corpId, userId: c.userId }))
      })
      return () => h('view', { class: 'contact' }, contact.value ? `${contact.value.corpId}/${contact.value.userId}` : '')
    },
  })
}

// ---------------------------------------------------------------------------------------------
// Consumers

/** Every composable, rendering the contact. */
const ComposableConsumer = defineComponent({
  setup() {
    useEntry()
    const { contact } = useChainContact()
    useChainChat()
    useShareToChat()
    return () => h('view', { class: 'contact' }, contact.value ? `${contact.value.corpId}/${contact.value.userId}` : '')
  },
})

/** Every component, as a page would place them. */
function componentConsumer() {
  const [contactCard, groupCard, shareButton, gate] = COMPONENTS.map(componentOf)
  return defineComponent({
    setup() {
      return () =>
        h('view', { class: 'consumer' }, [
          contactCard && h(contactCard),
          groupCard && h(groupCard),
          shareButton && h(shareButton, { message: TEXT }),
          gate && h(gate, { entries: [ENTRY] }, { default: () => h('text', 'chain single chat') }),
        ])
    },
  })
}

function mount(root: Component, options: ChainToolbarOptions | null) {
  const app = createApp(root)
  const pinia = createPinia()
  app.use(pinia)
  if (options) app.use(createChainToolbar(options))
  const el = document.createElement('div')
  document.body.appendChild(el)
  app.mount(el)
  return {
    app,
    el,
    store: () => useChainToolbarStore(pinia),
    unmount() {
      app.unmount()
      el.remove()
    },
  }
}

const many = (consumer: Component, count: number) =>
  defineComponent({ setup: () => () => Array.from({ length: count }, () => h(consumer)) })
const rendered = (el: Element, count: number) => el.textContent!.split(CONTACT.userId).length - 1 >= count
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const round2 = (n: number) => Math.round(n * 100) / 100

// ---------------------------------------------------------------------------------------------

describe('bench', () => {
  it('1. host calls per activation, with 1, 10 and 100 consumers', async () => {
    const CONTEXT = ['getContext', 'getCurCorpGroupContact']
    const tally = (timeline: Timeline, since: Map<string, number>) => {
      const delta = (api: string) => timeline.count(api) - (since.get(api) ?? 0)
      const all = [...timeline.counts.keys()].reduce((n, api) => n + delta(api), 0)
      return {
        getContext: delta('getContext'),
        getCurCorpGroupContact: delta('getCurCorpGroupContact'),
        other: all - delta('getContext') - delta('getCurCorpGroupContact'),
      }
    }
    /** Mounts `count` consumers (the kit installed unless hand-written), then, with the kit, a second activation. */
    async function measure(timeline: Timeline, consumer: Component, count: number, kit: ChainToolbarOptions | null) {
      const page = mount(many(consumer, count), kit)
      await settled(timeline, () => rendered(page.el, count))
      const first = tally(timeline, new Map())
      let second = null
      if (kit) {
        const before = new Map(timeline.counts)
        await page.store().activate()
        await settled(timeline, () => rendered(page.el, count))
        second = tally(timeline, before)
      }
      expect(rendered(page.el, count)).toBe(true)
      page.unmount()
      return { first, second, otherApis: [...timeline.counts.keys()].filter((api) => !CONTEXT.includes(api)) }
    }

    const rows: unknown[] = []
    for (const count of [1, 10, 100]) {
      for (const kind of ['composables', 'components', 'hand-written'] as const) {
        const kitConsumer = kind === 'composables' ? ComposableConsumer : componentConsumer()
        const mp = miniProgramHost()
        const mpFigures = await measure(
          mp.timeline,
          kind === 'hand-written' ? handWrittenMiniProgram(mp.qy) : kitConsumer,
          count,
          kind === 'hand-written' ? null : { host: mp.host },
        )
        const web = webHost()
        let webConsumer = kitConsumer
        if (kind === 'hand-written') {
          const ww: any = await import('@wecom/jssdk')
          ww.register({ corpId: 'wwupstream', agentId: 1000002, jsApiList: CONTEXT, getAgentConfigSignature: async () => SIGNATURE })
          webConsumer = handWrittenWeb(ww)
        }
        const webFigures = await measure(web.timeline, webConsumer, count, kind === 'hand-written' ? null : { host: web.host })
        leaveWeComBrowser()
        rows.push({ consumers: count, kind, mp: mpFigures, h5: webFigures })
      }
    }
    results.hostCalls = rows
  })

  it('2. time to contact at host latency L = 0, 20, 100 ms', async () => {
    const RUNS = 5
    const rows: unknown[] = []
    const cases = [
      { host: 'mini program', session: 'valid' },
      { host: 'mini program', session: 'expired' },
      { host: 'H5', session: 'n/a' },
    ] as const
    for (const c of cases) {
      for (const latencyMs of [0, 20, 100]) {
        const times: number[] = []
        let rounds = 0
        let path = ''
        for (let run = 0; run < RUNS; run++) {
          const made = c.host === 'H5' ? webHost({ latencyMs }) : miniProgramHost({ latencyMs, sessionValid: c.session === 'valid' })
          let shownAt = 0
          const Probe = defineComponent({
            setup() {
              const { contact } = useChainContact()
              const el = ref<Element>()
              // flush: 'post' runs after the DOM was patched: the contact is on screen.
              watch(
                contact,
                () => {
                  if (!shownAt && el.value?.textContent?.includes(CONTACT.userId)) shownAt = performance.now()
                },
                { flush: 'post' },
              )
              return () => h('view', { ref: el }, contact.value ? `${contact.value.corpId}/${contact.value.userId}` : '')
            },
          })
          const started = performance.now()
          const page = mount(Probe, { host: made.host })
          await settled(made.timeline, () => shownAt > 0)
          times.push(shownAt - started)
          rounds = made.timeline.roundOf('getCurCorpGroupContact')
          path = made.timeline.path('getCurCorpGroupContact')
          page.unmount()
          if (c.host === 'H5') leaveWeComBrowser()
        }
        const ms = median(times)
        rows.push({ ...c, latencyMs, medianMs: round2(ms), multipleOfL: latencyMs ? round2(ms / latencyMs) : null, rounds, path })
      }
    }
    results.timeToContact = rows
  })

  it('3. time to name under the latency model (virtual clock)', async () => {
    results.timeToName = { model: MODEL, rows: await measureTimeToName() }
  })

  it('5. render: 100 contact cards against 100 plain views', async () => {
    const Card = componentOf('chain-contact-card')
    if (!Card) {
      results.render = null
      return
    }
    await afterDevtoolsWindow()
    const { host, timeline } = miniProgramHost()
    type Mode = 'none' | 'cards' | 'views' | 'consumers'
    const mode = ref<Mode>('none')
    /** Between the two: a component that uses useChainContact and renders one plain view. */
    const Consumer = defineComponent({
      setup() {
        const { contact } = useChainContact()
        return () => h('view', { class: 'contact' }, contact.value ? `${contact.value.corpId}/${contact.value.userId}` : '')
      },
    })
    const Page = defineComponent({
      setup() {
        const { contact } = useChainContact()
        return () => {
          const c = contact.value
          if (mode.value === 'cards')
            return h(
              'view',
              Array.from({ length: 100 }, () => h(Card)),
            )
          if (mode.value === 'consumers')
            return h(
              'view',
              Array.from({ length: 100 }, () => h(Consumer)),
            )
          if (mode.value === 'views')
            return h(
              'view',
              Array.from({ length: 100 }, () => h('view', { class: 'contact' }, c ? `${c.corpId}/${c.userId}` : '')),
            )
          return h('view')
        }
      },
    })
    const page = mount(Page, { host })
    await settled(timeline, () => page.store().context.contact.value.value != null)
    const callsBefore = timeline.trips.length
    /** Mounts the 100 ten times (unmounting in between, not timed): the mean time to mount. */
    const REPEAT = 10
    const time = async (which: Exclude<Mode, 'none'>) => {
      // The garbage of the other side must not be collected in this side's time.
      ;(globalThis as any).gc?.()
      let took = 0
      for (let i = 0; i < REPEAT; i++) {
        const started = performance.now()
        mode.value = which
        await nextTick()
        took += performance.now() - started
        expect(rendered(page.el, 100)).toBe(true)
        mode.value = 'none'
        await nextTick()
      }
      return took / REPEAT
    }
    const SAMPLES = 15
    const samples: Record<Exclude<Mode, 'none'>, number[]> = { cards: [], views: [], consumers: [] }
    const ratios = { cards: [] as number[], consumers: [] as number[] }
    for (let i = 0; i < 3; i++) for (const which of ['cards', 'consumers', 'views'] as const) await time(which)
    for (let i = 0; i < SAMPLES; i++) {
      // Rotating order, so that no side always runs on a warmer (or fuller) heap.
      const order = (['cards', 'consumers', 'views'] as const).map((_, k, all) => all[(k + i) % 3])
      const took: Record<string, number> = {}
      for (const which of order) took[which] = await time(which)
      for (const which of order) samples[which].push(took[which])
      ratios.cards.push(took.cards / took.views)
      ratios.consumers.push(took.consumers / took.views)
    }
    const callsWhileMounting = timeline.trips.length - callsBefore
    page.unmount()
    results.render = {
      samples: SAMPLES,
      mountsPerSample: REPEAT,
      cardsMedianMs: round2(median(samples.cards)),
      consumersMedianMs: round2(median(samples.consumers)),
      viewsMedianMs: round2(median(samples.views)),
      ratio: round2(median(ratios.cards)),
      consumersRatio: round2(median(ratios.consumers)),
      hostCallsWhileMounting: callsWhileMounting,
    }
  })

  it('5b. render: 100 contact cards of this tree against a baseline commit\'s, in the same run', async () => {
    // bench/run.mjs checks the baseline out in bench/.baseline-render (BENCH_RENDER_BASELINE names it).
    const dir = process.env.BENCH_RENDER_BASELINE
    const Card = componentOf('chain-contact-card')
    if (!dir || !Card) {
      results.renderBaseline = null
      return
    }
    await afterDevtoolsWindow()
    // The package entry: the root index.ts, or src/index.ts in commits before it moved.
    const { existsSync } = (process as any).getBuiltinModule('node:fs') as typeof import('node:fs')
    const base = await import(/* @vite-ignore */ existsSync(`${dir}/index.ts`) ? `${dir}/index.ts` : `${dir}/src/index.ts`)
    const BaseCard = (await import(/* @vite-ignore */ `${dir}/components/chain-contact-card/chain-contact-card.vue`)).default
    results.renderBaseline = {
      ref: process.env.BENCH_RENDER_BASELINE_REF,
      load: ((process as any).getBuiltinModule('node:os') as typeof import('node:os')).loadavg()[0].toFixed(2),
      ...(await measureRenderAgainst(
        { createChainToolbar, createMiniProgramHost, Card } as KitUnderTest,
        { createChainToolbar: base.createChainToolbar, createMiniProgramHost: base.createMiniProgramHost, Card: BaseCard },
        Number(process.env.BENCH_RENDER_SAMPLES ?? 100),
      )),
    }
  })

  it('6. endurance: 10,000 activations with a share between them', async () => {
    const ACTIVATIONS = Number(process.env.BENCH_ACTIVATIONS ?? 10000)
    const gc = (globalThis as any).gc as (() => void) | undefined
    const heap = () => {
      gc?.()
      gc?.()
      return process.memoryUsage().heapUsed
    }
    const endurance: Record<string, unknown> = {}
    await afterDevtoolsWindow()
    for (const which of ['mini program', 'H5'] as const) {
      // Timers: every setTimeout, and whether it was cleared, fired or is still pending.
      const realSet = globalThis.setTimeout
      const realClear = globalThis.clearTimeout
      const pending = new Set<unknown>()
      let created = 0
      ;(globalThis as any).setTimeout = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
        const id: unknown = realSet(() => {
          pending.delete(id)
          fn(...args)
        }, ms)
        pending.add(id)
        created++
        return id
      }
      ;(globalThis as any).clearTimeout = (id: any) => {
        pending.delete(id)
        realClear(id)
      }
      // Listeners: what the kit adds to document and window, and to the mini program's app events.
      const listeners = new Map<string, number>()
      const originals: [EventTarget, any, any][] = []
      for (const target of [document, window] as EventTarget[]) {
        const add = target.addEventListener
        const remove = target.removeEventListener
        originals.push([target, add, remove])
        target.addEventListener = function (this: EventTarget, type: string, ...rest: any[]) {
          listeners.set(type, (listeners.get(type) ?? 0) + 1)
          return (add as any).call(this, type, ...rest)
        }
        target.removeEventListener = function (this: EventTarget, type: string, ...rest: any[]) {
          listeners.set(type, (listeners.get(type) ?? 0) - 1)
          return (remove as any).call(this, type, ...rest)
        }
      }
      const appShow = new Set<() => void>()
      const appEvents = { onAppShow: (fn: () => void) => appShow.add(fn), offAppShow: (fn: () => void) => appShow.delete(fn) }
      const timersAtStart = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
      try {
        const made = which === 'H5' ? webHost() : miniProgramHost({ app: appEvents })
        let api: { refresh: () => Promise<void>; share: (m: ChatMessage) => Promise<void> } | null = null
        const Page = defineComponent({
          setup() {
            const entry = useEntry()
            const { contact } = useChainContact()
            const { share } = useShareToChat()
            api = { refresh: entry.refresh, share }
            return () => h('view', contact.value ? `${contact.value.corpId}/${contact.value.userId}` : '')
          },
        })
        const page = mount(Page, { host: made.host })
        await settled(made.timeline, () => rendered(page.el, 1))
        const listenersAfterMount = Object.fromEntries(listeners)
        const appShowAfterMount = appShow.size
        const checkpoints: { activations: number; heapKB: number }[] = []
        // Growth is measured from the first checkpoint on: the first fifth warms caches and JIT.
        const STEP = ACTIVATIONS / 5
        let heapAtWarm = 0
        let heapAtEnd = 0
        const started = performance.now()
        const countsBefore = new Map(made.timeline.counts)
        // The scripted hosts record every call: cleared as the run goes, so that the heap is the kit's.
        const records = 'sim' in made ? made.sim.calls : made.scripted.calls
        for (let i = 1; i <= ACTIVATIONS; i++) {
          await api!.refresh()
          await api!.share({ msgtype: 'text', text: { content: `hello ${i}` } })
          made.timeline.forget()
          records.length = 0
          if (i % STEP === 0) {
            const used = heap()
            if (i === STEP) heapAtWarm = used
            heapAtEnd = used
            checkpoints.push({ activations: i, heapKB: Math.round(used / 1024) })
          }
        }
        const seconds = (performance.now() - started) / 1000
        await settled(made.timeline)
        expect(rendered(page.el, 1)).toBe(true)
        const perActivation: Record<string, number> = {}
        for (const [api, n] of made.timeline.counts)
          if (n > (countsBefore.get(api) ?? 0)) perActivation[api] = round2((n - (countsBefore.get(api) ?? 0)) / ACTIVATIONS)
        const pendingTimers = pending.size
        const activeTimeouts = { atStart: timersAtStart, atEnd: process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length }
        const listenersAtEnd = Object.fromEntries(listeners)
        const appShowAtEnd = appShow.size
        page.unmount()
        endurance[which] = {
          activations: ACTIVATIONS,
          shares: ACTIVATIONS,
          seconds: round2(seconds),
          measuredOver: ACTIVATIONS - STEP,
          heapGrowthKB: Math.round((heapAtEnd - heapAtWarm) / 1024),
          heapGrowthBytesPerActivation: Math.round((heapAtEnd - heapAtWarm) / (ACTIVATIONS - STEP)),
          heapCheckpointsKB: checkpoints,
          gcExposed: !!gc,
          hostCallsPerActivation: perActivation,
          timersCreated: created,
          timersPendingAtEnd: pendingTimers,
          activeTimeoutHandles: activeTimeouts,
          listenersAfterMount: which === 'H5' ? listenersAfterMount : { appShow: appShowAfterMount },
          listenersAtEnd: which === 'H5' ? listenersAtEnd : { appShow: appShowAtEnd },
          listenersAfterUnmount: which === 'H5' ? Object.fromEntries(listeners) : { appShow: appShow.size },
        }
        if (which === 'H5') leaveWeComBrowser()
      } finally {
        globalThis.setTimeout = realSet
        globalThis.clearTimeout = realClear
        for (const [target, add, remove] of originals) {
          target.addEventListener = add
          target.removeEventListener = remove
        }
      }
    }
    results.endurance = endurance
  })
})
