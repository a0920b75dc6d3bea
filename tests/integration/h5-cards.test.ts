// The cards in the demo's production H5 build (dist/build/h5), in real Chromium at 360 px on the simulator,
// as a user sees them: uni's own built-in components (a picture is uni's <image>: an element that shows the
// picture, with an <img> that loaded it), never an element Vue could not resolve (`<v-uni-view>` and the
// like: plain unknown elements, where no picture ever shows), and nothing in the console. The avatars are
// the demo directory's PNGs (static/avatars/), served with the build by the test on 127.0.0.1.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, serveStatic, type LaunchedChromium, type StaticSite } from '../support/browser'

const root = resolve(__dirname, '../..')
const artifacts = join(root, 'tests/artifacts/h5-cards')

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

/** The demo at 360 px on the simulator; `console` collects every warning and error the page logs. */
async function openDemo(options: { failAvatars?: boolean } = {}) {
  const context = await chromium.browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  contexts.push(context)
  const page = await context.newPage()
  page.setDefaultTimeout(15000)
  const console: string[] = []
  page.on('console', (message) => {
    if (message.type() !== 'warning' && message.type() !== 'error') return
    // Offline, pictures of the demo's share form on other hosts cannot load: only the app's own files count.
    if (/^Failed to load resource/.test(message.text()) && !message.location().url.startsWith(site.url)) return
    console.push(`${message.type()}: ${message.text().split('\n')[0]} ${message.location().url}`)
  })
  page.on('pageerror', (error) => console.push(`pageerror: ${error.message}`))
  // A picture that cannot be loaded: the server answers 404.
  if (options.failAvatars) await page.route('**/static/avatars/**', (route) => route.fulfill({ status: 404, body: 'Not found' }))
  await page.goto(`${site.url}/`)
  await page.locator('[data-testid=composables]').waitFor()
  return { page, console }
}

/** Tag names of elements Vue left unresolved (uni's built-ins are `uni-*` elements when resolved). */
const unresolved = (page: Page) =>
  page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.localName).filter((n) => n.startsWith('v-uni-')))])

/** What the contact card's avatar shows: the picture (loaded, with its size on screen) or its text. */
async function avatarOf(page: Page, card: string) {
  return page.locator(`${card} .uct-avatar`).evaluate((avatar) => {
    const img = avatar.querySelector('img')
    const box = avatar.getBoundingClientRect()
    const picture = avatar.querySelector('uni-image')
    return {
      picture: picture ? { shown: picture.getBoundingClientRect().width > 0, src: img?.getAttribute('src') ?? null, loaded: (img?.naturalWidth ?? 0) > 0 } : null,
      text: (avatar as HTMLElement).innerText.trim(),
      size: [Math.round(box.width), Math.round(box.height)],
    }
  })
}

describe('the cards in the H5 build are made of uni built-ins', () => {
  it("shows the contact's picture from the profile, with no unresolved element and nothing in the console", async () => {
    const { page, console } = await openDemo()
    const card = '[data-testid=contact-card-slot] .uct-contact-card'
    await page.locator(`${card}.uct-card--loaded .uct-card__title`, { hasText: '张伟' }).waitFor()
    await expect.poll(() => avatarOf(page, card), { timeout: 10000 }).toEqual({
      picture: { shown: true, src: expect.stringMatching(/\/static\/avatars\/zhangwei\.png$/), loaded: true },
      text: '',
      size: [40, 40],
    })
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.locator(card).screenshot({ path: join(artifacts, 'contact-card-avatar-360.png') })
    await page.screenshot({ path: join(artifacts, 'demo-360.png') })
    expect(await unresolved(page)).toEqual([])
    expect(console).toEqual([])
  })

  it('falls back to the initials when the picture fails to load', async () => {
    const { page, console } = await openDemo({ failAvatars: true })
    const card = '[data-testid=contact-card-slot] .uct-contact-card'
    await page.locator(`${card}.uct-card--loaded .uct-card__title`, { hasText: '张伟' }).waitFor()
    await expect.poll(() => avatarOf(page, card), { timeout: 10000 }).toEqual({ picture: null, text: '张', size: [40, 40] })
    await page.locator(card).screenshot({ path: join(artifacts, 'contact-card-initials-360.png') })
    expect(await unresolved(page)).toEqual([])
    // The browser reports the 404 itself; the app logs nothing.
    expect(console.filter((line) => !/Failed to load resource: .* 404/.test(line))).toEqual([])
  })

  it("the group card and the error state's retry are uni built-ins too", async () => {
    const { page, console } = await openDemo()
    await page.locator('[data-testid=scenario-entry] [data-value=chain_group_chat_tools]').click()
    await page.locator('[data-testid=open-from-another-chat]').click()
    const group = '[data-testid=group-card-slot] .uct-group-card'
    await page.locator(`${group}.uct-card--loaded .uct-card__title`, { hasText: '华东区上下游对接群' }).waitFor()
    expect(await avatarOf(page, group)).toEqual({ picture: null, text: '华', size: [40, 40] })
    expect(await page.locator(`${group} uni-view.uct-avatar`).count()).toBe(1)
    expect(await unresolved(page)).toEqual([])

    // The client refuses the group: the card's error state, whose retry is uni's <button>.
    await page.locator('[data-testid=scenario] .scenario__toggle').click()
    await page.locator('[data-testid=scenario] .scenario__api').filter({ hasText: 'getCurCorpGroupChat' }).locator('[data-value=noPermission]').click()
    await page.locator('[data-testid=open-from-another-chat]').click()
    await page.locator(`${group}.uct-card--error`).waitFor()
    expect(await page.locator(`${group} uni-button.uct-card__retry`).count()).toBe(1)
    expect(await unresolved(page)).toEqual([])
    expect(console).toEqual([])
  })
})
