// @vitest-environment happy-dom
// `npm run bench`, the mini program's launch: the demo's production mini program build (dist/build/mp-weixin,
// and a baseline's when bench/run.mjs builds one) started on WeChat's own component framework
// (miniprogram-simulate) as WeChat starts an app — app.js, onLaunch, onShow, then the first page and its
// onLoad — inside WeCom on the kit's simulated client. It records when each host call starts against the
// first page's onLoad, and when the contact's name is on the page. Writes its figures to $BENCH_OUT.
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { afterAll, it } from 'vitest'
import { launchPage, until } from '../tests/support/wechat-mini-program'

const { writeFileSync, existsSync } = (process as any).getBuiltinModule('node:fs') as typeof import('node:fs')
const require = createRequire(import.meta.url)
const root = resolve(__dirname, '..')

/** Every host call answers after this (ms); the demo's resolver after its own 250 ms. */
export const MP_LATENCY_MS = 50
const ROUNDS = Number(process.env.BENCH_MP_ROUNDS ?? 5)
const results: Record<string, unknown> = {}
afterAll(() => {
  // Alone (no BENCH_OUT): printed.
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(results, null, 2))
  else console.log(JSON.stringify(results, null, 2))
})

// The framework's Component() (uni registers pages with it): the first page's onLoad is marked when it runs.
// And `wx` as the launch sets it: each wx.qy call is marked when the kit makes it.
require('miniprogram-simulate')
const g = globalThis as any
const component = g.Component
let marks: Array<{ what: string; ms: number }> = []
let started = 0
const mark = (what: string) => marks.push({ what, ms: performance.now() - started })
const wrap = (holder: any, key: string, what: string) => {
  const run = holder?.[key]
  if (typeof run == 'function')
    holder[key] = function (this: unknown, ...args: unknown[]) {
      mark(what)
      return run.apply(this, args)
    }
}
g.Component = (options: any) => {
  const holder = options.methods?.onLoad ? options.methods : options
  if (holder.onLoad) {
    // The first page: its component attached (uni sets up its Vue instance then), then its onLoad.
    wrap(options.lifetimes?.attached ? options.lifetimes : options, 'attached', 'page attached')
    wrap(holder, 'onLoad', 'onLoad')
  }
  return component(options)
}
// App() as the launch defines it: onLaunch marked (app.js has run: uni's runtime, main.ts, the kit installed).
let defineApp: any
Object.defineProperty(g, 'App', {
  configurable: true,
  get: () => defineApp,
  set(value: any) {
    defineApp = (options: any) => (wrap(options, 'onLaunch', 'onLaunch'), value(options))
  },
})
let wx: any = g.wx
const marked = new WeakSet<object>()
Object.defineProperty(g, 'wx', {
  configurable: true,
  get: () => wx,
  set(value: any) {
    const qy = value?.qy
    if (qy && !marked.has(qy)) {
      value.qy = Object.fromEntries(
        Object.entries(qy).map(([api, fn]) => [api, typeof fn == 'function' ? (...args: unknown[]) => (mark(api), (fn as any)(...args)) : fn]),
      )
      marked.add(value.qy)
    }
    wx = value
  },
})

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

/** One launch: the marks (each wx.qy call, onLoad) in ms after app.js starts loading, and when the name shows. */
async function launchOnce(dist: string) {
  marks = []
  started = performance.now()
  const page = launchPage({
    dist,
    page: 'pages/index/index',
    scenario: { entry: 'chain_single_chat_tools', latencyMs: MP_LATENCY_MS, sessionValid: true },
  })
  try {
    // The name as the page shows it: the card's title, or the profile in the page's useChainContact() section
    // (the framework scopes a component's classes: `chain-contact-card--uct-card__title`).
    const named = () =>
      [...page.dom.querySelectorAll('[class*="uct-card__title"], [class*="kv__v"]')].some((node) => node.textContent?.includes('张伟'))
    await until(named, () => `no name on the page; marks: ${JSON.stringify(marks)}`, 8000)
    mark('name')
    return marks
  } finally {
    page.close()
  }
}

/** The launches of `dist`: for each step, its place (before or after onLoad) and its median time. */
async function measureLaunch(dist: string) {
  const runs = []
  for (let i = 0; i < ROUNDS; i++) runs.push(await launchOnce(dist))
  const steps = [...new Set(runs.flatMap((run) => run.map((m) => m.what)))]
  return steps.map((what) => {
    const at = runs.map((run) => run.find((m) => m.what == what)?.ms).filter((ms): ms is number => ms != null)
    /** The first of the launch's events this step came before, in every launch. */
    const before =
      ['onLaunch', 'page attached', 'onLoad'].find((event) =>
        runs.every((run) => {
          const step = run.findIndex((m) => m.what == what)
          const at = run.findIndex((m) => m.what == event)
          return step >= 0 && at >= 0 && step < at
        }),
      ) ?? null
    const count = median(runs.map((run) => run.filter((m) => m.what == what).length))
    return { what, count, ms: Math.round(median(at)), before, beforeOnLoad: before != null }
  })
}

it('the mini program launch: host calls against the first page\'s onLoad, and the name', async () => {
  const current = join(root, 'dist/build/mp-weixin')
  if (!existsSync(join(current, 'app.js'))) throw new Error('bench: build the mini program first (npm run build:mp-weixin)')
  results.latencyMs = MP_LATENCY_MS
  results.rounds = ROUNDS
  // One build per process: wcc's compiled templates keep global state keyed by the page's path, so a second
  // build with the same page names in the same process renders with the first one's templates.
  // bench/run.mjs runs the baseline in a process of its own (BENCH_MP_BASELINE with BENCH_MP_ONLY=baseline).
  const baseline = process.env.BENCH_MP_BASELINE
  results.baselineRef = process.env.BENCH_MP_BASELINE_REF ?? null
  if (process.env.BENCH_MP_ONLY === 'baseline') results.baseline = await measureLaunch(baseline!)
  else results.current = await measureLaunch(current)
}, 120000)
