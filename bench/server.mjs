// `npm run bench`, server part (issue 8): access token and app ticket fetches for 100 concurrent
// agentConfig signatures, in one process and in two instances sharing a real redis-server, against the
// fake WeCom API on 127.0.0.1 with 30 ms latency per call. Counts are exact; times are this machine's.
import { randomBytes } from 'node:crypto'
import { createChainToolbarServer, createMemoryCache, createRedisCache } from '../server/index.mjs'
import { createFakeWeComApi, FAKE_DEFAULTS } from '../server/testing/fake-wecom.mjs'
import { startRedisServer } from '../server/testing/redis-server.mjs'

const PAGE = 'https://app.example.com/h5/index.html?from=toolbar'
const count = (fake, api) => fake.calls.filter((c) => c.api === api).length

function serverFor(fake, cache) {
  return createChainToolbarServer({
    env: {},
    corpId: FAKE_DEFAULTS.corpId,
    agentId: FAKE_DEFAULTS.agentId,
    secret: FAKE_DEFAULTS.secret,
    apiBaseUrl: fake.url,
    allowedOrigins: ['https://app.example.com'],
    sessionSecret: randomBytes(32).toString('hex'),
    cache,
  })
}

async function sign(servers, total) {
  const started = performance.now()
  await Promise.all(Array.from({ length: total }, (_, i) => servers[i % servers.length].signAgentConfig(PAGE)))
  return performance.now() - started
}

export async function measureServer() {
  const rows = []
  {
    const fake = await createFakeWeComApi({ latencyMs: 30 })
    const server = serverFor(fake, createMemoryCache())
    const cold = await sign([server], 100)
    const warm = await sign([server], 100)
    rows.push({ setup: 'one process, in-memory cache', signatures: 100, tokenFetches: count(fake, 'gettoken'), ticketFetches: count(fake, 'ticket/get'), coldMs: cold, warmMs: warm })
    await fake.close()
  }
  let redis = null
  try {
    redis = await startRedisServer()
  } catch (error) {
    rows.push({ setup: 'two instances sharing Redis', error: error.message })
  }
  if (redis) {
    const fake = await createFakeWeComApi({ latencyMs: 30 })
    const prefix = `bench:${randomBytes(4).toString('hex')}:`
    const caches = [createRedisCache({ url: redis.url, prefix }), createRedisCache({ url: redis.url, prefix })]
    try {
      const servers = caches.map((cache) => serverFor(fake, cache))
      const cold = await sign(servers, 100)
      const warm = await sign(servers, 100)
      rows.push({ setup: 'two instances sharing Redis', signatures: 100, tokenFetches: count(fake, 'gettoken'), ticketFetches: count(fake, 'ticket/get'), coldMs: cold, warmMs: warm })
    } finally {
      await Promise.all(caches.map((c) => c.close()))
      await fake.close()
      await redis.stop()
    }
  }
  return rows
}

export function serverTable(rows) {
  const lines = [
    '### 6. Server companion: 100 concurrent agentConfig signatures (fake WeCom API, 30 ms per call)',
    '',
    '| setup | signatures | access token fetches | app ticket fetches | cold (ms) | warm (ms) |',
    '|---|---|---|---|---|---|',
  ]
  for (const r of rows) {
    if (r.error) lines.push(`| ${r.setup} | — | — | — | not measured: ${r.error} | |`)
    else lines.push(`| ${r.setup} | ${r.signatures} | ${r.tokenFetches} | ${r.ticketFetches} | ${r.coldMs.toFixed(0)} | ${r.warmMs.toFixed(1)} |`)
  }
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const rows = await measureServer()
  console.log(serverTable(rows))
}
