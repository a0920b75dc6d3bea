// `npm run bench`, server part: (a) access token and app ticket fetches for 1,000 concurrent signature
// requests over HTTP, in one process and in two instances sharing a real redis-server, against the fake
// WeCom API on 127.0.0.1 (30 ms per call); (b) warm signatures per second and latency over keep-alive HTTP for
// the kit's node:http handler, for the same handlers bridged through Web Request/Response, and for a bare
// node:http server answering a precomputed sha1 (the machine's floor), all in this one process; (c) RSS
// before and after 20,000 requests to the kit. Load only on 127.0.0.1, bounded in count and in time.
// Counts are exact; times are this machine's and are reported, never asserted.
import { createHash, randomBytes } from 'node:crypto'
import { Agent, createServer, request } from 'node:http'
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
  return { coldStart: coldRows, warm: warmRows, memory, connections: CONNECTIONS }
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
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const result = await measureServer()
  console.log(serverTable(result))
}
