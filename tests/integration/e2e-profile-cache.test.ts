// The persisted profile cache in the H5 build, in real Chromium: the demo on the simulator (its resolver
// answers after 250 ms). Open the demo, close it, open it again: the second time the contact card comes
// with the name at once (uni storage, i.e. localStorage, kept it), never the ids first, and does not move
// when the resolver's answer arrives.
import { join, resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, serveStatic, type LaunchedChromium, type StaticSite } from '../support/browser'

const root = resolve(__dirname, '../..')
let site: StaticSite
let chromium: LaunchedChromium
let context: BrowserContext

beforeAll(async () => {
  site = await serveStatic(join(root, 'dist/build/h5'))
  chromium = await launchChromium()
  context = await chromium.browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, locale: 'zh-CN' })
})

afterAll(async () => {
  await context?.close().catch(() => {})
  await chromium?.close()
  await site?.close()
})

interface TitleSample {
  at: number
  title: string
  height: number
}

/** Runs in the page before its scripts (no documentElement yet): records every title of the contact card and its height. */
function recordCardTitles() {
  const samples: TitleSample[] = []
  ;(window as any).__uctTitles = samples
  const read = () => {
    const card = document.querySelector('[data-testid=contact-card-slot] .uct-contact-card') as HTMLElement | null
    const title = card?.querySelector('.uct-card__title') as HTMLElement | null
    return { title: card ? (title ? title.innerText : '(skeleton)') : '', height: card ? card.getBoundingClientRect().height : 0 }
  }
  new MutationObserver(() => {
    const now = read()
    const last = samples[samples.length - 1]
    if (!last || last.title !== now.title || last.height !== now.height) samples.push({ at: performance.now(), ...now })
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
}

async function openDemo(): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage()
  page.setDefaultTimeout(10000)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.addInitScript(recordCardTitles)
  await page.goto(`${site.url}/`)
  await page.waitForFunction(() =>
    (document.querySelector('[data-testid=contact-card-slot]') as HTMLElement | null)?.innerText.includes('张伟'),
  )
  // The resolver's answer (250 ms after the contact) has arrived and been rendered.
  await page.locator('[data-testid=call-log] [data-api=getCurCorpGroupContact][data-status=ok]').waitFor()
  await page.waitForTimeout(600)
  return { page, errors }
}

const titles = (page: Page) => page.evaluate(() => (window as any).__uctTitles as TitleSample[])

describe('H5 build: the persisted profile cache (demo, simulator)', () => {
  it('open, close, open again: the name is there as the card loads, without the ids first or a jump', async () => {
    const first = await openDemo()
    const firstTitles = (await titles(first.page)).map((s) => s.title)
    // Nothing stored yet: the card shows the id until the resolver answers.
    expect(firstTitles).toContain('ZhangWei')
    expect(await first.page.evaluate(() => Object.keys(localStorage).some((key) => key.includes('uni-chain-toolbar:profiles')))).toBe(true)
    await first.page.close()

    const again = await openDemo()
    const samples = await titles(again.page)
    const loaded = samples.filter((s) => s.title && s.title !== '(skeleton)')
    expect(loaded[0].title).toBe('张伟')
    expect(loaded.map((s) => s.title)).not.toContain('ZhangWei')
    // One height for the card once loaded: the refresh from the resolver moved nothing.
    expect(new Set(loaded.map((s) => s.height)).size).toBe(1)
    expect(again.errors).toEqual([])
    expect(first.errors).toEqual([])
  })
})
