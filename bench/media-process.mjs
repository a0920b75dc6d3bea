// One side of the media bench in its own process, as it runs in production (the companion, WeCom and the phone are
// different machines): `node bench/media-process.mjs fake` serves the fake WeCom API; `… companion <fake url>
// [strict]` serves the companion's POST /wecom/media against it. Each tells its parent its URL over IPC, and the
// companion measures its own CPU time between 'sample-start…' and 'sample-stop' messages, and its memory too unless told
// 'sample-start-cpu' (sampling memory costs CPU the timed runs should not pay). Listens on 127.0.0.1 only;
// exits when the parent says 'exit' or goes away.
import { createServer } from 'node:http'
import { createChainToolbarHandlers, createMemoryCache, toNodeHandler } from '../server/index.mjs'
import { createFakeWeComApi } from '../server/testing/fake-wecom.mjs'

const [role, fakeUrl, mode] = process.argv.slice(2)
process.on('disconnect', () => process.exit(0))

if (role === 'fake') {
  const fake = await createFakeWeComApi()
  process.on('message', async (message) => {
    if (message === 'exit') {
      await fake.close()
      process.exit(0)
    }
    if (message === 'cpu') {
      const cpu = process.cpuUsage()
      process.send({ cpuMs: (cpu.user + cpu.system) / 1000 })
    }
    if (message === 'count') process.send({ uploads: fake.calls.filter((c) => c.api === 'media/upload' && c.body?.parts?.length && !c.body.aborted).length })
  })
  process.send({ url: fake.url, companion: fake.companion })
} else if (role === 'companion') {
  const companion = JSON.parse(process.env.BENCH_FAKE_COMPANION ?? '{}')
  const handlers = createChainToolbarHandlers({
    ...companion,
    apiBaseUrl: fakeUrl,
    allowedOrigins: ['https://app.example.com'],
    cache: createMemoryCache(),
    // The bench's client stands for a signed-in member.
    authorizeMedia: () => true,
    rateLimits: false,
    media: { streamWhileReceiving: mode !== 'strict' },
  })
  await handlers.server.getAccessToken()
  const server = createServer(toNodeHandler(handlers))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  let sampling = null
  process.on('message', (message) => {
    if (message === 'exit') {
      server.closeAllConnections()
      server.close(() => process.exit(0))
    } else if (message === 'sample-start-memory' || message === 'sample-start-live' || message === 'sample-start-cpu') {
      // 'live': a GC before each sample, so the peak is memory held, not garbage not yet collected.
      const live = message === 'sample-start-live'
      global.gc?.()
      const start = process.memoryUsage()
      const peak = { ...start }
      const cpu = process.cpuUsage()
      const timer = message === 'sample-start-cpu' ? undefined : setInterval(() => {
        if (live) global.gc?.()
        const m = process.memoryUsage()
        for (const key of ['rss', 'heapUsed', 'arrayBuffers', 'external']) peak[key] = Math.max(peak[key], m[key])
      }, 5)
      sampling = { start, peak, timer, cpu }
      process.send({ sampling: true })
    } else if (message === 'sample-stop' && sampling) {
      clearInterval(sampling.timer)
      const m = process.memoryUsage()
      for (const key of ['rss', 'heapUsed', 'arrayBuffers', 'external']) sampling.peak[key] = Math.max(sampling.peak[key], m[key])
      const growth = (key) => (sampling.peak[key] - sampling.start[key]) / 2 ** 20
      const cpu = process.cpuUsage(sampling.cpu)
      process.send({
        memory: sampling.timer ? { rssMB: growth('rss'), heapMB: growth('heapUsed'), buffersMB: growth('arrayBuffers') } : undefined,
        cpuMs: (cpu.user + cpu.system) / 1000,
        gc: Boolean(global.gc),
      })
      sampling = null
    }
  })
  process.send({ port: server.address().port })
}
