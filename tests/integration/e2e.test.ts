// The H5 build end to end in real Chromium: the demo on the simulator (an ordinary browser), and the
// demo inside "WeCom" — a wxwork/<version> user agent and a WeixinJSBridge scripted by this test, with
// the real @wecom/jssdk and the kit's web host between them and the page.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, serveStatic, type LaunchedChromium, type StaticSite } from '../support/browser'
import { buildDemoVariant } from '../support/demo-variant'
import {
  installPageBridge,
  leaveAndReturn,
  recordText,
  type PageBridgeCall,
  type PageBridgeScript,
  type TextSample,
} from '../support/page-bridge'

const root = resolve(__dirname, '../..')
const artifacts = join(root, 'tests/artifacts/e2e')
const WECOM_UA = (version: string) =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 wxwork/${version} MicroMessenger/7.0.1 Language/zh ColorScheme/Light`

let site: StaticSite
let chromium: LaunchedChromium
const contexts: BrowserContext[] = []

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true })
  site = await serveStatic(join(root, 'dist/build/h5'))
  chromium = await launchChromium()
})

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})))
  await chromium?.close()
  await site?.close()
})

interface Opened {
  page: Page
  /** Uncaught errors in the page (there must be none). */
  errors: string[]
  /** The URLs the signature endpoint was asked for (WeCom mode). */
  signatureRequests: string[]
}

/** Opens the demo at 360 px: as an ordinary browser, or inside "WeCom" with the test's own bridge. */
async function openDemo(
  options: {
    wecom?: { version: string; bridge: PageBridgeScript }
    colorScheme?: 'light' | 'dark'
    query?: string
    site?: StaticSite
  } = {},
): Promise<Opened> {
  const context = await chromium.browser.newContext({
    viewport: { width: 360, height: 780 },
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'light',
    locale: 'zh-CN',
    ...(options.wecom ? { userAgent: WECOM_UA(options.wecom.version) } : {}),
  })
  contexts.push(context)
  const page = await context.newPage()
  page.setDefaultTimeout(10000)
  const errors: string[] = []
  const signatureRequests: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  if (options.wecom) {
    await page.addInitScript(installPageBridge, options.wecom.bridge)
    // The app's server: the demo fetches its agentConfig signature from /api/wecom/agent-signature?url=…
    await page.route(
      (url) => url.pathname === '/api/wecom/agent-signature',
      (route) => {
        signatureRequests.push(new URL(route.request().url()).searchParams.get('url') ?? '')
        return route.fulfill({ json: { timestamp: 1717171717, nonceStr: 'e2e-nonce', signature: 'e2e-signature-sha1' } })
      },
    )
  }
  await page.goto(`${(options.site ?? site).url}/${options.query ?? ''}`)
  await page.locator('[data-testid=composables]').waitFor()
  return { page, errors, signatureRequests }
}

const text = (page: Page, testId: string) => page.locator(`[data-testid=${testId}]`).first().innerText()
/** The elements a component rendered into its slot in the demo (none: it renders nothing). */
const rendered = (page: Page, testId: string) => page.locator(`[data-testid=${testId}] > *`).count()
const bridgeCalls = (page: Page) => page.evaluate(() => (window as any).__uctBridge.calls as PageBridgeCall[])

async function waitForText(page: Page, testId: string, expected: string, timeout = 10000) {
  await page.waitForFunction(
    ([id, want]) => ((document.querySelector(`[data-testid=${id}]`) as HTMLElement | null)?.innerText ?? '').includes(want),
    [testId, expected] as const,
    { timeout },
  )
}

/** Picks a chip in the scenario panel. */
async function choose(page: Page, group: string, value: string) {
  await page.locator(`[data-testid=${group}] [data-value="${value}"]`).click()
}

async function openFromAnotherChat(page: Page, entry: string, contact?: string) {
  await choose(page, 'scenario-entry', entry)
  if (contact) await choose(page, 'scenario-contact', contact)
  await page.locator('[data-testid=open-from-another-chat]').click()
  await waitForText(page, 'entry', entry)
}

/** In the scenario panel: the client refuses getCurCorpGroupContact (no permission) from now on. */
async function refuseTheContact(page: Page) {
  await page.locator('[data-testid=scenario] .scenario__toggle').click()
  await page
    .locator('[data-testid=scenario] .scenario__api')
    .filter({ hasText: 'getCurCorpGroupContact' })
    .locator('[data-value=noPermission]')
    .click()
}

async function screenshot(page: Page, name: string) {
  await page.evaluate(async () => {
    window.scrollTo(0, 0)
    await document.fonts.ready
  })
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false })
}

/** Every sampled text from `from` on, and the texts before it (to show the old state was really there). */
function split(samples: TextSample[], from: number) {
  return { before: samples.filter((s) => s.at < from).map((s) => s.text), after: samples.filter((s) => s.at >= from).map((s) => s.text) }
}

describe('an ordinary browser: the demo on the simulator', () => {
  it('shows the contact card for chain_single_chat_tools, the group card for chain_group_chat_tools, neither for normal, and logs a share', async () => {
    const { page, errors } = await openDemo()
    expect(await text(page, 'simulator-status')).toContain('模拟器：已开启')

    // chain_single_chat_tools (the simulator's default): the contact card, with the directory's profile.
    await waitForText(page, 'contact-card-slot', '张伟')
    expect(await text(page, 'contact-card-slot')).toContain('华东经销商（上海）')
    expect(await text(page, 'contact')).toBe('wwd6f2ad1e8b7c3a90 / ZhangWei')
    expect(await rendered(page, 'group-card-slot')).toBe(0)
    await page.locator('[data-testid=call-log] [data-api=getCurCorpGroupContact][data-status=ok]').waitFor()

    // chain_group_chat_tools: the group card, no contact card.
    await openFromAnotherChat(page, 'chain_group_chat_tools')
    await waitForText(page, 'group-card-slot', '华东区上下游对接群')
    expect(await rendered(page, 'contact-card-slot')).toBe(0)
    expect(await text(page, 'chat-id')).toBe('wrkSFfCgAAtMQKg4xqDatM5C9IY7nbqA')

    // normal (the workbench): neither card, the gate's fallback, and no chain getter was called for it.
    await page.locator('[data-testid=log-clear]').click()
    await openFromAnotherChat(page, 'normal')
    await page.locator('[data-testid=gate-fallback]').waitFor()
    await page.locator('[data-testid=call-log] [data-api=getContext][data-status=ok]').waitFor()
    await page.waitForTimeout(300)
    expect(await rendered(page, 'contact-card-slot')).toBe(0)
    expect(await rendered(page, 'group-card-slot')).toBe(0)
    expect(await rendered(page, 'share-button-slot')).toBe(0)
    expect(await page.locator('[data-testid=call-log] [data-api^=getCurCorpGroup]').count()).toBe(0)

    // Back in a chain single chat: share from the form (text), then from <share-to-chat-button>.
    await openFromAnotherChat(page, 'chain_single_chat_tools', 'wwb3c17e0a55d94f21/LiNa')
    await waitForText(page, 'contact-card-slot', '李娜')
    await page.locator('[data-testid=share-send]').click()
    await waitForText(page, 'share-result', '✓')
    const logged = page.locator('[data-testid=call-log] [data-api=sendChatMessage][data-status=ok]')
    await logged.first().waitFor()
    expect(await logged.first().innerText()).toContain('"msgtype":"text"')
    expect(await logged.first().innerText()).toContain('您好，这是本月的报价单，请查收。')
    await page.locator('[data-testid=share-button-slot]').getByRole('button').click()
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=call-log] [data-api=sendChatMessage][data-status=ok]').length === 2,
    )
    expect(await text(page, 'share-button-slot')).toContain('已发送')
    expect(errors).toEqual([])
  })

  it("shares the demo's PDF quote and product image: the button shows the upload, the simulator takes the ids it issued", async () => {
    const { page, errors } = await openDemo()
    await waitForText(page, 'contact-card-slot', '张伟')
    const buttons = page.locator('[data-testid=share-media-slot] .uct-share__button')
    await buttons.first().click()
    // The simulator's upload reports progress: the button reads "正在发送… n%" over a bar that fills.
    await page.waitForFunction(() => /\d+%/.test((document.querySelector('[data-testid=share-media-slot]') as HTMLElement).innerText))
    expect(await page.locator('[data-testid=share-media-slot] .uct-share__progress').count()).toBe(1)
    await waitForText(page, 'share-media-slot', '已发送')
    await buttons.nth(1).click()
    const logged = page.locator('[data-testid=call-log] [data-api=sendChatMessage][data-status=ok]')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=call-log] [data-api=sendChatMessage][data-status=ok]').length === 2)
    // The call log lists the newest call first.
    const texts = await logged.allInnerTexts()
    expect(texts.join('\n')).toMatch(/"file":\{"mediaid":"sim-media-file-[^"]+"\}/)
    expect(texts.join('\n')).toMatch(/"image":\{"mediaid":"sim-media-image-[^"]+"\}/)
    expect(await page.locator('[data-testid=call-log] [data-api=sendChatMessage][data-status=fail]').count()).toBe(0)

    // The share form's own image id is on the simulator's list too: sent. A made-up one is refused, as WeCom refuses it.
    await choose(page, 'share-msgtype', 'image')
    await page.locator('[data-testid=share-send]').click()
    await waitForText(page, 'share-result', '✓')
    await page.locator('[data-label="image.mediaid"] input').fill('made-up-media-id')
    await page.locator('[data-testid=share-send]').click()
    await waitForText(page, 'share-result', 'INVALID_MESSAGE')
    await page.locator('[data-testid=call-log] [data-api=sendChatMessage][data-status=fail]').first().waitFor()
    expect(errors).toEqual([])
  })

  it('re-activates from another chat through the simulator without ever showing the previous contact', async () => {
    const { page, errors } = await openDemo()
    await waitForText(page, 'contact-card-slot', '张伟')
    await page.evaluate(recordText, '[data-testid=contact-card-slot], [data-testid=contact]')
    const clickedAt = await page.evaluate(() => performance.now())
    await openFromAnotherChat(page, 'chain_single_chat_tools', 'ww5e88f0c2a1b6d734/WangFang')
    await waitForText(page, 'contact-card-slot', '王芳')
    const samples = await page.evaluate(() => (window as any).__uctSamples as TextSample[])
    const { before, after } = split(samples, clickedAt)
    expect(before.join('\n')).toContain('ZhangWei')
    expect(after.length).toBeGreaterThan(1)
    for (const sample of after) expect(sample).not.toMatch(/ZhangWei|张伟/)
    expect(errors).toEqual([])
  })
})

describe('inside WeCom: the real SDK on a bridge scripted by the test', () => {
  const contactA = { corpId: 'wwe2e0000000000a01', userId: 'e2e.alice' }
  const contactB = { corpId: 'wwe2e0000000000b02', userId: 'e2e.bob' }
  const contactC = { corpId: 'wwe2e0000000000c03', userId: 'e2e.carol' }

  it('client 4.1.22 in a chain single chat: agentConfig, then getContext, then getCurCorpGroupContact; the card shows the ids', async () => {
    const { page, errors, signatureRequests } = await openDemo({
      wecom: { version: '4.1.22', bridge: { entry: 'chain_single_chat_tools', contact: contactA } },
    })
    await waitForText(page, 'contact-card-slot', contactA.userId)
    expect(await text(page, 'contact-card-slot')).toContain(contactA.corpId)
    expect(await text(page, 'simulator-status')).toContain('模拟器：未开启')
    expect(await page.locator('[data-testid=scenario]').count()).toBe(0)
    expect(await text(page, 'entry')).toBe('chain_single_chat_tools')

    const calls = await bridgeCalls(page)
    expect(calls.map((c) => c.name).slice(0, 3)).toEqual(['agentConfig', 'getContext', 'getCurCorpGroupContact'])
    expect(calls.filter((c) => c.name === 'agentConfig')).toHaveLength(1)
    // agentConfig carries the app identity and the signature the app's server made for this very URL.
    const agentConfig = calls[0].params
    expect(agentConfig).toMatchObject({
      corpid: 'ww-demo-corp',
      agentid: '1000002',
      signature: 'e2e-signature-sha1',
      nonceStr: 'e2e-nonce',
    })
    expect(signatureRequests).toEqual([`${site.url}/`])
    expect(calls.filter((c) => c.name === 'getCurCorpGroupChat')).toHaveLength(0)

    await screenshot(page, 'wecom-4.1.22-chain-single-light')
    expect(errors).toEqual([])
  })

  it('client 4.0.7: no contact card and no getCurCorpGroupContact call', async () => {
    const { page, errors } = await openDemo({
      wecom: { version: '4.0.7', bridge: { entry: 'chain_single_chat_tools', contact: contactA } },
    })
    await waitForText(page, 'entry', 'chain_single_chat_tools')
    await page.waitForTimeout(400)
    expect(await rendered(page, 'contact-card-slot')).toBe(0)
    expect(await text(page, 'contact')).toBe('—')
    const calls = (await bridgeCalls(page)).map((c) => c.name)
    expect(calls).toContain('getContext')
    expect(calls).not.toContain('getCurCorpGroupContact')
    expect(await page.locator('body').innerText()).not.toContain(contactA.userId)
    expect(errors).toEqual([])
  })

  it('re-activation: hidden and shown again from another chat, the new contact appears and the old one never shows in between', async () => {
    const { page, errors } = await openDemo({
      wecom: {
        version: '4.1.22',
        bridge: { entry: 'chain_single_chat_tools', contact: contactA, latency: { getCurCorpGroupContact: 150 } },
      },
    })
    await waitForText(page, 'contact-card-slot', contactA.userId)
    await page.evaluate(recordText, '[data-testid=contact-card-slot], [data-testid=contact]')

    // A → B: the page is hidden, the user opens another chain chat, the page is shown again.
    const shownB = await page.evaluate(leaveAndReturn, { contact: contactB })
    await waitForText(page, 'contact-card-slot', contactB.userId)

    // Then a chat whose contact answer is slow (A again), and, while that answer is on its way, C.
    await page.evaluate(() => {
      ;(window as any).__uctBridge.script.latency = { getCurCorpGroupContact: 400 }
    })
    const shownStale = await page.evaluate(leaveAndReturn, { contact: contactA })
    await page.waitForTimeout(100) // A's answer (for this activation) is now in flight
    const shownC = await page.evaluate(leaveAndReturn, { contact: contactC, latency: { getCurCorpGroupContact: 500 } })
    await waitForText(page, 'contact-card-slot', contactC.userId)
    await page.waitForTimeout(500) // any late answer would have arrived by now

    const samples = await page.evaluate(() => (window as any).__uctSamples as TextSample[])
    const toB = split(samples, shownB)
    expect(toB.before.join('\n')).toContain(contactA.userId)
    const betweenB = samples.filter((s) => s.at >= shownB && s.at < shownStale).map((s) => s.text)
    expect(betweenB.some((t) => t.includes(contactB.userId))).toBe(true)
    for (const t of betweenB) expect(t).not.toContain(contactA.userId)
    // After the last switch: never A (its activation's answer arrived late and was dropped), never B.
    const afterC = split(samples, shownC).after
    expect(afterC.some((t) => t.includes(contactC.userId))).toBe(true)
    for (const t of afterC) {
      expect(t).not.toContain(contactA.userId)
      expect(t).not.toContain(contactB.userId)
    }
    expect(await text(page, 'contact')).toBe(`${contactC.corpId} / ${contactC.userId}`)

    const calls = (await bridgeCalls(page)).map((c) => c.name)
    expect(calls.filter((n) => n === 'getContext')).toHaveLength(4)
    expect(calls.filter((n) => n === 'agentConfig')).toHaveLength(1)
    expect(errors).toEqual([])
  })
})

describe('screenshots at 360 px, light and dark (tests/artifacts/e2e)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`key states in ${scheme}`, async () => {
      const { page, errors } = await openDemo({ colorScheme: scheme })
      await waitForText(page, 'contact-card-slot', '张伟')
      await screenshot(page, `simulator-chain-single-${scheme}`)

      await openFromAnotherChat(page, 'chain_group_chat_tools')
      await waitForText(page, 'group-card-slot', '华东区上下游对接群')
      await screenshot(page, `simulator-chain-group-${scheme}`)

      // The error state: the client refuses the contact (no permission), with a retry.
      await refuseTheContact(page)
      await openFromAnotherChat(page, 'chain_single_chat_tools')
      await waitForText(page, 'contact-error', 'NO_PERMISSION')
      expect(await text(page, 'contact-card-slot')).toContain('重试')
      await screenshot(page, `simulator-contact-error-${scheme}`)

      // English.
      await choose(page, 'locale', 'en')
      await waitForText(page, 'contact-card-slot', 'Retry')
      await screenshot(page, `simulator-contact-error-en-${scheme}`)

      // Outside WeCom: the simulator off, every component hidden.
      const outside = await openDemo({ colorScheme: scheme, query: '?simulator=off' })
      await waitForText(outside.page, 'simulator-status', '模拟器：未开启')
      expect(await rendered(outside.page, 'contact-card-slot')).toBe(0)
      expect(await rendered(outside.page, 'share-button-slot')).toBe(0)
      await screenshot(outside.page, `outside-wecom-${scheme}`)
      expect([...errors, ...outside.errors]).toEqual([])
    })
  }
})

/** axe-core (the exact version in package.json), run in the page on `include` (default: the whole document). */
async function axe(page: Page, include?: string) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') })
  const context = include ? { include: [[include]] } : undefined
  const violations = await page.evaluate(
    async (ctx) => ((await (window as any).axe.run(ctx ?? document, { resultTypes: ['violations'] })) as { violations: any[] }).violations,
    context,
  )
  return violations.map((v: any) => ({
    id: v.id as string,
    impact: v.impact as string,
    targets: v.nodes.map((n: any) => n.target.join(' ')) as string[],
  }))
}

describe('accessibility, checked by axe-core in Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`the kit's components have no violation at all in ${scheme}: single chat, group chat, error state`, async () => {
      const { page, errors } = await openDemo({ colorScheme: scheme })
      await waitForText(page, 'contact-card-slot', '张伟')
      await page.locator('[data-testid=share-button-slot] .uct-share').waitFor()
      expect(await axe(page, '.uct-root')).toEqual([])

      await openFromAnotherChat(page, 'chain_group_chat_tools')
      await waitForText(page, 'group-card-slot', '华东区上下游对接群')
      expect(await axe(page, '.uct-root')).toEqual([])

      await refuseTheContact(page)
      await openFromAnotherChat(page, 'chain_single_chat_tools')
      await waitForText(page, 'contact-error', 'NO_PERMISSION')
      expect(await axe(page, '.uct-root')).toEqual([])
      expect(errors).toEqual([])
    })

    it(`the whole demo page has no serious or critical violation in ${scheme} (single and group chat)`, async () => {
      const { page, errors } = await openDemo({ colorScheme: scheme })
      await waitForText(page, 'contact-card-slot', '张伟')
      const grave = (found: Awaited<ReturnType<typeof axe>>) => found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(grave(await axe(page))).toEqual([])
      await openFromAnotherChat(page, 'chain_group_chat_tools')
      await waitForText(page, 'group-card-slot', '华东区上下游对接群')
      expect(grave(await axe(page))).toEqual([])
      expect(errors).toEqual([])
    })
  }
})

/** The colour at (x, y) of a PNG screenshot, decoded by the browser itself. */
async function pixel(page: Page, png: Buffer, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    async ([data, px, py]) => {
      const image = new Image()
      image.src = `data:image/png;base64,${data}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      const [r, g, b] = context.getImageData(px, py, 1, 1).data
      return [r, g, b] as [number, number, number]
    },
    [png.toString('base64'), Math.round(x), Math.round(y)] as const,
  )
}
const luminance = ([r, g, b]: [number, number, number]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

/** What a user sees of the card and the button: computed colours, and pixels sampled from a screenshot. */
async function lookOfTheKit(page: Page, name: string) {
  await waitForText(page, 'contact-card-slot', '张伟')
  const card = page.locator('[data-testid=contact-card-slot] .uct-card')
  const button = page.locator('[data-testid=share-button-slot] .uct-share__button')
  await page.evaluate(() => window.scrollTo(0, 0))
  await card.scrollIntoViewIfNeeded()
  const png = await page.screenshot({ path: join(artifacts, `${name}.png`) })
  const cardBox = (await card.boundingBox())!
  const buttonBox = (await button.boundingBox())!
  return {
    cardBackground: await card.evaluate((el) => getComputedStyle(el).backgroundColor),
    buttonBackground: await button.evaluate((el) => getComputedStyle(el).backgroundColor),
    // Inside the card's right padding (no text there), and inside the button's left padding.
    cardPixel: luminance(await pixel(page, png, cardBox.x + cardBox.width - 5, cardBox.y + cardBox.height / 2)),
    buttonPixel: await pixel(page, png, buttonBox.x + 5, buttonBox.y + buttonBox.height / 2),
    pagePixel: luminance(await pixel(page, png, 2, 2)),
  }
}

describe('the app’s theme on a dark system (screenshots in tests/artifacts/e2e)', () => {
  let lightOnly: StaticSite
  beforeAll(async () => {
    // The same app without `h5.darkmode` in manifest.json: uni's default, an app that has not opted in.
    lightOnly = await serveStatic(await buildDemoVariant('light-only', (manifest) => delete manifest.h5.darkmode))
  }, 600000)
  afterAll(async () => {
    await lightOnly?.close()
  })

  it('an app that has not opted in to dark mode stays light: the cards and the button too', async () => {
    const { page, errors } = await openDemo({ colorScheme: 'dark', site: lightOnly })
    const look = await lookOfTheKit(page, 'theme-light-only-app-dark-system')
    expect(look.cardBackground).toBe('rgb(255, 255, 255)')
    expect(look.buttonBackground).toBe('rgb(10, 102, 230)')
    expect(look.cardPixel).toBeGreaterThan(0.9)
    expect(luminance(look.buttonPixel)).toBeLessThan(0.5)
    expect(look.buttonPixel[2]).toBeGreaterThan(200) // the light primary blue
    expect(errors).toEqual([])
  })

  it('an app that opted in (h5.darkmode) turns dark with the system: the cards and the button too', async () => {
    const { page, errors } = await openDemo({ colorScheme: 'dark' })
    const look = await lookOfTheKit(page, 'theme-dark-app-dark-system')
    expect(look.cardBackground).toBe('rgb(31, 32, 34)')
    expect(look.buttonBackground).toBe('rgb(91, 157, 255)')
    expect(look.cardPixel).toBeLessThan(0.2)
    expect(look.pagePixel).toBeLessThan(0.2)
    expect(errors).toEqual([])
  })

  it('the same app on a light system is light', async () => {
    const { page, errors } = await openDemo({ colorScheme: 'light' })
    const look = await lookOfTheKit(page, 'theme-dark-app-light-system')
    expect(look.cardBackground).toBe('rgb(255, 255, 255)')
    expect(look.cardPixel).toBeGreaterThan(0.9)
    expect(errors).toEqual([])
  })
})
