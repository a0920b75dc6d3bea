// Races tested as races: fast-check's scheduler decides the order in which every host answer
// arrives (getContext, the getters, checkSession, login, exchangeCode, getSystemInfo / the signature,
// agentConfig, sendChatMessage), interleaved with chat switches, session expiry (mini program) or route
// changes (H5: the SDK signs again), hangs, failures, repeated refresh() and share taps. The real mini
// program adapter on a scripted wx.qy, and the real @wecom/jssdk on a scripted WeixinJSBridge.
// Time is fake (no real waiting): a hung answer ends by the kit's deadline. On failure fast-check
// prints the seed and the shrunk schedule; RACE_RUNS=<n> changes the number of runs.
import fc from 'fast-check'
import { createApp, defineComponent, h, watch } from 'vue'
import { createPinia } from 'pinia'
import { afterAll, afterEach, beforeAll, describe, it, vi } from 'vitest'
import {
  createChainToolbar,
  createMiniProgramHost,
  createWebHost,
  useChainChat,
  useChainContact,
  useEntry,
  useShareToChat,
  type ChainHost,
  type WeComSdk,
} from '../../index'
import ChainContactCard from '../../components/chain-contact-card/chain-contact-card.vue'
import ChainEntryGate from '../../components/chain-entry-gate/chain-entry-gate.vue'
import ChainGroupCard from '../../components/chain-group-card/chain-group-card.vue'
import { createScriptedQy } from '../support/scripted-qy'
import { createScriptedBridge, WECOM_UA } from '../support/scripted-bridge'

const T = 1000 // timeoutMs, in fake time
const RUNS = Number(process.env.RACE_RUNS ?? 500)
const ordinaryUA = navigator.userAgent
const realSetImmediate = globalThis.setImmediate
/** Lets every promise reaction run (setImmediate is not faked). */
const settle = () => new Promise<void>((resolve) => realSetImmediate(() => resolve()))

const FOUR = ['getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage'] as const
type Api = (typeof FOUR)[number] | 'checkSession' | 'login' | 'exchangeCode' | 'getSystemInfo' | 'agentConfig' | 'getSignature'
type Action =
  | { kind: 'switch' } // the page shown again from another chat (app show / visibility)
  | { kind: 'refresh' } // useEntry().refresh()
  | { kind: 'retry' } // useChainContact().refresh() and useChainChat().refresh()
  | { kind: 'share' }
  | { kind: 'expire' } // mini program: the session expires; H5: a route change (the SDK signs again)
  | { kind: 'fault'; api: Api; fault: 'hang' | 'fail' } // the next call of `api`

const MP_APIS: Api[] = [...FOUR, 'checkSession', 'login', 'exchangeCode', 'getSystemInfo']
const WEB_APIS: Api[] = [...FOUR, 'agentConfig', 'getSignature']

const actions = (apis: Api[]) =>
  fc.array(
    fc.oneof(
      fc.constant<Action>({ kind: 'switch' }),
      fc.constant<Action>({ kind: 'refresh' }),
      fc.constant<Action>({ kind: 'retry' }),
      fc.constant<Action>({ kind: 'share' }),
      fc.constant<Action>({ kind: 'expire' }),
      fc
        .record({
          kind: fc.constant('fault' as const),
          api: fc.constantFrom(...apis),
          fault: fc.constantFrom('hang' as const, 'fail' as const),
        })
        // A client that never answers agentConfig leaves the SDK's own agentConfig pending for that URL: the
        // kit's calls end in TIMEOUT, but only a new URL recovers (the SDK offers no way to start it again).
        .filter((action) => !(action.api === 'agentConfig' && action.fault === 'hang')),
    ),
    { maxLength: 12 },
  )

/** What each activation (chat) answers: its entry, contact and chat differ from every other's. */
const chatOf = (n: number) => ({
  entry: n % 2 ? 'chain_group_chat_tools' : 'chain_single_chat_tools',
  contact: { corpId: 'wwdown', userId: `u${n}` },
  chatId: `wr${n}`,
})

interface World {
  host: ChainHost
  /** The test's count of activations: the chat the client is in. */
  chat: () => number
  /** Moves the client to chat n (its answers from now on). */
  moveTo: (n: number) => void
  /** The page comes back to the foreground (a new activation, for the kit). */
  show: () => void
  expire: () => void
  faults: Map<Api, Array<'hang' | 'fail'>>
  /** sendChatMessage as the client received them: content, chat at receipt, and whether it went out. */
  sends: Array<{ content: string; chat: number; delivered: boolean }>
  /** exchangeCode start times still in flight (mini program). */
  exchanges: Set<number>
  mostConcurrentExchanges: () => number
  healthy: () => void
  listeners: () => number
  dispose: () => void
}

/**
 * The chat a failure of one of the four APIs was answered in (`#n`, in the error's message); a session
 * step or the signature belongs to the app, shared by the activations that wait for it, and carries none.
 */
const mark = (api: string, chat: number) => ((FOUR as readonly string[]).includes(api) ? ` #${chat}` : '')

/** The next fault scripted for `api`, if any. */
const nextFault = (world: { faults: Map<Api, Array<'hang' | 'fail'>> }, api: Api) => world.faults.get(api)?.shift()

function miniProgramWorld(s: fc.Scheduler): World {
  let chat = 0
  const faults = new Map<Api, Array<'hang' | 'fail'>>()
  const sends: World['sends'] = []
  const exchanges = new Set<number>()
  let most = 0
  const show = new Set<() => void>()
  const qy = createScriptedQy({
    ...chatOf(0),
    version: '4.1.22',
    deliver(api, respond) {
      const fault = nextFault(world, api as Api)
      const sessionOk = qy.state.sessionValid || ['checkSession', 'login', 'getSystemInfo'].includes(api)
      if (api === 'sendChatMessage') {
        const params = qy.calls[qy.calls.length - 1].params as { text: { content: string } }
        sends.push({ content: params.text.content, chat, delivered: fault === 'hang' || (!fault && sessionOk) })
      }
      if (fault === 'hang') return
      const failure = fault === 'fail' ? `qy__${api}:fail no permission${mark(api, chat)}` : undefined
      s.schedule(Promise.resolve(), api).then(() => respond(failure))
    },
  })
  const exchangeCode = async () => {
    const started = Date.now()
    for (const other of exchanges) if (other > started - T) most = Math.max(most, 2)
    most = Math.max(most, 1)
    const fault = nextFault(world, 'exchangeCode')
    if (fault === 'hang') {
      exchanges.add(started)
      return new Promise(() => {})
    }
    exchanges.add(started)
    try {
      await s.schedule(Promise.resolve(), 'exchangeCode')
      if (fault === 'fail') throw new Error('the server refused the code')
      qy.state.sessionValid = true
    } finally {
      exchanges.delete(started)
    }
  }
  const host = createMiniProgramHost({
    qy: qy.qy,
    exchangeCode,
    app: { onAppShow: (fn) => show.add(fn), offAppShow: (fn) => show.delete(fn) },
  })
  const world: World = {
    host,
    chat: () => chat,
    moveTo(n) {
      chat = n
      Object.assign(qy.state, chatOf(n))
    },
    show: () => show.forEach((fn) => fn()),
    expire: () => (qy.state.sessionValid = false),
    faults,
    sends,
    exchanges,
    mostConcurrentExchanges: () => most,
    healthy: () => faults.clear(),
    listeners: () => show.size,
    dispose() {},
  }
  return world
}

let ww: WeComSdk
function webWorld(s: fc.Scheduler, run: number): World {
  let chat = 0
  const faults = new Map<Api, Array<'hang' | 'fail'>>()
  const sends: World['sends'] = []
  let route = 0
  // A URL of its own: the SDK signs again for this run (it keeps its agentConfig per URL).
  history.replaceState(null, '', `/race/${run}/${route}`)
  const bridge = createScriptedBridge({
    ...chatOf(0),
    deliver(name, respond) {
      const fault = nextFault(world, name as Api)
      if (name === 'sendChatMessage') {
        const params = bridge.calls[bridge.calls.length - 1].params as { text: { content: string } }
        sends.push({ content: params.text.content, chat, delivered: fault !== 'fail' })
      }
      if (fault === 'hang') return
      const failure = fault === 'fail' ? `${name}:fail_no permission${mark(name, chat)}` : undefined
      s.schedule(Promise.resolve(), name).then(() => respond(failure))
    },
  })
  ;(window as any).WeixinJSBridge = bridge.bridge
  const getAgentConfigSignature = async () => {
    const fault = nextFault(world, 'getSignature')
    if (fault === 'hang') return new Promise<never>(() => {})
    await s.schedule(Promise.resolve(), 'getSignature')
    if (fault === 'fail') throw new Error('the server could not sign')
    return { timestamp: 1414587457, nonceStr: 'n', signature: 's' }
  }
  // The kit's foreground listeners on document and window, counted (calls go through to happy-dom).
  const watched = ['visibilitychange', 'pagehide', 'pageshow']
  const spies = [document, window].flatMap((target) => [vi.spyOn(target, 'addEventListener'), vi.spyOn(target, 'removeEventListener')])
  const listeners = () =>
    spies.reduce((sum, spy, i) => sum + (i % 2 ? -1 : 1) * spy.mock.calls.filter(([type]) => watched.includes(type as string)).length, 0)
  const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getAgentConfigSignature, sdk: ww, userAgent: WECOM_UA })
  const setVisibility = (state: 'hidden' | 'visible') => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }
  const world: World = {
    host,
    chat: () => chat,
    moveTo(n) {
      chat = n
      Object.assign(bridge.state, chatOf(n))
    },
    show() {
      setVisibility('hidden')
      setVisibility('visible')
    },
    expire: () => history.replaceState(null, '', `/race/${run}/${++route}`),
    faults,
    sends,
    exchanges: new Set(),
    mostConcurrentExchanges: () => 0,
    healthy: () => faults.clear(),
    listeners,
    dispose() {
      spies.forEach((spy) => spy.mockRestore())
      delete (document as any).visibilityState
    },
  }
  return world
}

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  // The SDK reads the user agent and the bridge once, when its module is evaluated (docs/wecom-host.md §3).
  Object.defineProperty(window.navigator, 'userAgent', { value: WECOM_UA, configurable: true })
  ;(window as any).WeixinJSBridge = createScriptedBridge().bridge
  vi.resetModules()
  ww = (await import('../../src/host/wecom-sdk')) as unknown as WeComSdk
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
  Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
  delete (window as any).WeixinJSBridge
  history.replaceState(null, '', '/')
})
afterEach(() => vi.useRealTimers())

/** One run: mount, play the actions against the scheduled host answers, check the invariants throughout. */
async function play(s: fc.Scheduler, world: World, plan: Action[]) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  const problems: string[] = []
  const check = (ok: boolean, what: string) => ok || problems.push(what)
  // The kit's activation follows the test's chat count: both move together, synchronously.
  let activation = 0
  const newChat = () => world.moveTo(++activation)
  // What the host received per activation, counted at the ChainHost (the kit's own calls).
  const reads = new Map<string, number>()
  const retriesIn = new Map<number, number>()
  const counted: ChainHost = { ...world.host }
  for (const api of ['getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat'] as const) {
    counted[api] = ((scope: any) => {
      const key = `${api}@${activation}`
      reads.set(key, (reads.get(key) ?? 0) + 1)
      return (world.host[api] as any)(scope)
    }) as any
  }

  let consumer!: {
    entry: ReturnType<typeof useEntry>
    contact: ReturnType<typeof useChainContact>
    chat: ReturnType<typeof useChainChat>
    share: ReturnType<typeof useShareToChat>
  }
  const app = createApp(
    defineComponent({
      setup() {
        consumer = { entry: useEntry(), contact: useChainContact(), chat: useChainChat(), share: useShareToChat() }
        const expected = () => chatOf(activation)
        // No consumer ever reads a value or an error from an older activation.
        const sync = { flush: 'sync' } as const
        watch(consumer.entry.entry, (v) => check(v == null || v === expected().entry, `entry ${v} in activation ${activation}`), sync)
        const contactOk = (v: { userId: string } | null) => v == null || v.userId === expected().contact.userId
        watch(consumer.contact.contact, (v) => check(contactOk(v), `contact ${v?.userId} in activation ${activation}`), sync)
        watch(consumer.chat.chatId, (v) => check(v == null || v === expected().chatId, `chat ${v} in activation ${activation}`), sync)
        for (const error of [consumer.entry.error, consumer.contact.error, consumer.chat.error, consumer.share.error]) {
          watch(error, (e) => {
            const from = /#(\d+)/.exec(e?.message ?? '')?.[1]
            check(from == null || Number(from) === activation, `error from activation ${from} shown in ${activation}: ${e?.message}`)
          }, { flush: 'sync' })
        }
        // Every read settles within timeoutMs of its start.
        const { entry, contact, chat } = consumer
        const loadings = [['entry', entry.isLoading], ['contact', contact.isLoading], ['chat', chat.isLoading]] as const
        for (const [name, loading] of loadings) {
          let since = Date.now()
          watch(loading, (on) => {
            if (on) since = Date.now()
            else check(Date.now() - since <= T, `${name} loading for ${Date.now() - since} ms`)
          }, { flush: 'sync' })
        }
        // The cards and the gate, with the page's own slots (in the mini program build they hand these over out
        // of sight first: docs/development.md).
        return () => [
          h(ChainContactCard, null, {
            default: ({ contact }: { contact: { userId: string } }) => h('text', { class: 'page-contact' }, contact.userId),
            error: ({ error }: { error: { code: string } }) => h('text', { class: 'page-error' }, error.code),
          }),
          h(ChainGroupCard, null, { default: ({ chatId }: { chatId: string }) => h('text', { class: 'page-chat' }, chatId) }),
          h(
            ChainEntryGate,
            { entries: ['chain_single_chat_tools', 'chain_group_chat_tools'] },
            { default: ({ entry }: { entry: string }) => h('text', { class: 'page-entry' }, entry) },
          ),
        ]
      },
    }),
  )
  app.use(createPinia()).use(createChainToolbar({ host: counted, timeoutMs: T }))
  const root = document.createElement('div')
  app.mount(root)
  /** The page's own slot content a user sees: not under an element hidden with `display: none`. */
  const shown = (selector: string) =>
    [...root.querySelectorAll(selector)].filter((el) => !el.closest('[style*="display: none"]')).map((el) => el.textContent)
  /** The page's slots never show another contact or group than the store's (checked between host answers). */
  const slotsAgree = () => {
    const contact = consumer.contact.contact.value?.userId
    const chatId = consumer.chat.chatId.value
    for (const text of shown('.page-contact')) check(text === contact, `the page's slot shows ${text}, the store has ${contact}`)
    for (const text of shown('.page-chat')) check(text === chatId, `the page's slot shows ${text}, the store has ${chatId}`)
    const entry = consumer.entry.entry.value
    for (const text of shown('.page-entry')) check(text === entry, `the gate's slot shows ${text}, the store has ${entry}`)
  }

  const shares: Array<{ content: string; activation: number }> = []
  const pending: Array<Promise<unknown>> = []
  /** Runs `op`, checking that it settles within timeoutMs of its start. */
  const timed = (name: string, op: () => Promise<unknown>) => {
    const started = Date.now()
    const done = op().then(
      () => {},
      () => {},
    )
    pending.push(done.then(() => check(Date.now() - started <= T, `${name} settled after ${Date.now() - started} ms`)))
  }
  const perform = (action: Action) => {
    switch (action.kind) {
      case 'switch':
        newChat()
        world.show()
        break
      case 'refresh':
        newChat()
        timed('refresh', () => consumer.entry.refresh())
        break
      case 'retry':
        retriesIn.set(activation, (retriesIn.get(activation) ?? 0) + 1)
        timed('contact refresh', () => consumer.contact.refresh())
        timed('chat refresh', () => consumer.chat.refresh())
        break
      case 'share': {
        const content = `share-${shares.length}`
        shares.push({ content, activation })
        timed('share', () => consumer.share.share({ msgtype: 'text', text: { content } }))
        break
      }
      case 'expire':
        world.expire()
        break
      case 'fault':
        world.faults.set(action.api, [...(world.faults.get(action.api) ?? []), action.fault])
        break
    }
  }
  s.scheduleSequence(plan.map((action) => ({ label: JSON.stringify(action), builder: async () => perform(action) })))

  /** Runs every scheduled answer and every timer (fake time) until nothing is left. */
  const drain = async () => {
    for (let step = 0; step < 5000; step++) {
      await settle()
      slotsAgree()
      if (s.count() > 0) await s.waitOne()
      else if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync()
      else return
    }
    problems.push('never settled')
  }
  await drain()
  await Promise.all(pending)

  // Sends: each in the activation its share() was called in, and at most one delivered per share().
  for (const share of shares) {
    const received = world.sends.filter((send) => send.content === share.content)
    for (const send of received) check(send.chat === share.activation, `${share.content} from ${share.activation} sent in ${send.chat}`)
    check(received.filter((send) => send.delivered).length <= 1, `${share.content} delivered ${received.length} times`)
  }
  // Per activation: one getContext and at most one of each getter (a retry after an error may ask again).
  for (const [key, count] of reads) {
    const retries = retriesIn.get(Number(key.split('@')[1])) ?? 0
    check(count <= 1 + retries, `${key}: ${count} calls with ${retries} retries`)
  }
  check(world.mostConcurrentExchanges() <= 1, 'two exchangeCode in flight')

  // After any fault, a new activation against a healthy host succeeds, and a share is sent once.
  world.healthy()
  newChat()
  const refreshed = consumer.entry.refresh()
  await drain()
  await refreshed
  const want = chatOf(activation)
  const { entry, contact, chat } = consumer
  check(entry.entry.value === want.entry && !entry.error.value, `healthy refresh: entry ${entry.entry.value} ${entry.error.value}`)
  const single = want.entry === 'chain_single_chat_tools'
  if (single) check(contact.contact.value?.userId === want.contact.userId, `healthy refresh: contact ${contact.error.value}`)
  else check(chat.chatId.value === want.chatId, `healthy refresh: chat ${chat.error.value}`)
  // The page's own slot shows it, in view: no card is left handing a value over.
  if (single) check(shown('.page-contact').join() === want.contact.userId, `healthy refresh: the page's slot shows ${shown('.page-contact')}`)
  else check(shown('.page-chat').join() === want.chatId, `healthy refresh: the page's slot shows ${shown('.page-chat')}`)
  check(shown('.page-entry').join() === want.entry, `healthy refresh: the gate's slot shows ${shown('.page-entry')}`)
  check(!root.querySelector('[style*="display: none"]'), 'a card or the gate still hands a value over')
  const last = consumer.share.share({ msgtype: 'text', text: { content: 'healthy' } }).then(() => null, (e) => e)
  await drain()
  check((await last) === null, `healthy share: ${await last}`)
  check(world.sends.filter((send) => send.content === 'healthy').length === 1, 'healthy share sent once')

  // No timer or listener left after unmount (a step still waiting ends by its deadline), no unhandled rejection.
  app.unmount()
  await drain()
  check(vi.getTimerCount() === 0, `${vi.getTimerCount()} timers left`)
  check(world.listeners() === 0, `${world.listeners()} listeners left`)
  await settle()
  check(unhandled.length === 0, `unhandled rejection: ${unhandled.map(String)}`)
  unhandled.length = 0
  world.dispose()
  vi.useRealTimers()
  if (problems.length) throw new Error(problems.join('\n'))
}

describe('races (fast-check scheduler)', () => {
  it(`mini program host: ${RUNS} runs`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), actions(MP_APIS), async (s, plan) => play(s, miniProgramWorld(s), plan)),
      { numRuns: RUNS },
    )
  }, 120_000)

  it(`web host (real @wecom/jssdk): ${RUNS} runs`, async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), actions(WEB_APIS), async (s, plan) => play(s, webWorld(s, run++), plan)),
      { numRuns: RUNS },
    )
  }, 120_000)
})
