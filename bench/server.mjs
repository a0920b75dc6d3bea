// `npm run bench`, server part: (a) access token and app ticket fetches for 1,000 concurrent signature
// requests over HTTP, in one process and in two instances sharing a real redis-server, against the fake
// WeCom API on 127.0.0.1 (30 ms per call); (b) warm signatures per second and latency over keep-alive HTTP for
// the kit's node:http handler, for the same handlers bridged through Web Request/Response, and for a bare
// node:http server answering a precomputed sha1 (the machine's floor), all in this one process; (c) RSS
// before and after 20,000 requests to the kit; (d) a 20 MB file uploaded through the companion's POST /wecom/media
// to the fake API's media/upload, against the same bytes piped straight to media/upload by the same streaming client,
// in rounds of a rotating order (at once, then at a link's pace), with the companion's memory sampled in runs of
// its own. Load only on 127.0.0.1, bounded in count and in time. Counts are exact; times are this machine's and
// are reported, never asserted.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { fork } from 'node:child_process'
import { Agent, createServer, request } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChainToolbarHandlers, createMemoryCache, createRedisCache, toNodeHandler } from '../server/index.mjs'
import { createFakeWeComApi } from '../server/testing/fake-wecom.mjs'
import { startRedisServer } from '../server/testing/redis-server.mjs'

const PAGE = 'https://app.example.com/h5/index.html?from=toolbar'
const PATH = `/wecom/agent-signature?url=${encodeURIComponent(PAGE)}`
const COLD_REQUESTS = 1000
const WARM_REQUESTS = Number(process.env.BENCH_SERVER_REQUESTS ?? 20000)
const COMPARE_REQUESTS = Number(process.env.BENCH_SERVER_COMPARE ?? 10000)
const ROUNDS = 4
const CONNECTIONS = 32
const TIME_LIMIT_MS = 60_000
const count = (fake, api) => fake.calls.filter((c) => c.api === api).length

function handlersFor(fake, cache) {
  return createChainToolbarHandlers({
    ...fake.companion,
    allowedOrigins: ['https://app.example.com'],
    sessionSecret: randomBytes(32).toString('hex'),
    cache,
  })
}

async function listen(listener) {
  const server = createServer(listener)
  server.maxRequestsPerSocket = 0
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: server.address().port,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

/** GET `path` on 127.0.0.1:`port` → status (the body is read and dropped). */
function get(agent, port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.on('data', () => {})
      res.on('end', () => resolve(res.statusCode))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * `total` GETs over `connections` keep-alive connections: req/s, p50/p99 (ms), non-200 answers.
 * Stops early past TIME_LIMIT_MS.
 */
async function load(port, total, connections = CONNECTIONS) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  const latencies = new Float64Array(total)
  let next = 0
  let done = 0
  let errors = 0
  const started = performance.now()
  async function worker() {
    while (next < total && performance.now() - started < TIME_LIMIT_MS) {
      const i = next++
      const t = performance.now()
      try {
        if ((await get(agent, port, PATH)) !== 200) errors++
      } catch {
        errors++
      }
      latencies[i] = performance.now() - t
      done++
    }
  }
  await Promise.all(Array.from({ length: connections }, worker))
  const elapsed = performance.now() - started
  agent.destroy()
  return summary(Array.from(latencies.subarray(0, done)), errors, elapsed)
}

function summary(latencies, errors, elapsedMs) {
  const sorted = latencies.sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  const requests = sorted.length
  return {
    requests,
    errors,
    seconds: elapsedMs / 1000,
    perSecond: Math.round(requests / (elapsedMs / 1000)),
    p50: at(0.5),
    p99: at(0.99),
    latencies,
  }
}

/** One summary of several runs (their latencies together, their times added). */
function merge(runs) {
  const { latencies: _latencies, ...rest } = summary(
    runs.flatMap((r) => r.latencies),
    runs.reduce((n, r) => n + r.errors, 0),
    runs.reduce((ms, r) => ms + r.seconds * 1000, 0),
  )
  return rest
}

/** Retries a first command while the client loads `redis` and connects (slow on a busy machine). */
async function connected(cache) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await cache.get('connect')
    } catch (error) {
      if (attempt >= 10) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

/** 1,000 concurrent signature requests over HTTP, each on its own connection, on cold caches. */
async function coldStart(ports) {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity })
  const statuses = await Promise.all(
    Array.from({ length: COLD_REQUESTS }, (_, i) => get(agent, ports[i % ports.length], PATH).catch(() => 0)),
  )
  agent.destroy()
  return statuses.filter((s) => s !== 200).length
}

export async function measureServer() {
  const coldRows = []
  {
    const fake = await createFakeWeComApi({ latencyMs: 30 })
    const kit = await listen(toNodeHandler(handlersFor(fake, createMemoryCache())))
    const started = performance.now()
    const errors = await coldStart([kit.port])
    const ms = performance.now() - started
    coldRows.push({
      setup: 'one process, in-memory cache',
      requests: COLD_REQUESTS,
      errors,
      tokenFetches: count(fake, 'gettoken'),
      ticketFetches: count(fake, 'ticket/get'),
      ms,
    })
    await kit.close()
    await fake.close()
  }
  let redis = null
  try {
    redis = await startRedisServer()
  } catch (error) {
    coldRows.push({ setup: 'two instances sharing Redis', error: error.message })
  }
  if (redis) {
    const fake = await createFakeWeComApi({ latencyMs: 30 })
    const prefix = `bench:${randomBytes(4).toString('hex')}:`
    const caches = [createRedisCache({ url: redis.url, prefix }), createRedisCache({ url: redis.url, prefix })]
    try {
      await Promise.all(caches.map(connected)) // connected, as running instances are
      const kits = await Promise.all(caches.map((cache) => listen(toNodeHandler(handlersFor(fake, cache)))))
      const started = performance.now()
      const errors = await coldStart(kits.map((k) => k.port))
      const ms = performance.now() - started
      coldRows.push({
        setup: 'two instances sharing Redis',
        requests: COLD_REQUESTS,
        errors,
        tokenFetches: count(fake, 'gettoken'),
        ticketFetches: count(fake, 'ticket/get'),
        ms,
      })
      await Promise.all(kits.map((k) => k.close()))
    } finally {
      await Promise.all(caches.map((c) => c.close()))
      await fake.close()
      await redis.stop()
    }
  }

  // Warm: the same GET, answered by three servers in turn, in this process.
  const fake = await createFakeWeComApi()
  const handlers = handlersFor(fake, createMemoryCache())
  const body = JSON.stringify({
    timestamp: 1700000000,
    nonceStr: 'Wm3WZYTPz0wzccnW',
    signature: createHash('sha1').update('x').digest('hex'),
  })
  const bare = await listen((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
  const kit = await listen(toNodeHandler(handlers))
  const bridged = await listen(toNodeHandler((request) => handlers.handle(request)))
  const warmRows = []
  let memory
  try {
    for (const server of [bare, kit, bridged]) await load(server.port, 1000) // warm-up
    global.gc?.()
    const before = process.memoryUsage()
    const kitRun = await load(kit.port, WARM_REQUESTS)
    global.gc?.()
    const after = process.memoryUsage()
    memory = {
      requests: kitRun.requests,
      rssBeforeMB: before.rss / 2 ** 20,
      rssAfterMB: after.rss / 2 ** 20,
      heapBeforeMB: before.heapUsed / 2 ** 20,
      heapAfterMB: after.heapUsed / 2 ** 20,
      gc: Boolean(global.gc),
    }
    // The three servers take turns (ROUNDS rounds), so a change in the machine's load falls on all of them.
    const runs = { bare: [], kit: [], bridged: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, server] of [
        ['bare', bare],
        ['kit', kit],
        ['bridged', bridged],
      ]) {
        runs[name].push(await load(server.port, Math.ceil(COMPARE_REQUESTS / ROUNDS)))
      }
    }
    const [floor, ours, web] = [merge(runs.bare), merge(runs.kit), merge(runs.bridged)]
    warmRows.push({ server: 'bare node:http, precomputed sha1 (floor)', ...floor })
    warmRows.push({ server: 'kit: toNodeHandler(handlers)', ...ours, ratio: ours.perSecond / floor.perSecond })
    warmRows.push({ server: 'kit through Web Request/Response (handlers.handle)', ...web, ratio: web.perSecond / floor.perSecond })
  } finally {
    await Promise.all([bare.close(), kit.close(), bridged.close()])
    await fake.close()
  }
  return { coldStart: coldRows, warm: warmRows, memory, connections: CONNECTIONS, media: await measureMedia() }
}

const MEDIA_BYTES = 20 * 1024 * 1024
const MEDIA_ROUNDS = Number(process.env.BENCH_MEDIA_ROUNDS ?? 24)
const MEMORY_RUNS = 3
/** The client's link in the second measure: 16 MiB/s (about 134 Mbit/s; a phone's uplink is slower). */
const LINK_BYTES_PER_SECOND = Number(process.env.BENCH_MEDIA_LINK ?? 16 * 2 ** 20)
const LINK_ROUNDS = Number(process.env.BENCH_MEDIA_LINK_ROUNDS ?? 6)

/**
 * POSTs `path` (a file on disk) as multipart/form-data, streamed from disk with a Content-Length, as one file part
 * named `part` after `fields`: the same client for both runs. Resolves with the status and the JSON answer.
 */
function postFile(url, { path, size, part, filename, contentType, fields = {}, headers = {}, rate = 0 }) {
  const boundary = `----bench-${randomBytes(8).toString('hex')}`
  let head = ''
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${part}"; filename="${filename}"; filelength=${size}\r\n`
  head += `Content-Type: ${contentType}\r\n\r\n`
  const headBytes = Buffer.from(head)
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(headBytes.length + size + tail.length),
      },
    })
    req.once('error', reject)
    req.once('response', (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.once('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }))
    })
    req.write(headBytes)
    const file = createReadStream(path, { highWaterMark: 64 * 1024 })
    file.once('end', () => req.end(tail))
    if (!rate) return void file.pipe(req, { end: false })
    // A link of `rate` bytes/s: each 64 KB leaves no sooner than its time on the link.
    const started = performance.now()
    let sent = 0
    file.on('data', (chunk) => {
      sent += chunk.length
      const drained = req.write(chunk)
      file.pause()
      const resume = () => setTimeout(() => file.resume(), Math.max(0, started + (sent / rate) * 1000 - performance.now()))
      if (drained) resume()
      else req.once('drain', resume)
    })
  })
}

/** The `q` quantile of `values` (0.5: the median), interpolated. */
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low)
}
const median = (values) => quantile(values, 0.5)

/** Starts bench/media-process.mjs in `args` role and waits for its first message. */
async function spawnSide(args, env = {}) {
  // BENCH_MEDIA_PROF=<dir>: a CPU profile of each side, written there when it exits.
  const prof = process.env.BENCH_MEDIA_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_MEDIA_PROF}`] : []
  const child = fork(new URL('./media-process.mjs', import.meta.url), args, {
    execArgv: ['--expose-gc', ...prof],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const first = await new Promise((resolve, reject) => {
    child.once('message', resolve)
    child.once('exit', (code) => reject(new Error(`bench/media-process.mjs ${args[0]} exited (${code})`)))
  })
  const ask = (message) =>
    new Promise((resolve) => {
      child.once('message', resolve)
      child.send(message)
    })
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve)
      child.send('exit')
    })
  return { child, first, ask, stop }
}

/**
 * A 20 MB file through POST /wecom/media (multipart in; spooled and hashed; streamed on to media/upload while it
 * arrives, or after, with streamWhileReceiving off) against the same client piping the same bytes straight to the fake
 * API's media/upload. The fake API and each companion run in their own processes (they are separate machines in
 * production; in one process their CPU work would simply add up), the client in this one. Each round runs every path
 * once, back to back, in an order that rotates from round to round, each run with new bytes (no deduplication); a
 * round's ratio compares runs made seconds apart, so a change in the machine's load falls on both, and the median of
 * those paired ratios (with their quartiles) is the estimate; the ratio of the fastest runs is given beside it. Then
 * the same bytes once more through the companion. The companion's memory is sampled in separate runs.
 */
export async function measureMedia() {
  const fake = await spawnSide(['fake'])
  const fakeUrl = fake.first.url
  const sides = {
    streamed: await spawnSide(['companion', fakeUrl], { BENCH_FAKE_COMPANION: JSON.stringify(fake.first.companion) }),
    strict: await spawnSide(['companion', fakeUrl, 'strict'], { BENCH_FAKE_COMPANION: JSON.stringify(fake.first.companion) }),
  }
  const dir = mkdtempSync(join(tmpdir(), 'uct-bench-media-'))
  const path = join(dir, 'price-list.pdf')
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(MEDIA_BYTES - 9)])
  try {
    const { companion } = fake.first
    const tokenAnswer = await (await fetch(`${fakeUrl}/cgi-bin/gettoken?corpid=${companion.corpId}&corpsecret=${companion.secret}`)).json()
    const direct = (rate = 0) =>
      postFile(`${fakeUrl}/cgi-bin/media/upload?access_token=${tokenAnswer.access_token}&type=file`, {
        rate,
        path,
        size: MEDIA_BYTES,
        part: 'media',
        filename: 'price-list.pdf',
        contentType: 'application/pdf',
      })
    const through = (side) => (rate = 0) =>
      postFile(`http://127.0.0.1:${side.first.port}/wecom/media`, {
        rate,
        path,
        size: MEDIA_BYTES,
        part: 'file',
        filename: 'tmp_price-list.pdf',
        contentType: 'application/pdf',
        fields: { type: 'file', name: 'price-list.pdf' },
      })
    // sample: 'cpu' (timed runs: the companion's CPU time only), 'memory' (every 5 ms) or 'live' (with a GC before each).
    const timed = async (work, side, sample = 'cpu') => {
      if (side) await side.ask(`sample-start-${sample}`)
      const fakeCpu = (await fake.ask('cpu')).cpuMs
      const clientCpu = process.cpuUsage()
      const started = performance.now()
      const result = await work()
      const ms = performance.now() - started
      const client = process.cpuUsage(clientCpu)
      const fakeCpuMs = (await fake.ask('cpu')).cpuMs - fakeCpu
      const report = side ? await side.ask('sample-stop') : null
      if (result.status !== 200 || !(result.body.mediaid || result.body.media_id)) {
        throw new Error(`upload failed: ${JSON.stringify(result.body)}`)
      }
      const clientCpuMs = (client.user + client.system) / 1000
      return { ms, result, memory: report?.memory, cpuMs: report?.cpuMs, fakeCpuMs, clientCpuMs, gc: report?.gc }
    }
    let round = 0
    const fresh = () => {
      bytes.writeUInt32BE(++round, 16) // new content each run: every run is a real upload
      writeFileSync(path, bytes)
    }
    for (let i = 0; i < 3; i++) {
      for (const work of [direct, through(sides.streamed), through(sides.strict)]) {
        fresh()
        await work() // warm-up of each path (the first runs are several times slower)
      }
    }
    /** `rounds` rounds of the three paths in a rotating order, the client sending at `rate` bytes/s (0: at once). */
    const measureRounds = async (rounds, rate) => {
      const runs = { direct: [], streamed: [], strict: [] }
      const paths = [
        ['direct', () => timed(() => direct(rate))],
        ['streamed', () => timed(() => through(sides.streamed)(rate), sides.streamed)],
        ['strict', () => timed(() => through(sides.strict)(rate), sides.strict)],
      ]
      for (let i = 0; i < rounds; i++) {
        for (let j = 0; j < paths.length; j++) {
          const [name, run] = paths[(i + j) % paths.length]
          fresh()
          runs[name].push(await run())
        }
      }
      return runs
    }
    const uploadsBefore = (await fake.ask('count')).uploads
    const loadBefore = loadavg()
    const runs = await measureRounds(MEDIA_ROUNDS, 0)
    const uploads = (await fake.ask('count')).uploads - uploadsBefore
    const loadAfter = loadavg()
    const linkRuns = await measureRounds(LINK_ROUNDS, LINK_BYTES_PER_SECOND)
    const loadAfterLink = loadavg()
    // Memory, apart from the timed runs: the peak growth over MEMORY_RUNS runs per companion, and the memory held (a GC
    // before each sample) in one more.
    const sampled = { streamed: [], strict: [] }
    const live = {}
    for (const name of ['streamed', 'strict']) {
      for (let i = 0; i < MEMORY_RUNS; i++) {
        fresh()
        sampled[name].push((await timed(through(sides[name]), sides[name], 'memory')).memory)
      }
      fresh()
      live[name] = (await timed(through(sides[name]), sides[name], 'live')).memory
    }
    // The same bytes twice through the default companion: the second is answered from the dedup store.
    fresh()
    const first = await timed(through(sides.streamed), sides.streamed)
    const countBefore = (await fake.ask('count')).uploads
    const again = await timed(through(sides.streamed), sides.streamed)
    const againUploads = (await fake.ask('count')).uploads - countBefore
    const row = (name, list, memory = []) => {
      const ms = median(list.map((r) => r.ms))
      const peak = (key) => (memory.length ? Math.max(...memory.map((m) => m[key])) : undefined)
      return {
        path: name,
        runs: list.length,
        medianMs: ms,
        companionCpuMs: list[0].cpuMs === undefined ? undefined : median(list.map((r) => r.cpuMs)),
        clientCpuMs: median(list.map((r) => r.clientCpuMs)),
        fakeCpuMs: median(list.map((r) => r.fakeCpuMs)),
        mbPerSecond: MEDIA_BYTES / 2 ** 20 / (ms / 1000),
        peakRssGrowthMB: peak('rssMB'),
        peakBuffersGrowthMB: peak('buffersMB'),
        peakHeapGrowthMB: peak('heapMB'),
      }
    }
    // Throughput ratio of one round: the floor's time over the companion's, the two runs made back to back.
    const ratios = (name, from = runs) => {
      const paired = from[name].map((r, i) => from.direct[i].ms / r.ms)
      const fastest = (list) => Math.min(...list.map((r) => r.ms))
      return {
        ratio: median(paired),
        ratioQuartiles: [quantile(paired, 0.25), quantile(paired, 0.75)],
        ratioOfFastest: fastest(from.direct) / fastest(from[name]),
      }
    }
    const floor = row('straight to media/upload (the floor)', runs.direct)
    const streamed = {
      ...row('through POST /wecom/media, streamed on while it arrives', runs.streamed, sampled.streamed),
      ...ratios('streamed'),
      live: live.streamed,
    }
    const strict = { ...row('through POST /wecom/media, spooled, then sent', runs.strict, sampled.strict), ...ratios('strict'), live: live.strict }
    return {
      bytes: MEDIA_BYTES,
      rows: [floor, streamed, strict],
      uploads,
      expectedUploads: 3 * MEDIA_ROUNDS,
      dedup: { ms: again.ms, firstMs: first.ms, uploads: againUploads, sameId: again.result.body.mediaid === first.result.body.mediaid },
      loadAverage: { before: loadBefore, after: loadAfter },
      link: {
        bytesPerSecond: LINK_BYTES_PER_SECOND,
        rows: [
          row('straight to media/upload (the floor)', linkRuns.direct),
          { ...row('through POST /wecom/media, streamed on while it arrives', linkRuns.streamed), ...ratios('streamed', linkRuns) },
          { ...row('through POST /wecom/media, spooled, then sent', linkRuns.strict), ...ratios('strict', linkRuns) },
        ],
        loadAverageAfter: loadAfterLink,
      },
      gc: Boolean(runs.streamed[0].gc),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await Promise.all([sides.streamed.stop(), sides.strict.stop(), fake.stop()])
  }
}

export function mediaTable(m) {
  const fmt = (v) => (v === undefined ? '—' : v.toFixed(1))
  const load = (l) => l.map((x) => x.toFixed(2)).join(' / ')
  const ratio = (r) => (r.ratio === undefined ? '1' : `${r.ratio.toFixed(2)} × (${r.ratioQuartiles.map((q) => q.toFixed(2)).join('–')})`)
  const fastest = (r) => (r.ratioOfFastest === undefined ? '1' : `${r.ratioOfFastest.toFixed(2)} ×`)
  const lines = [
    `A ${(m.bytes / 2 ** 20).toFixed(0)} MiB file, one streaming client; the fake WeCom API and each companion in their own process ` +
      `(${m.rows[0].runs} round${m.rows[0].runs === 1 ? '' : 's'}, each path once per round in a rotating order, new bytes each run; ` +
      `ratio: the median over the rounds of the floor's time over the path's in the same round, with its quartiles, and the ratio of the ` +
      `fastest runs; CPU: medians per run; the companion's memory sampled every 5 ms${m.gc ? ' from a GC' : ''} in ${MEMORY_RUNS} more runs each, apart):`,
    '',
    '| path | median (ms) | MB/s | ratio to the floor (quartiles) | ratio of the fastest | CPU: client / companion / fake API (ms) | ' +
      'companion peak growth: RSS / Buffers / heap (MB) | … held (GC before each sample) (MB) |',
    '|---|---|---|---|---|---|---|---|',
  ]
  for (const r of m.rows) {
    const held = r.live ? `${fmt(r.live.rssMB)} / ${fmt(r.live.buffersMB)} / ${fmt(r.live.heapMB)}` : '—'
    lines.push(
      `| ${r.path} | ${r.medianMs.toFixed(0)} | ${r.mbPerSecond.toFixed(1)} | ${ratio(r)} | ${fastest(r)} | ` +
        `${fmt(r.clientCpuMs)} / ${fmt(r.companionCpuMs)} / ${fmt(r.fakeCpuMs)} | ` +
        `${fmt(r.peakRssGrowthMB)} / ${fmt(r.peakBuffersGrowthMB)} / ${fmt(r.peakHeapGrowthMB)} | ${held} |`,
    )
  }
  lines.push(
    '',
    `Files WeCom received whole during the timed runs: ${m.uploads} (expected ${m.expectedUploads}). ` +
      `The same bytes twice through the default companion: ${m.dedup.firstMs.toFixed(0)} ms, then ${m.dedup.ms.toFixed(0)} ms, ` +
      `${m.dedup.uploads} more uploads, ${m.dedup.sameId ? 'the same id' : 'ANOTHER id'}. ` +
      `Load average (1 / 5 / 15 min) before the timed rounds: ${load(m.loadAverage.before)}, after: ${load(m.loadAverage.after)}, ` +
      `on ${cpus().length} cores.`,
  )
  if (m.link) {
    lines.push(
      '',
      `The same, the client sending at ${(m.link.bytesPerSecond / 2 ** 20).toFixed(0)} MiB/s (${m.link.rows[0].runs} rounds; ` +
        `load average after: ${load(m.link.loadAverageAfter)}):`,
      '',
      '| path | median (ms) | MB/s | ratio to the floor (quartiles) | ratio of the fastest | CPU: client / companion / fake API (ms) |',
      '|---|---|---|---|---|---|',
    )
    for (const r of m.link.rows) {
      lines.push(
        `| ${r.path} | ${r.medianMs.toFixed(0)} | ${r.mbPerSecond.toFixed(1)} | ${ratio(r)} | ${fastest(r)} | ` +
          `${fmt(r.clientCpuMs)} / ${fmt(r.companionCpuMs)} / ${fmt(r.fakeCpuMs)} |`,
      )
    }
  }
  return lines.join('\n')
}

export function serverTable(result) {
  const lines = [
    `### 7. Server companion: ${COLD_REQUESTS.toLocaleString('en')} concurrent signature requests on cold caches ` +
      '(fake WeCom API, 30 ms per call)',
    '',
    '| setup | requests | non-200 | access token fetches | app ticket fetches | all answered in (ms) |',
    '|---|---|---|---|---|---|',
  ]
  for (const r of result.coldStart) {
    if (r.error) lines.push(`| ${r.setup} | — | — | — | — | not measured: ${r.error} |`)
    else
      lines.push(
        `| ${r.setup} | ${r.requests.toLocaleString('en')} | ${r.errors} | ${r.tokenFetches} | ${r.ticketFetches} | ${r.ms.toFixed(0)} |`,
      )
  }
  lines.push(
    '',
    `Warm signatures over keep-alive HTTP (${result.connections} connections, one process, 127.0.0.1; the servers take turns, ` +
      `${ROUNDS} rounds):`,
    '',
    '| server | requests | non-200 | req/s | ratio to the floor | p50 (ms) | p99 (ms) |',
    '|---|---|---|---|---|---|---|',
  )
  for (const r of result.warm) {
    const ratio = r.ratio === undefined ? '1' : `${r.ratio.toFixed(2)} ×`
    lines.push(
      `| ${r.server} | ${r.requests.toLocaleString('en')} | ${r.errors} | ${r.perSecond.toLocaleString('en')} | ${ratio} | ` +
        `${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
    )
  }
  const m = result.memory
  if (m) {
    lines.push(
      '',
      `Memory of the whole bench process around the kit's ${m.requests.toLocaleString('en')} requests${m.gc ? ' (after GC)' : ''}: ` +
        `RSS ${m.rssBeforeMB.toFixed(1)} → ${m.rssAfterMB.toFixed(1)} MB, ` +
        `heap used ${m.heapBeforeMB.toFixed(1)} → ${m.heapAfterMB.toFixed(1)} MB.`,
    )
  }
  if (result.media) lines.push('', mediaTable(result.media))
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  if (process.argv.includes('media')) {
    const media = await measureMedia()
    console.log(mediaTable(media))
    if (process.argv.includes('--json')) console.log(JSON.stringify(media, null, 2))
  } else {
    const result = await measureServer()
    console.log(serverTable(result))
  }
}
