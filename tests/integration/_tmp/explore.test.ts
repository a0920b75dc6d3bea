import { join, resolve } from 'node:path'
import { it } from 'vitest'
import { launchChromium, serveStatic } from '/work/h-ui/tests/support/browser'

const root = '/work/h-ui'
it('explore', async () => {
  const site = await serveStatic(join(root, process.env.SITE ?? 'dist/build/h5'))
  const chromium = await launchChromium()
  for (const scheme of ['light', 'dark'] as const) {
    const context = await chromium.browser.newContext({ viewport: { width: 360, height: 780 }, colorScheme: scheme, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${site.url}/`)
    await page.locator('[data-testid=contact-card-slot] .uct-card--loaded').waitFor()
    await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') })
    const result = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }))
    console.log(scheme, JSON.stringify(result.violations.map((v: any) => ({ id: v.id, impact: v.impact, n: v.nodes.length, t: v.nodes.slice(0, 4).map((n: any) => n.target.join(' ') + ' :: ' + n.failureSummary?.slice(0, 200)) })), null, 1))
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=contact-card-slot] .uct-card')!).backgroundColor)
    console.log('card bg', bg)
    await context.close()
  }
  await chromium.close()
  await site.close()
}, 120000)
