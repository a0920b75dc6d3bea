import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeJsSdkSignature } from './index.mjs'
import { createFakeWeComApi } from './testing/fake-wecom.mjs'
import { blockForFile } from '../tests/support/docs'

// What an app does: plain `node` (no vitest, no TypeScript loader, no bundler) importing
// 'uni-chain-toolbar/server' from node_modules, and the docs' `// server.mjs` example as written.
const root = resolve(__dirname, '..')
let app: string
let fake: Awaited<ReturnType<typeof createFakeWeComApi>>

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'uct-server-consumer-'))
  mkdirSync(join(app, 'node_modules'))
  symlinkSync(root, join(app, 'node_modules', 'uni-chain-toolbar'), 'dir')
  fake = await createFakeWeComApi()
})
afterAll(async () => {
  await fake?.close()
  if (app) rmSync(app, { recursive: true, force: true })
})

function runNode(file: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [file], {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, exited, out: () => stdout, err: () => stderr }
}

describe('a plain Node ≥ 20 consumer', () => {
  it('imports uni-chain-toolbar/server through the package exports and prints nothing itself', async () => {
    writeFileSync(
      join(app, 'check.mjs'),
      `import * as server from 'uni-chain-toolbar/server'
const s = server.createChainToolbarServer({ env: {}, corpId: 'ww1', secret: 's', allowedOrigins: ['https://a.example.com'] })
process.stdout.write(JSON.stringify({ exports: Object.keys(server).sort(), methods: Object.keys(s).sort() }))`,
    )
    const run = runNode('check.mjs')
    expect(await run.exited, run.err()).toBe(0)
    expect(JSON.parse(run.out())).toEqual({
      exports: [
        'ChainToolbarServerError',
        'DEFAULT_MEDIA_LIMITS',
        'ERROR_STATUS',
        'MEDIA_LIFETIME_MS',
        'computeJsSdkSignature',
        'createChainToolbarHandlers',
        'createChainToolbarServer',
        'createMemoryCache',
        'createMemoryRateLimitStore',
        'createRedisCache',
        'formatDoctorCheck',
        'isBlockedAddress',
        'runDoctor',
        'toKoaMiddleware',
        'toNodeHandler',
      ],
      methods: [
        'corpId',
        'exchangeCode',
        'exchangeOAuthCode',
        'getAccessToken',
        'getAgentTicket',
        'getSessionKey',
        'isOriginAllowed',
        'resolveChainContact',
        'signAgentConfig',
        'uploadMedia',
        'verifySession',
      ],
    })
    expect(run.err()).toBe('')
  })

  it("runs the docs' server.mjs example against the fake WeCom API: signature, session, contact", async () => {
    const example = blockForFile('server.mjs').code
    expect(example).toContain("from 'uni-chain-toolbar/server'")
    writeFileSync(join(app, 'server.mjs'), example)
    const run = runNode('server.mjs', {
      PORT: '0',
      WECOM_CORP_ID: fake.corpId,
      WECOM_AGENT_ID: String(fake.agentId),
      WECOM_AGENT_SECRET: fake.secret,
      CHAIN_TOOLBAR_SESSION_SECRET: 'readme-example-session-secret-32-bytes',
      WECOM_API_BASE_URL: fake.url,
    })
    try {
      const port = await new Promise<string>((resolvePort, reject) => {
        const timer = setTimeout(() => reject(new Error(`no port in ${run.out()} ${run.err()}`)), 5000)
        run.child.stdout.on('data', () => {
          const match = /port (\d+)/.exec(run.out())
          if (match) {
            clearTimeout(timer)
            resolvePort(match[1])
          }
        })
      })
      const base = `http://127.0.0.1:${port}/api`
      const page = 'https://app.example.com/pages/index/index'
      const sig = await (await fetch(`${base}/wecom/agent-signature?url=${encodeURIComponent(page)}`)).json()
      expect(sig.signature).toBe(
        computeJsSdkSignature({ ticket: fake.state.ticket, nonceStr: sig.nonceStr, timestamp: sig.timestamp, url: page }),
      )
      fake.addCode('readme-code', 'erin')
      const login = await (
        await fetch(`${base}/wecom/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: 'readme-code' }),
        })
      ).json()
      expect(login).toMatchObject({ userId: 'erin', corpId: fake.corpId })
      const profile = await fetch(`${base}/chain/wwdownstream0001/bob`, { headers: { authorization: `Bearer ${login.token}` } })
      expect([profile.status, (await profile.json()).name]).toEqual([200, '王小明'])
      const refused = await fetch(`${base}/wecom/agent-signature?url=${encodeURIComponent('https://evil.example.net/')}`)
      expect(refused.status).toBe(403)
      // Its only output: one line naming the refused origin (the page's browser shows just a CORS error).
      await new Promise((r) => setTimeout(r, 50))
      expect(run.err()).toMatch(/^\[uni-chain-toolbar\] warn origin-refused code=ORIGIN_NOT_ALLOWED message="https:\/\/evil\.example\.net is not in allowedOrigins"\n$/)
    } finally {
      run.child.kill()
      await run.exited
    }
  })
})
