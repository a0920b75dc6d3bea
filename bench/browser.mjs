// `npm run bench`, what a person sees: the demo's production H5 build, served statically, opened in real
// Chromium inside a scripted WeCom (a wxwork user agent and a WeixinJSBridge written here), timed from
// navigation to the contact's NAME on screen. This tree's build and a baseline build (a git ref, built in
// a temporary worktree) are opened alternately in the same run, so the figure is a ratio, not a wall time
// that depends on the machine.
//
// The latency model (ms; stated in docs/performance.md):
// - every request for a built asset (the runtime, the page chunk, the SDK chunk) waits `chunk` before it
//   is answered; a repeat open gets assets from the HTTP cache (they are served cacheable);
// - the app's signature endpoint answers after `signature`;
// - the WeCom client answers `agentConfig` after `agentConfig` (a round trip to WeCom's servers) and
//   every other bridge call after `bridge`;
// - the demo's own resolver answers after 250 ms (pages/demo.ts).
import { spawnSync } from 'node:child_process'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { checkoutBaseline } from './baseline.mjs'

const root = resolve(fileURLToPath(import.meta.url), '../..')

export const BROWSER_MODEL = { chunk: 60, signature: 120, agentConfig: 150, bridge: 50, resolver: 250 }
/** main before the kit started its first activation at install: what `npm run bench` compares with by default. */
export const DEFAULT_BASELINE = 'd88ca90'

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
}
const WECOM_UA =
  'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light'
const sleep = (ms) => new Promise((done) => setTimeout(done, ms))

/** The built demo on 127.0.0.1: assets cacheable and late by `chunk`, the signature endpoint late by `signature`. */
async function serve(dir, model) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/api/wecom/agent-signature') {
      await sleep(model.signature)
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      return res.end(JSON.stringify({ timestamp: 1717171717, nonceStr: 'bench-nonce', signature: 'bench-signature-sha1' }))
    }
    let file = normalize(join(dir, decodeURIComponent(url.pathname)))
    if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html')
    const html = file.endsWith('index.html')
    await sleep(html ? model.chunk / 2 : model.chunk)
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': html ? 'no-cache' : 'public, max-age=31536000, immutable',
    })
    createReadStream(file).pipe(res)
  })
  await new Promise((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => (server.closeAllConnections(), server.close(done))),
  }
}

/** Runs in the page before its scripts: the scripted client, and the moment the contact's name is on screen. */
function inPage(model) {
  const w = window
  // The timeline: each bridge call when the SDK makes it (the first of each name), and the moments below.
  const marks = (w.__uctMarks = {})
  const mark = (what) => (marks[what] ??= performance.now())
  // The main thread's long tasks (> 50 ms: uni's boot, the page's mount): nothing else runs while they do.
  w.__uctBusy = []
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) w.__uctBusy.push([task.startTime, task.duration])
  }).observe({ type: 'longtask', buffered: true })
  w.WeixinJSBridge = {
    invoke(name, params, callback) {
      mark(name)
      const answers = {
        agentConfig: { err_msg: 'agentConfig:ok', checkResult: {} },
        getContext: { err_msg: 'getContext:ok', entry: 'chain_single_chat_tools' },
        getCurCorpGroupContact: { err_msg: 'getCurCorpGroupContact:ok', corpId: 'wwd6f2ad1e8b7c3a90', userId: 'ZhangWei' },
      }
      setTimeout(() => callback(answers[name] ?? { err_msg: `${name}:fail_function not exist` }), name === 'agentConfig' ? model.agentConfig : model.bridge)
    },
    on() {},
  }
  new MutationObserver((_, observer) => {
    if (document.querySelector('.demo-head')) mark('mounted')
    if (document.querySelector('.uct-contact-card')) mark('card')
    const card = document.querySelector('.uct-contact-card .uct-card__title')
    if (card && card.textContent.includes('张伟')) {
      w.__uctNameAt = performance.now()
      observer.disconnect()
    }
  }).observe(document, { subtree: true, childList: true, characterData: true })
}

/**
 * Runs in the page once the name is on screen: when each step started (ms after navigation). Requests from
 * the Resource Timing entries (their start; a repeat open's assets come from the HTTP cache), bridge calls
 * from the scripted client.
 */
function collectTimeline() {
  const w = window
  const requested = (pattern) => performance.getEntriesByType('resource').find((entry) => pattern.test(entry.name))?.startTime
  return {
    entry: requested(/\/assets\/index-[^/]*\.js$/),
    page: requested(/\/assets\/pages-[^/]*\.js$/),
    signature: requested(/\/api\/wecom\/agent-signature/),
    sdk: requested(/wecom-sdk[^/]*\.js$/),
    agentConfig: w.__uctMarks.agentConfig,
    getContext: w.__uctMarks.getContext,
    mounted: w.__uctMarks.mounted,
    card: w.__uctMarks.card,
    getCurCorpGroupContact: w.__uctMarks.getCurCorpGroupContact,
    name: w.__uctNameAt,
    busy: w.__uctBusy.filter(([start]) => start < w.__uctNameAt).reduce((sum, [, duration]) => sum + duration, 0),
  }
}

/** What the timeline table shows, in order. */
export const TIMELINE_STEPS = [
  ['entry', "uni's runtime and the app's entry chunk requested"],
  ['page', "the first page's chunk requested"],
  ['signature', 'the signature request leaves'],
  ['sdk', 'the SDK chunk requested'],
  ['agentConfig', '`agentConfig` (bridge)'],
  ['getContext', '`getContext` (bridge)'],
  ['mounted', "the first page is in the document (uni's mount done)"],
  ['card', 'the contact card is in the page'],
  ['getCurCorpGroupContact', '`getCurCorpGroupContact` (bridge)'],
  ['name', "the contact's name on screen"],
  ['busy', 'main thread in long tasks before the name (ms, total)'],
]

/** Builds the demo's H5 production bundle of `ref` in a worktree. */
function buildRef(ref) {
  const checkout = checkoutBaseline(ref, 'browser')
  const built = spawnSync(process.execPath, ['scripts/uni.cjs', 'build'], { cwd: checkout.dir, stdio: ['ignore', 'ignore', 'inherit'] })
  if (built.status !== 0) {
    checkout.remove()
    throw new Error(`bench: the baseline ${ref} did not build`)
  }
  return { dist: join(checkout.dir, 'dist/build/h5'), remove: checkout.remove }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/**
 * Time to name, first and repeat open, for this tree's build (`dist`, built already) and the baseline's,
 * alternating, `rounds` times each. A first open is a fresh browser context (no storage, no HTTP cache);
 * the repeat open is the next page in that context.
 */
export async function measureBrowser({ baseline = DEFAULT_BASELINE, rounds = 7, model = BROWSER_MODEL } = {}) {
  const { chromium } = await import('playwright-core')
  const current = { dist: join(root, 'dist/build/h5') }
  if (!existsSync(join(current.dist, 'index.html'))) throw new Error('bench: build the H5 demo first (npm run build:h5)')
  const base = buildRef(baseline)
  const sites = { current: await serve(current.dist, model), baseline: await serve(base.dist, model) }
  const browser = await chromium.launch({
    executablePath: process.env.UCT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const times = { current: { first: [], repeat: [] }, baseline: { first: [], repeat: [] } }
  const load = { before: loadavg()[0].toFixed(2) }
  const open = async (context, site) => {
    const page = await context.newPage()
    await page.addInitScript(inPage, model)
    await page.goto(site.url + '/')
    await page.waitForFunction(() => window.__uctNameAt, undefined, { timeout: 15000 })
    const at = await page.evaluate(collectTimeline)
    await page.close()
    return at
  }
  try {
    for (let round = 0; round < rounds; round++) {
      // Alternate which build goes first, so a drift of the machine falls on both.
      for (const which of round % 2 ? ['baseline', 'current'] : ['current', 'baseline']) {
        const context = await browser.newContext({ userAgent: WECOM_UA, viewport: { width: 360, height: 780 }, locale: 'zh-CN' })
        times[which].first.push(await open(context, sites[which]))
        times[which].repeat.push(await open(context, sites[which]))
        await context.close()
      }
    }
  } finally {
    await browser.close()
    await sites.current.close()
    await sites.baseline.close()
    base.remove()
    load.after = loadavg()[0].toFixed(2)
  }
  const at = (which, open, step) => {
    const xs = times[which][open].map((t) => t[step]).filter((x) => x != null)
    return xs.length ? Math.round(median(xs)) : null
  }
  const row = (open) => {
    const now = median(times.current[open].map((t) => t.name))
    const before = median(times.baseline[open].map((t) => t.name))
    return { open, currentMs: Math.round(now), baselineMs: Math.round(before), ratio: +(now / before).toFixed(2) }
  }
  /** Medians of each step, ms after navigation: this build and the baseline's, first and repeat open. */
  const timeline = TIMELINE_STEPS.map(([step, what]) => ({
    step,
    what,
    first: { current: at('current', 'first', step), baseline: at('baseline', 'first', step) },
    repeat: { current: at('current', 'repeat', step), baseline: at('baseline', 'repeat', step) },
  }))
  return { baseline, rounds, model, load, rows: [row('first'), row('repeat')], timeline, samples: times }
}

/** The two tables `npm run bench` prints: time to name, and the timeline of the opens. */
export function browserTables(result) {
  const ms = (x) => (x == null ? '—' : `${x}`)
  return [
    `| open | this build | baseline (${result.baseline}) | ratio |`,
    '|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.open} | ${r.currentMs} ms | ${r.baselineMs} ms | **${r.ratio} ×** |`),
    '',
    `| ms after navigation (medians) | first: this build | first: ${result.baseline} | repeat: this build | repeat: ${result.baseline} |`,
    '|---|---|---|---|---|',
    ...result.timeline.map((t) => `| ${t.what} | ${ms(t.first.current)} | ${ms(t.first.baseline)} | ${ms(t.repeat.current)} | ${ms(t.repeat.baseline)} |`),
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
  const result = await measureBrowser({ baseline: arg('baseline') ?? DEFAULT_BASELINE, rounds: Number(arg('rounds') ?? 7) })
  console.log(browserTables(result))
}
