// The README's journey, taken literally, in fresh apps made from uni-app's official templates (vite-ts:
// TypeScript, src/ layout; vite: JavaScript, no TypeScript) with their own dependency ranges: the kit is
// installed by its name from a private registry (the journey's setup publishes the packed tarball there and
// runs the README's install command), the README's main.ts and easycom rule are written where it says, and
// then, as a user would check: the H5 production build and uni's dev server in Chromium inside a scripted
// WeCom, with the README's server (against the fake WeCom API) behind https://api.example.com and WeCom's
// OAuth round trip played: the contact's name and avatar, no console warning or error, no element Vue could
// not resolve, an agentConfig signed for the URL the page has then; the README's server on its own; and the
// README's page test on the tools it names. The mini program build is in mini-program.test.ts.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { FAKE_DEFAULTS, type FakeWeComApi } from '../../server/testing/fake-wecom.mjs'
import { launchChromium, type LaunchedChromium } from '../support/browser'
import { installPageBridge, type PageBridgeCall } from '../support/page-bridge'
import { WECOM_UA } from '../support/scripted-bridge'
import { runNode, serveBuild, startUniDev, uniBuild } from '../support/uni-cli'
import { CONTACT, PROFILE, TEMPLATES, readState, requireInstalled, tail, userShellEnv, type JourneyState, type Template } from './apps'
import { MEMBER, aroundApp, readmeApp, toServer, type RunningServer } from './wecom'

/** Where the page is served, as WeCom opens it: the origin the README's server allows. */
const APP_ORIGIN = 'https://app.example.com'

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
  bridge: PageBridgeCall[]
  /** The page's URL once it settled. */
  url: string
  /** Every request to WeCom's OAuth page. */
  authorized: URL[]
  /** What the page asked the README's server. */
  asked: string[]
}

/**
 * Opens the app in Chromium as the WeCom browser (a wxwork/ user agent and a scripted WeixinJSBridge before the
 * page's scripts) at https://app.example.com, served from `site` (the build, or uni's dev server); the README's
 * API base (https://api.example.com) goes to the README's `server`, and WeCom's OAuth page sends the member back
 * with a one-use code that WeCom's API (the fake) knows. Waits until the contact card has settled, and reads
 * what a user and a developer see. Pages on the internet that uni itself loads (a shadow image) are answered
 * empty, as if online; every console warning and error counts.
 */
async function openInWeCom(site: string, server: RunningServer, wecom: FakeWeComApi, timeout: number, shot: string): Promise<Seen> {
  chromium ??= await launchChromium()
  const context = await chromium.browser.newContext({ userAgent: WECOM_UA, viewport: { width: 360, height: 780 }, locale: 'zh-CN' })
  const authorized: URL[] = []
  const asked: string[] = []
  const { corpId, agentId, api } = readmeApp()
  try {
    // uni's dev server's HMR socket, at the page's origin: open and silent (nothing changes while the journey looks).
    await context.routeWebSocket(/^wss?:\/\/app\.example\.com/, () => {})
    const page: Page = await context.newPage()
    const messages: string[] = []
    page.on('pageerror', (thrown) => messages.push(`pageerror: ${thrown.message}`))
    page.on('console', (message) => {
      // The first sentence is enough to tell one from another (Vue's warnings go on with advice).
      if (message.type() === 'error' || message.type() === 'warning') messages.push(`${message.type()}: ${message.text().split('\n')[0].replace(/(\S)\. .*$/, '$1')}`)
    })
    page.on('response', (response) => response.status() >= 400 && messages.push(`HTTP ${response.status()}: ${response.url()}`))
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, async (route) => {
      const asking = new URL(route.request().url())
      if (asking.origin === APP_ORIGIN) {
        return route.fulfill({ response: await route.fetch({ url: site + asking.pathname + asking.search }) })
      }
      if (asking.host === api.host) {
        asked.push(`${route.request().method()} ${asking.pathname}`)
        return route.fulfill({ response: await route.fetch({ url: toServer(server, asking.href) }) })
      }
      if (asking.href === state.avatarUrl) return route.fulfill({ response: await route.fetch({ url: state.avatarSource }) })
      if (asking.host === 'open.weixin.qq.com') {
        // WeCom's OAuth page (docs/wecom-host.md §5): for the README's corp and agent, back to redirect_uri
        // with a one-use code and the state.
        authorized.push(asking)
        const back = new URL(asking.searchParams.get('redirect_uri') ?? APP_ORIGIN)
        if (asking.searchParams.get('appid') !== corpId || asking.searchParams.get('agentid') !== String(agentId)) return route.fulfill({ status: 400, body: 'wrong appid or agentid' })
        back.searchParams.set('code', wecom.addOAuthCode(`journey-oauth-${Date.now()}-${authorized.length}`, MEMBER))
        back.searchParams.set('state', asking.searchParams.get('state') ?? '')
        return route.fulfill({ status: 302, headers: { location: back.href } })
      }
      return route.fulfill({ status: 204 })
    })
    await page.addInitScript(installPageBridge, { entry: 'chain_single_chat_tools', contact: CONTACT })
    await page.goto(`${APP_ORIGIN}/`)
    const settled = page.locator('.uct-contact-card.uct-card--loaded, .uct-contact-card.uct-card--error')
    await settled.first().waitFor({ timeout }).catch(() => {})
    // The name comes with the profile, after the card has the ids; the avatar then loads from its server.
    await page.waitForFunction((name) => document.querySelector('.uct-contact-card')?.textContent?.includes(name), PROFILE.name, { timeout: 10000 }).catch(() => {})
    await page
      .waitForFunction((src) => [...document.querySelectorAll<HTMLImageElement>('.uct-contact-card img')].some((img) => img.src === src && img.complete), state.avatarUrl, { timeout: 5000 })
      .catch(() => {})
    await page.waitForTimeout(300)
    // What a user sees, kept for a look when asked (UCT_JOURNEY_SCREENSHOTS=<folder>).
    if (process.env.UCT_JOURNEY_SCREENSHOTS) await page.screenshot({ path: join(process.env.UCT_JOURNEY_SCREENSHOTS, `${shot}.png`) })
    const seen = await page.evaluate((src) => {
      const img = [...document.querySelectorAll<HTMLImageElement>('.uct-contact-card img')].find((i) => i.src === src)
      return {
        text: ((document.querySelector('.uct-contact-card') as HTMLElement | null)?.innerText ?? document.body.innerText).replace(/\s+/g, ' '),
        unresolved: [...new Set([...document.querySelectorAll('*')].map((el) => el.localName).filter((name) => name.startsWith('v-uni-')))],
        avatar: img ? { src: img.src, complete: img.complete, naturalWidth: img.naturalWidth } : null,
        bridge: (window as any).__uctBridge.calls as PageBridgeCall[],
        url: location.href,
      }
    }, state.avatarUrl)
    return { ...seen, console: messages, authorized, asked }
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
  expect.soft(seen.bridge.map((c) => c.name)).toEqual(expect.arrayContaining(['agentConfig', 'getContext', 'getCurCorpGroupContact']))
  // Signed in through WeCom's OAuth once (no loop), and the code left the URL the member sees.
  expect.soft(seen.authorized.length, `OAuth pages asked: ${seen.authorized.map((u) => u.href).join(', ')}`).toBe(1)
  expect.soft(seen.asked, shown).toContain('POST /api/wecom/oauth-session')
  expect.soft(new URL(seen.url).searchParams.has('code') || new URL(seen.url).searchParams.has('state'), seen.url).toBe(false)
  // agentConfig's signature holds for the URL the page had when it ran (what WeCom checks, docs/wecom-host.md §3).
  const config = seen.bridge.find((c) => c.name === 'agentConfig')
  if (config) {
    const { nonceStr, timestamp, signature } = config.params as { nonceStr: string; timestamp: number; signature: string }
    const url = config.url.split('#')[0]
    const expected = createHash('sha1').update(`jsapi_ticket=${FAKE_DEFAULTS.ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`).digest('hex')
    expect.soft(signature, `agentConfig signed for ${url}`).toBe(expected)
    expect.soft(new URL(url).searchParams.has('code'), url).toBe(false)
  }
}

describe.each(Object.keys(TEMPLATES) as Template[])("uni-preset-vue's %s template, following the README", (template) => {
  const app = state.apps[template]
  // WeCom's API (the fake) and the README's server against it, for this app's checks.
  const world = aroundApp(app, state.avatarUrl)

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
      expectContactShown(await openInWeCom(site.url, world.server!, world.wecom, 15000, `${template}-h5-build`))
    } finally {
      await site.close()
    }
  })

  it("shows the chain contact with name and avatar in uni's dev server (npm run dev:h5) inside WeCom", async () => {
    requireInstalled(app, 'kit')
    const dev = await startUniDev(app.dir, 'src')
    try {
      expectContactShown(await openInWeCom(dev.url, world.server!, world.wecom, 90000, `${template}-h5-dev`))
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- uni's dev server said:\n${tail(dev.output())}\n--- the README's server said:\n${tail(world.server?.output() ?? '')}`)
    } finally {
      await dev.stop()
    }
  })

  it("runs the README's server against the fake WeCom API: signature, code exchange, chain contact", async () => {
    requireInstalled(app, 'kit')
    const page = `${APP_ORIGIN}/pages/index/index?from=chat`
    const signed = await fetch(`${world.server!.url}/api/wecom/agent-signature?url=${encodeURIComponent(page)}`, { headers: { origin: APP_ORIGIN } })
    expect(signed.status, await signed.clone().text()).toBe(200)
    const { timestamp, nonceStr, signature } = (await signed.json()) as { timestamp: number; nonceStr: string; signature: string }
    const expected = createHash('sha1').update(`jsapi_ticket=${FAKE_DEFAULTS.ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${page}`).digest('hex')
    expect(signature).toBe(expected)

    world.wecom.addCode('journey-login-code', MEMBER)
    const session = await fetch(`${world.server!.url}/api/wecom/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'journey-login-code' }) })
    expect(session.status, await session.clone().text()).toBe(200)
    const { token } = (await session.json()) as { token: string }
    const contact = await fetch(`${world.server!.url}/api/chain/${CONTACT.corpId}/${CONTACT.userId}`, { headers: { authorization: `Bearer ${token}` } })
    expect(contact.status, await contact.clone().text()).toBe(200)
    expect(await contact.json()).toMatchObject({ ...CONTACT, name: PROFILE.name, corpName: PROFILE.corpName, avatar: state.avatarUrl })
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
