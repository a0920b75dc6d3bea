// `npm run bench`: every figure in one run — sizes (bench/sizes.mjs, the same code the budgets in
// `npm test` use) and the runtime figures (bench/runtime.test.ts under vitest, against the scripted
// hosts). Prints the tables (Markdown, as in docs/performance.md) and writes bench/results.json.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { BUDGETS, GOALS, componentNames, measureSizes, root } from './sizes.mjs'
import { measureServer, serverTable } from './server.mjs'
import { checkoutBaseline } from './baseline.mjs'
import { DEFAULT_BASELINE, browserTables, measureBrowser } from './browser.mjs'

const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
/** The commits the side-by-side figures compare with: `--baseline=REF` (time to name in Chromium), `--render-baseline=REF`. */
const BASELINE = option('baseline', DEFAULT_BASELINE)
const RENDER_BASELINE = option('render-baseline', 'bbcf787')

const require = createRequire(import.meta.url)
const started = Date.now()

// Every component is measured; BENCH_ALLOW_MISSING_COMPONENTS=1 runs the rest while they are written.
const EXPECTED = ['chain-contact-card', 'chain-entry-gate', 'chain-group-card', 'share-to-chat-button']
const missing = EXPECTED.filter((name) => !componentNames().includes(name))
if (missing.length && process.env.BENCH_ALLOW_MISSING_COMPONENTS !== '1') {
  process.stderr.write(`bench: components missing: ${missing.join(', ')} (components/<name>/<name>.vue)\n`)
  process.exit(1)
}

// 1. Sizes
process.stderr.write('bench: sizes (vite + terser + gzip) …\n')
const sizes = await measureSizes()

// 2. Runtime figures, in vitest processes (--expose-gc).
process.stderr.write('bench: runtime (vitest, scripted wx.qy and WeixinJSBridge) …\n')
const tmp = mkdtempSync(join(tmpdir(), 'uct-bench-'))
/** Runs bench/runtime.test.ts (or the tests `args` pick) in a process of its own; its figures. */
function runRuntime(extra, args = []) {
  const out = join(tmp, `runtime-${args.length ? 'part' : 'all'}.json`)
  // Production builds of Vue and Pinia, as an app ships them (vue/index.js picks its build from NODE_ENV).
  const env = { ...process.env, UNI_PLATFORM: 'h5', BENCH_OUT: out, NODE_ENV: 'production', ...extra }
  const vitest = [require.resolve('vitest/vitest.mjs'), 'run', '--config', 'bench/vitest.bench.config.mts', '--reporter=dot', ...args]
  const run = spawnSync(process.execPath, vitest, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env })
  if (run.status !== 0) {
    process.stderr.write('bench: the runtime measurements failed\n')
    process.exit(1)
  }
  return JSON.parse(readFileSync(out, 'utf8'))
}
const runtime = runRuntime({})
// 5b in a process of its own, where both trees' cards start alike: run after section 5's 15,000 mounts of
// this tree's card, the same trees measured 0.78 × against 1.00–1.05 × in a process of their own.
const renderBaseline = checkoutBaseline(RENDER_BASELINE, 'render')
try {
  runtime.renderBaseline = runRuntime({ BENCH_RENDER_BASELINE: renderBaseline.dir, BENCH_RENDER_BASELINE_REF: RENDER_BASELINE }, ['-t', '5b']).renderBaseline
} finally {
  renderBaseline.remove()
}

rmSync(tmp, { recursive: true, force: true })

// 3. The server companion: fetches under 1,000 concurrent cold requests, warm req/s against a bare node:http floor, RSS.
process.stderr.write('bench: server companion (fake WeCom API, redis-server, keep-alive load on 127.0.0.1) …\n')
const server = await measureServer()

// 4. What a person sees: the demo's production H5 build in Chromium inside a scripted WeCom, beside a baseline build.
process.stderr.write(`bench: time to name in Chromium (this build and ${BASELINE}'s, alternately) …\n`)
const built = spawnSync(process.execPath, ['scripts/uni.cjs', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
if (built.status !== 0) {
  process.stderr.write('bench: the H5 build failed\n')
  process.exit(1)
}
const browser = await measureBrowser({ baseline: BASELINE, rounds: Number(option('rounds', 9)) })

// 5. The mini program's launch on WeChat's component framework: this build's and the baseline's.
process.stderr.write(`bench: the mini program's launch (miniprogram-simulate, this build and ${BASELINE}'s) …\n`)
const mpLaunch = measureMpLaunch(BASELINE)

/** Builds the demo for the mini program here and at `ref` (a worktree), and times both launches (bench/mp-launch.test.ts). */
function measureMpLaunch(ref) {
  const build = (cwd) => spawnSync(process.execPath, ['scripts/uni.cjs', 'build', '-p', 'mp-weixin'], { cwd, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0
  if (!build(root)) throw new Error('bench: the mini program build failed')
  const checkout = checkoutBaseline(ref, 'mp')
  try {
    if (!build(checkout.dir)) throw new Error(`bench: the baseline ${ref} did not build for the mini program`)
    const load = loadavg()[0].toFixed(2)
    const vitest = [require.resolve('vitest/vitest.mjs'), 'run', '--config', 'bench/vitest.mp-launch.config.mts', '--reporter=dot']
    // Each build in a process of its own (wcc's templates keep global state by page path), this one first.
    const launches = ['current', 'baseline'].map((only) => {
      const file = join(mkdtempSync(join(tmpdir(), 'uct-bench-')), 'mp-launch.json')
      const env = { ...process.env, BENCH_OUT: file, BENCH_MP_ONLY: only, BENCH_MP_BASELINE: join(checkout.dir, 'dist/build/mp-weixin'), BENCH_MP_BASELINE_REF: ref }
      const ran = spawnSync(process.execPath, vitest, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env })
      if (ran.status !== 0) throw new Error(`bench: the mini program launch failed (${only === 'current' ? 'this build' : ref})`)
      return JSON.parse(readFileSync(file, 'utf8'))
    })
    return { ...launches[0], ...launches[1], load }
  } finally {
    checkout.remove()
  }
}

const results = {
  environment: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? null },
  hostCalls: runtime.hostCalls,
  timeToContact: runtime.timeToContact,
  timeToName: runtime.timeToName,
  sizes,
  budgets: BUDGETS,
  goals: GOALS,
  vueBuild: runtime.vueBuild,
  render: runtime.render,
  renderBaseline: runtime.renderBaseline,
  browser: { ...browser, samples: undefined },
  endurance: runtime.endurance,
  mpLaunch,
  server,
}
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n')

// 3. The table
const kb = (n) => `${(n / 1024).toFixed(2)} KB`
const pair = (c) => (c ? `${c.getContext} / ${c.getCurCorpGroupContact}` : '—')
const lines = []
const table = (head, rows) => {
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`)
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`)
  lines.push('')
}

lines.push('### 1. Host calls per activation (getContext / getCurCorpGroupContact)', '')
table(
  [
    'consumers',
    'each consumer uses',
    'mini program: first activation',
    'mini program: next activation',
    'H5: first activation',
    'H5: next activation',
  ],
  runtime.hostCalls.map((r) => [
    r.consumers,
    r.kind === 'hand-written'
      ? 'hand-written calls to the host (baseline)'
      : r.kind === 'components'
        ? 'every component'
        : 'every composable',
    pair(r.mp.first),
    pair(r.mp.second),
    pair(r.h5.first),
    pair(r.h5.second),
  ]),
)
const kitRow = runtime.hostCalls.find((r) => r.kind === 'composables')
lines.push(
  `Other calls per activation (kit, any number of consumers): mini program first ${kitRow.mp.first.other} (${kitRow.mp.otherApis.join(', ')}), next ${kitRow.mp.second.other} (checkSession); ` +
    `H5 first ${kitRow.h5.first.other} (${kitRow.h5.otherApis.join(', ')}), next ${kitRow.h5.second.other}.`,
  '',
)

lines.push('### 2. Time to contact (activation → contact rendered)', '')
const ttc = runtime.timeToContact
const cases = [...new Set(ttc.map((r) => `${r.host}|${r.session}`))]
table(
  ['host', 'session', 'L = 0', 'L = 20 ms', 'L = 100 ms', 'sequential round trips', 'critical path'],
  cases.map((key) => {
    const rows = ttc.filter((r) => `${r.host}|${r.session}` === key)
    const at = (l) => rows.find((r) => r.latencyMs === l)
    return [
      rows[0].host,
      rows[0].session,
      `${at(0).medianMs} ms`,
      `${at(20).multipleOfL} × L`,
      `${at(100).multipleOfL} × L`,
      at(20).rounds,
      at(20).path,
    ]
  }),
)

lines.push("### 3. Time to name (activation → the contact's name on screen), under a latency model", '')
const ttn = runtime.timeToName
table(
  ['host', 'page', 'first open', 'repeat open', 'critical path, repeat open'],
  [...new Set(ttn.rows.map((r) => `${r.host}|${r.page}`))].map((key) => {
    const [first, repeat] = ['first', 'repeat'].map((open) => ttn.rows.find((r) => `${r.host}|${r.page}` === key && r.open === open))
    const cell = (r) => (r.page === 'hand-written' ? `${r.ms} ms` : `${r.ms} ms (**${r.ratio} ×**)`)
    return [first.host, first.page, cell(first), cell(repeat), repeat.path]
  }),
)
lines.push(
  `Model (ms per step; bench/time-to-name.ts says where each comes from): ${Object.entries(ttn.model)
    .map(([step, ms]) => `${step} ${ms}`)
    .join(', ')}; ` + 'the SDK chunk 0 on a repeat open (HTTP cache). Ratios to the hand-written page, same host and open.',
  '',
)
const repeatRatio = (host) => ttn.rows.find((r) => r.host === host && r.page === 'kit' && r.open === 'repeat').ratio
lines.push(
  'Goal (repeat open, kit): ' +
    [
      ['H5', 0.75],
      ['mini program', 0.6],
    ]
      .map(([host, goal]) => `${host} ≤ ${goal} × — ${repeatRatio(host) <= goal ? 'met' : '**missed**'} (${repeatRatio(host)} ×)`)
      .join('; ') +
    '.',
  '',
)

lines.push(`### 3b. Time to name in Chromium (the demo's production H5 build inside a scripted WeCom, beside ${browser.baseline})`, '')
lines.push(browserTables(browser), '')
lines.push(
  `Medians of ${browser.rounds} opens each, the two builds alternating in one Chromium; load average ${browser.load.before} before, ${browser.load.after} after. ` +
    `Model (ms): every built asset ${browser.model.chunk} ` +
    `(a repeat open takes them from the HTTP cache), the signature endpoint ${browser.model.signature}, agentConfig ${browser.model.agentConfig}, ` +
    `every other bridge call ${browser.model.bridge}, the demo's resolver ${browser.model.resolver}. Times are from navigation to the name on screen.`,
  '',
)

lines.push(`### 3c. The mini program's launch on WeChat's component framework (this build beside ${mpLaunch.baselineRef})`, '')
{
  const events = { onLaunch: '`App` `onLaunch` (app.js has run)', 'page attached': 'the first page attached', onLoad: "the first page's `onLoad`", name: "the contact's name on the page" }
  const steps = [...new Set([...mpLaunch.current, ...(mpLaunch.baseline ?? [])].map((step) => step.what))]
  const find = (list, what) => list?.find((s) => s.what == what)
  const cell = (list, what) => {
    const step = find(list, what)
    if (!step) return '—'
    const place = events[what] ? '' : step.before ? `, before ${step.before}` : ', after onLoad'
    return `${step.ms} ms${place}${step.count > 1 ? ` (${step.count} calls)` : ''}`
  }
  const afterOnLoad = (list) => (find(list, 'name') && find(list, 'onLoad') ? `${find(list, 'name').ms - find(list, 'onLoad').ms} ms` : '—')
  table(
    ['step (ms after app.js starts loading; medians)', 'this build', mpLaunch.baselineRef],
    [
      ...steps.map((what) => [events[what] ?? `\`wx.qy.${what}\``, cell(mpLaunch.current, what), cell(mpLaunch.baseline, what)]),
      ["the name, after the first page's `onLoad`", afterOnLoad(mpLaunch.current), afterOnLoad(mpLaunch.baseline)],
    ],
  )
  lines.push(
    `${mpLaunch.rounds} launches of each build, one after the other, in one process (load average ${mpLaunch.load}); every wx.qy call answers after ` +
      `${mpLaunch.latencyMs} ms, the demo's resolver after 250 ms. "Before X": in every launch the call started before X.`,
    '',
  )
}

lines.push('### 4. Bytes added (vue, pinia, @dcloudio/uni-app external; terser, gzip -9)', '')
const n = (b) => `${b.toLocaleString('en')} B`
const mpApp = sizes.mp.app.initial
const goal = (gzip, target) => (gzip <= target ? `goal ${kb(target)} met` : `goal ${kb(target)} missed by ${gzip - target} B`)
const mpGoal = goal(mpApp.gzip, GOALS.mpKitGzip)
const h5After = { min: sizes.h5.app.initial.min + sizes.h5.app.lazy.min, gzip: sizes.h5.app.initial.gzip + sizes.h5.app.lazy.gzip }
const over = (gzip, budget) => (gzip <= budget ? 'within' : `**over by ${gzip - budget} B**`)
table(
  ['what', 'minified', 'gzip', 'budget / note'],
  [
    [
      'mini program: core + composables, as an app imports them',
      n(mpApp.min),
      n(mpApp.gzip),
      `≤ ${n(BUDGETS.mpKitGzip)}: ${over(mpApp.gzip, BUDGETS.mpKitGzip)}; ${mpGoal}; SDK: ${n(sizes.mp.app.lazy.min)}`,
    ],
    [
      'mini program: every export of index.ts',
      n(sizes.mp.surface.initial.min),
      n(sizes.mp.surface.initial.gzip),
      'upper bound: the web host too (its SDK chunk not counted)',
    ],
    [
      'H5: core + composables, initial (before the SDK)',
      n(sizes.h5.app.initial.min),
      n(sizes.h5.app.initial.gzip),
      `SDK in it: ${sizes.h5.app.initialHasSdk ? '**yes**' : 'none'}`,
    ],
    [
      'H5: the lazy SDK chunk (src/host/wecom-sdk.ts)',
      n(sizes.h5.app.lazy.min),
      n(sizes.h5.app.lazy.gzip),
      'loaded on the first host call inside WeCom only',
    ],
    ['H5: after the SDK chunk loads', n(h5After.min), n(h5After.gzip), 'initial + lazy'],
    ...Object.entries(sizes.components).map(([name, c]) => [
      `component \`${name}\`: its own script, template, style and texts`,
      n(c.own.total.min),
      n(c.own.total.gzip),
      `≤ ${n(BUDGETS.componentGzip)}: ${over(c.own.total.gzip, BUDGETS.componentGzip)}; ${goal(c.own.total.gzip, GOALS.componentGzip)}; JS ${n(c.own.js.gzip)} + CSS ${n(c.own.css.gzip)}; ` +
        `alone on a page (with the shared part): ${n(c.total.gzip)}; next to the other components: +${n(c.marginal.gzip)}`,
    ]),
    [
      'what every component with a UI shares (theme, i18n runtime, error texts)',
      n(sizes.componentsShared.total.min),
      n(sizes.componentsShared.total.gzip),
      `≤ ${n(BUDGETS.componentsSharedGzip)}: ${over(sizes.componentsShared.total.gzip, BUDGETS.componentsSharedGzip)}; paid once, with a page's first kit component; JS ${n(sizes.componentsShared.js.gzip)} + CSS ${n(sizes.componentsShared.css.gzip)}`,
    ],
    ...(sizes.componentsTogether
      ? [
          [
            'all components together',
            n(sizes.componentsTogether.total.min),
            n(sizes.componentsTogether.total.gzip),
            'each shared byte once',
          ],
        ]
      : []),
    ['anchor: @wecom/jssdk, the subset the kit uses', n(sizes.sdk.subset.min), n(sizes.sdk.subset.gzip), 'register, env and the four APIs'],
    ['anchor: @wecom/jssdk, all of it', n(sizes.sdk.whole.min), n(sizes.sdk.whole.gzip), ''],
  ],
)

lines.push('### 5. Render (mounting 100, ratio to 100 plain views showing the same ids)', '')
if (runtime.render) {
  const r = runtime.render
  table(
    ['100 of', 'ratio', 'median time to mount (this machine)'],
    [
      ['`chain-contact-card` (loaded state, ids)', `**${r.ratio} ×**`, `${r.cardsMedianMs} ms`],
      ['components that call `useChainContact()` and render one view', `${r.consumersRatio} ×`, `${r.consumersMedianMs} ms`],
      ['plain views', '1 ×', `${r.viewsMedianMs} ms`],
    ],
  )
  lines.push(
    `Vue ${runtime.vueBuild} build in happy-dom; ratios are medians over ${r.samples} samples of ${r.mountsPerSample} mounts each; host calls while mounting: ${r.hostCallsWhileMounting}.`,
    '',
  )
} else lines.push('No contact card to measure.', '')
if (runtime.renderBaseline) {
  const b = runtime.renderBaseline
  lines.push(
    `Against ${b.ref}'s cards in the same run (100 mounted, alternately, ${b.samples} samples): fastest mount ${b.currentMinMs} ms here, ` +
      `${b.baselineMinMs} ms there (${b.ratioOfMinimums} ×); median of the paired ratios **${b.medianRatio} ×** ` +
      `(middle half ${b.ratioQuartiles.join('–')} ×; load average ${b.load ?? '?'}).`,
    '',
  )
}

lines.push('### 6. Endurance (activations with a share between each two)', '')
table(
  [
    'host',
    'activations + shares',
    'heap growth (after GC)',
    'host calls per activation',
    'timers left',
    'listeners: after mount → at end → after unmount',
  ],
  Object.entries(runtime.endurance).map(([host, e]) => [
    host,
    `${e.activations.toLocaleString('en')} + ${e.shares.toLocaleString('en')} (${e.seconds} s)`,
    `${e.heapGrowthKB} KB over the last ${e.measuredOver.toLocaleString('en')} (${e.heapGrowthBytesPerActivation} B per activation); at each fifth: ${e.heapCheckpointsKB.map((c) => c.heapKB).join(', ')} KB`,
    Object.entries(e.hostCallsPerActivation)
      .map(([api, n]) => `${api} ${n}`)
      .join(', '),
    `${e.timersPendingAtEnd} of ${e.timersCreated.toLocaleString('en')}`,
    `${fmt(e.listenersAfterMount)} → ${fmt(e.listenersAtEnd)} → ${fmt(e.listenersAfterUnmount)}`,
  ]),
)
function fmt(listeners) {
  return Object.entries(listeners)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ')
}

lines.push('', serverTable(server), '')
lines.push(
  `Measured with node ${process.version} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; \`npm run bench\` took ${Math.round((Date.now() - started) / 1000)} s.`,
)
console.log(`\n${lines.join('\n')}`)
process.stderr.write(`bench: wrote bench/results.json\n`)
