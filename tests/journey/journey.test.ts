// The README's journey, taken literally, in fresh apps made from uni-app's official templates (vite-ts:
// TypeScript, src/ layout; vite: JavaScript, no TypeScript) with their own dependency ranges: the kit is
// installed by its name from a private registry (the journey's setup publishes the packed tarball there and
// runs the README's install command), the README's main.ts and easycom rule are written where it says, and
// then, as a user would check: the H5 production build and uni's dev server in Chromium inside a scripted
// WeCom (the contact's name and avatar, no console warning or error, no element Vue could not resolve),
// the README's server against the fake WeCom API, and the README's page test on the tools it names.
// The mini program build is in mini-program.test.ts (it renders under happy-dom).
import { createHash } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createFakeWeComApi, FAKE_DEFAULTS } from '../../server/testing/fake-wecom.mjs'
import { launchChromium, type LaunchedChromium } from '../support/browser'
import { installPageBridge, type PageBridgeCall } from '../support/page-bridge'
import { WECOM_UA } from '../support/scripted-bridge'
import { runNode, serveBuild, startUniDev, uniBuild } from '../support/uni-cli'
import { CONTACT, PROFILE, TEMPLATES, readState, requireInstalled, tail, userShellEnv, type JourneyState, type Template } from './apps'
import { blockFor } from './readme'

const state: JourneyState = readState(inject('journey'))
let chromium: LaunchedChromium | undefined
afterAll(async () => {
  await chromium?.close()
})

/** What the page showed inside WeCom, for the assertions (and for the failure message). */
interface Seen {
  text: string
  console: string[]
  unresolved: string[]
  avatar: { src: string; complete: boolean; naturalWidth: number } | null
  bridge: string[]
}

/**
 * Opens `url` in Chromium as the WeCom browser (a wxwork/ user agent and a scripted WeixinJSBridge before the
 * page's scripts), waits until the contact card has settled, and reads what a user and a developer see.
 * The README's main.ts asks https://api.example.com/api for the agentConfig signature: answered here (the
 * scripted client accepts any). Pages on the internet that uni itself loads (a shadow image) are answered
 * empty, as if online; every console warning and error counts.
 */
async function openInWeCom(url: string, timeout: number): Promise<Seen> {
  chromium ??= await launchChromium()
  const context = await chromium.browser.newContext({ userAgent: WECOM_UA, viewport: { width: 360, height: 780 }, locale: 'zh-CN' })
  try {
    const page: Page = await context.newPage()
    const messages: string[] = []
    page.on('pageerror', (thrown) => messages.push(`pageerror: ${thrown.message}`))
    page.on('console', (message) => {
      // The first sentence is enough to tell one from another (Vue's warnings go on with advice).
      if (message.type() === 'error' || message.type() === 'warning') messages.push(`${message.type()}: ${message.text().split('\n')[0].replace(/(\S)\. .*$/, '$1')}`)
    })
    page.on('response', (response) => response.status() >= 400 && messages.push(`HTTP ${response.status()}: ${response.url()}`))
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
      const asking = new URL(route.request().url())
      if (asking.host !== 'api.example.com') return route.fulfill({ status: 204 })
      const headers = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }
      if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers })
      if (asking.pathname === '/api/wecom/agent-signature') return route.fulfill({ headers, json: { timestamp: 1717171717, nonceStr: 'journey', signature: 'journey-signature' } })
      return route.fulfill({ status: 404, headers, json: { error: { code: 'NOT_FOUND', message: asking.pathname } } })
    })
    await page.addInitScript(installPageBridge, { entry: 'chain_single_chat_tools', contact: CONTACT })
    await page.goto(`${url}/`)
    const settled = page.locator('.uct-contact-card.uct-card--loaded, .uct-contact-card.uct-card--error')
    await settled.first().waitFor({ timeout }).catch(() => {})
    // The avatar has a moment to arrive from the app's file server.
    await page
      .waitForFunction((src) => [...document.querySelectorAll<HTMLImageElement>('.uct-contact-card img')].some((img) => img.src === src && img.complete), state.avatarUrl, { timeout: 5000 })
      .catch(() => {})
    await page.waitForTimeout(300)
    const seen = await page.evaluate((src) => {
      const img = [...document.querySelectorAll<HTMLImageElement>('.uct-contact-card img')].find((i) => i.src === src)
      return {
        text: ((document.querySelector('.uct-contact-card') as HTMLElement | null)?.innerText ?? document.body.innerText).replace(/\s+/g, ' '),
        unresolved: [...new Set([...document.querySelectorAll('*')].map((el) => el.localName).filter((name) => name.startsWith('v-uni-')))],
        avatar: img ? { src: img.src, complete: img.complete, naturalWidth: img.naturalWidth } : null,
        bridge: ((window as any).__uctBridge.calls as PageBridgeCall[]).map((c) => c.name),
      }
    }, state.avatarUrl)
    return { ...seen, console: messages }
  } finally {
    await context.close()
  }
}

/** The checks a user makes on the page, all reported at once. */
function expectContactShown(seen: Seen) {
  const counted = new Map<string, number>()
  for (const message of seen.console) counted.set(message, (counted.get(message) ?? 0) + 1)
  const consoleSaid = [...counted].map(([message, n]) => (n > 1 ? `${message} (×${n})` : message)).join(' | ')
  const shown = `the page shows "${seen.text}"; console: ${consoleSaid || 'none'}; unresolved elements: ${seen.unresolved.join(', ') || 'none'}`
  expect.soft(seen.text, shown).toContain(PROFILE.name)
  expect.soft(seen.avatar, `no <img> with the avatar ${state.avatarUrl} in the contact card; ${shown}`).not.toBeNull()
  expect.soft(seen.avatar?.naturalWidth ?? 0, `the avatar did not load; ${shown}`).toBeGreaterThan(0)
  expect.soft(seen.unresolved, shown).toEqual([])
  expect.soft(seen.console.length, shown).toBe(0)
  expect.soft(seen.bridge).toEqual(expect.arrayContaining(['agentConfig', 'getContext', 'getCurCorpGroupContact']))
}

describe.each(Object.keys(TEMPLATES) as Template[])("uni-preset-vue's %s template, following the README", (template) => {
  const app = state.apps[template]

  it("installs the kit by its name with the README's install command, beside the template's own dependencies", () => {
    requireInstalled(app, 'kit', true)
    const version = (file: string) => JSON.parse(readFileSync(file, 'utf8')).version
    expect(version(join(app.dir, 'node_modules/uni-chain-toolbar/package.json'))).toBe(version(resolve(__dirname, '../../package.json')))
  })

  it('builds for H5 (production) and shows the chain contact with name and avatar inside WeCom', async () => {
    requireInstalled(app, 'kit')
    const h5 = await uniBuild(app.dir, 'src', 'h5')
    const site = await serveBuild(h5)
    try {
      expectContactShown(await openInWeCom(site.url, 15000))
    } finally {
      await site.close()
    }
  })

  it("shows the chain contact with name and avatar in uni's dev server (npm run dev:h5) inside WeCom", async () => {
    requireInstalled(app, 'kit')
    const dev = await startUniDev(app.dir, 'src')
    try {
      expectContactShown(await openInWeCom(dev.url, 90000))
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- uni's dev server said:\n${tail(dev.output())}`)
    } finally {
      await dev.stop()
    }
  })

  it("runs the README's server against the fake WeCom API: signature, code exchange, chain contact", async () => {
    requireInstalled(app, 'kit')
    writeFileSync(join(app.dir, 'server.mjs'), blockFor('server.mjs').code)
    const fake = (await createFakeWeComApi()) as { url: string; close(): Promise<void> }
    let server: ChildProcess | undefined
    try {
      // The README's server listens on every interface (`server.listen(port)`); here it is held to loopback.
      const loopback = join(app.dir, 'loopback.cjs')
      writeFileSync(loopback, "const net = require('node:net'); const listen = net.Server.prototype.listen; net.Server.prototype.listen = function (port, ...rest) { return typeof port === 'number' && typeof rest[0] !== 'string' ? listen.call(this, port, '127.0.0.1', ...rest) : listen.call(this, port, ...rest) }\n")
      server = spawn(process.execPath, ['--require', loopback, 'server.mjs'], {
        cwd: app.dir,
        env: userShellEnv({
          PORT: '0',
          WECOM_CORP_ID: FAKE_DEFAULTS.corpId,
          WECOM_AGENT_ID: String(FAKE_DEFAULTS.agentId),
          WECOM_AGENT_SECRET: FAKE_DEFAULTS.secret,
          CHAIN_TOOLBAR_SESSION_SECRET: 'journey-session-secret-of-32-bytes-or-more',
          WECOM_API_BASE_URL: fake.url,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      const base = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`node server.mjs printed no port in 20 s:\n${output}`)), 20000)
        const read = (chunk: Buffer) => {
          output += chunk
          const port = /port (\d+)/.exec(output)
          if (port) {
            clearTimeout(timer)
            done(`http://127.0.0.1:${port[1]}`)
          }
        }
        server!.stdout!.on('data', read)
        server!.stderr!.on('data', read)
        server!.once('exit', (code) => {
          clearTimeout(timer)
          fail(new Error(`node server.mjs exited (${code}):\n${output}`))
        })
      })
      const page = 'https://app.example.com/pages/index/index?from=chat'
      const signed = await fetch(`${base}/api/wecom/agent-signature?url=${encodeURIComponent(page)}`, { headers: { origin: 'https://app.example.com' } })
      expect(signed.status, await signed.clone().text()).toBe(200)
      const { timestamp, nonceStr, signature } = (await signed.json()) as { timestamp: number; nonceStr: string; signature: string }
      const expected = createHash('sha1').update(`jsapi_ticket=${FAKE_DEFAULTS.ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${page}`).digest('hex')
      expect(signature).toBe(expected)

      const session = await fetch(`${base}/api/wecom/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'code-alice' }) })
      expect(session.status, await session.clone().text()).toBe(200)
      const { token } = (await session.json()) as { token: string }
      const contact = await fetch(`${base}/api/chain/wwdownstream0001/bob`, { headers: { authorization: `Bearer ${token}` } })
      expect(contact.status, await contact.clone().text()).toBe(200)
      expect(await contact.json()).toMatchObject({ corpId: 'wwdownstream0001', userId: 'bob', name: '王小明' })
    } finally {
      server?.kill('SIGTERM')
      await fake.close()
    }
  })

  it("passes the README's page test (\"Testing your page\"), on the test tools it names", async () => {
    requireInstalled(app, 'test tools')
    expect(app.pageTest, app.steps.map((s) => s.output).join('\n')).toBeTruthy()
    const vitest = join(app.dir, 'node_modules/vitest/vitest.mjs')
    expect(existsSync(vitest), 'vitest is installed in the app').toBe(true)
    const res = await runNode([vitest, 'run', '--config', app.pageTest!.config], app.dir, userShellEnv())
    const output = res.stdout + res.stderr
    expect(res.status, tail(output, 60)).toBe(0)
    expect(output).toMatch(/Tests\s+(\d+) passed \(\1\)/)
  })
})
