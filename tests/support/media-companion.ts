// The server companion as an app mounts it, for the end-to-end media tests: uni-chain-toolbar/server's handlers
// in a real Express app on 127.0.0.1 under /api, against the fake WeCom API (its media/upload issues the ids),
// optionally beside a built H5 app's files (one origin, as an app serves both). The test can hold the next
// POST /api/wecom/media at the door (a slow phone upload) and counts those requests.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import { join } from 'node:path'
// @ts-expect-error -- Express ships no types (and the repository installs none): the few calls here are typed below
import express from 'express'
// @ts-expect-error -- plain JS for Node: its types (server/index.d.ts) are checked by the server's own suite
import { createChainToolbarHandlers, toNodeHandler } from '../../server/index.mjs'
import { createFakeWeComApi, type FakeWeComApi } from '../../server/testing/fake-wecom.mjs'
import { listenOnLoopback } from './browser'

export interface MediaCompanion {
  /** http://127.0.0.1:<port>; the companion answers under /api. */
  url: string
  /** The companion's media endpoint. */
  endpoint: string
  fake: FakeWeComApi
  /** How many POST /api/wecom/media requests arrived (the kit's uploads). */
  mediaRequests(): number
  /** Holds the next POST /api/wecom/media before the companion sees it: `arrived` when it came, `release()` lets it on. */
  holdNextUpload(): { arrived: Promise<void>; release(): void }
  close(): Promise<void>
}

/**
 * The companion's calls to the fake WeCom API over node:http, for a test under happy-dom (the mini program's): there the
 * global fetch is the page's, with its CORS rules, not node's.
 */
export async function nodeFetch(url: URL | string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const body = init.body === undefined ? undefined : Buffer.from(init.body)
  const answer = await new Promise<{ statusCode: number; data: string }>((resolve, reject) => {
    const req = httpRequest(String(url), { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let data = ''
      res.setEncoding('utf8').on('data', (chunk) => (data += chunk))
      res.on('end', () => resolve({ statusCode: res.statusCode!, data }))
    })
    req.on('error', reject)
    req.end(body)
  })
  return { ok: answer.statusCode < 300, status: answer.statusCode, body: null, text: async () => answer.data }
}

export async function startMediaCompanion(options: { site?: string } = {}): Promise<MediaCompanion> {
  const fake = await createFakeWeComApi()
  const handlers = createChainToolbarHandlers({
    ...fake.companion,
    basePath: '/api',
    sessionSecret: randomBytes(32).toString('hex'),
    allowedOrigins: (origin: string) => /^http:\/\/127\.0\.0\.1:\d+$/.test(origin),
    // The page's own login lets the rep upload (the H5 hook, docs/media.md "Who may upload").
    authorizeMedia: () => true,
    log: false,
    ...(typeof window !== 'undefined' ? { fetch: nodeFetch } : {}),
  })
  let requests = 0
  let hold: { arrived: () => void; released: Promise<void> } | null = null
  const app = express()
  app.use((req: { method: string; path: string }, _res: unknown, next: () => void) => {
    if (req.method !== 'POST' || req.path !== '/api/wecom/media') return next()
    requests++
    const held = hold
    hold = null
    if (!held) return next()
    held.arrived()
    void held.released.then(() => next())
  })
  app.use(toNodeHandler(handlers))
  const site = options.site
  if (site) {
    if (!existsSync(join(site, 'index.html'))) throw new Error(`${site}/index.html is missing: build the H5 app first (npm run build:h5)`)
    app.use(express.static(site))
    app.use((_req: unknown, res: { sendFile(path: string): void }) => res.sendFile(join(site, 'index.html')))
  }
  const server = await listenOnLoopback(createServer(app))
  return {
    url: server.url,
    endpoint: `${server.url}/api/wecom/media`,
    fake,
    mediaRequests: () => requests,
    holdNextUpload() {
      let arrived!: () => void
      let release!: () => void
      const arrival = new Promise<void>((resolve) => (arrived = resolve))
      hold = { arrived, released: new Promise<void>((resolve) => (release = resolve)) }
      return { arrived: arrival, release }
    },
    async close() {
      await server.close()
      await fake.close()
    },
  }
}
