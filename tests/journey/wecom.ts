// The world around a journey app, at its outermost edge only: WeCom's server API (the fake), configured as the
// corp the README's main.ts names, with the chain contact the scripted client reports; the README's own
// server.mjs run against it (the app's backend); and, for the mini program, WeChat's network layer
// (`wx.request`), which takes the app's requests to that server.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll } from 'vitest'
import { join } from 'node:path'
import { createFakeWeComApi, FAKE_DEFAULTS } from '../../server/testing/fake-wecom.mjs'
import type { FakeWeComApi } from '../../server/testing/fake-wecom.mjs'
import { CONTACT, PROFILE, userShellEnv, type JourneyApp } from './apps'
import { blockFor } from './readme'

/** The member of the app's own corp who opens the toolbar (H5: WeCom's OAuth answers this userid). */
export const MEMBER = 'alice'

/** What the README's main.ts says the app is: its corp, its agent, its server's base URL. */
export function readmeApp(main = blockFor('src/main.ts').code) {
  const corpId = /corpId:\s*'([^']+)'/.exec(main)?.[1]
  const agentId = /agentId:\s*(\d+)/.exec(main)?.[1]
  const api = /const API = '([^']+)'/.exec(main)?.[1]
  if (!corpId || !agentId || !api) throw new Error("README's main.ts names no web.corpId, web.agentId or `const API = '…'`")
  return { corpId, agentId: Number(agentId), api: new URL(api) }
}

/** WeCom's API as the fake plays it: the README's corp, whose app is shared with the contact's corp. */
export function startWeCom(avatarUrl: string): Promise<FakeWeComApi> {
  const { corpId, agentId } = readmeApp()
  return createFakeWeComApi({
    corpId,
    agentId,
    downstream: {
      [CONTACT.corpId]: {
        corpName: PROFILE.corpName,
        agentId: 2000001,
        users: { [CONTACT.userId]: { name: PROFILE.name, avatar: avatarUrl } },
      },
    },
  })
}

export interface RunningServer {
  /** http://127.0.0.1:port, where the README's API base (https://api.example.com) is served. */
  url: string
  output: () => string
  stop(): void
}

/** `node server.mjs` as the README has it (docs/server.md's block), in the app, against `wecom`; held to loopback. */
export async function startReadmeServer(app: JourneyApp, wecom: FakeWeComApi): Promise<RunningServer> {
  const { corpId, agentId } = readmeApp()
  writeFileSync(join(app.dir, 'server.mjs'), blockFor('server.mjs').code)
  // The README's server listens on every interface (`server.listen(port)`); here it is held to loopback.
  const loopback = join(app.dir, 'loopback.cjs')
  writeFileSync(
    loopback,
    "const net = require('node:net'); const listen = net.Server.prototype.listen; net.Server.prototype.listen = function (port, ...rest) { return typeof port === 'number' && typeof rest[0] !== 'string' ? listen.call(this, port, '127.0.0.1', ...rest) : listen.call(this, port, ...rest) }\n",
  )
  const child: ChildProcess = spawn(process.execPath, ['--require', loopback, 'server.mjs'], {
    cwd: app.dir,
    env: userShellEnv({
      PORT: '0',
      WECOM_CORP_ID: corpId,
      WECOM_AGENT_ID: String(agentId),
      WECOM_AGENT_SECRET: FAKE_DEFAULTS.secret,
      CHAIN_TOOLBAR_SESSION_SECRET: 'journey-session-secret-of-32-bytes-or-more',
      WECOM_API_BASE_URL: wecom.url,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`node server.mjs printed no port in 20 s:\n${output}`)), 20000)
    const read = (chunk: Buffer) => {
      output += chunk
      const port = /port (\d+)/.exec(output)
      if (port) {
        clearTimeout(timer)
        done(`http://127.0.0.1:${port[1]}`)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`node server.mjs exited (${code}):\n${output}`))
    })
  })
  return { url, output: () => output, stop: () => void child.kill('SIGTERM') }
}

/**
 * For one describe block: WeCom's API (the fake) and, once the app installed, the README's server against it,
 * started before its checks and stopped after them.
 */
export function aroundApp(app: JourneyApp, avatarUrl: string) {
  const world: { wecom: FakeWeComApi; server?: RunningServer } = {} as never
  beforeAll(async () => {
    world.wecom = await startWeCom(avatarUrl)
    if (app.steps.every((s) => s.status === 0)) world.server = await startReadmeServer(app, world.wecom)
  })
  afterAll(async () => {
    world.server?.stop()
    await world.wecom?.close()
  })
  return world
}

/** Where a request for the README's API goes on this machine: the same path and query on the running server. */
export function toServer(server: RunningServer, url: string): string {
  const asked = new URL(url)
  return server.url + asked.pathname + asked.search
}

type WxCallback = (res: Record<string, unknown>) => void
interface WxRequestOptions {
  url: string
  method?: string
  data?: unknown
  header?: Record<string, string>
  success?: WxCallback
  fail?: WxCallback
  complete?: WxCallback
}

/**
 * WeChat's `wx.request`, as the mini program's network layer: the app's request to the README's API goes to
 * the running server (GET data as the query, other data as a JSON body, as WeChat sends them); the answer is
 * parsed as JSON (WeChat's default dataType). No Origin header: a mini program sends none.
 */
export function wxRequest(server: RunningServer, asked: string[] = []) {
  return (options: WxRequestOptions) => {
    const method = (options.method ?? 'GET').toUpperCase()
    const target = new URL(toServer(server, options.url))
    const data = options.data as Record<string, unknown> | undefined
    if (method === 'GET' && data && typeof data === 'object') for (const [k, v] of Object.entries(data)) target.searchParams.set(k, String(v))
    const body = method === 'GET' || data === undefined ? undefined : typeof data === 'string' ? data : JSON.stringify(data)
    // Node's own HTTP client: the test's DOM (happy-dom) has a browser's fetch, with a browser's CORS.
    const req = httpRequest(target, { method, headers: { 'content-type': 'application/json', ...options.header } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => {
        asked.push(`${method} ${target.pathname} ${res.statusCode}`)
        let parsed: unknown = text
        try {
          parsed = JSON.parse(text)
        } catch {}
        const answer = { statusCode: res.statusCode, data: parsed, header: res.headers, errMsg: 'request:ok' }
        options.success?.(answer)
        options.complete?.(answer)
      })
    })
    req.once('error', (error) => {
      asked.push(`${method} ${target.pathname} failed: ${error.message}`)
      const answer = { errMsg: `request:fail ${error.message}` }
      options.fail?.(answer)
      options.complete?.(answer)
    })
    req.end(body)
    return { abort() {} }
  }
}
