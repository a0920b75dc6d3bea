// @vitest-environment happy-dom
// Dark mode in the mini program, on the built wxss: the demo opts in (manifest `mp-weixin.darkmode`, with
// theme.json), so WeChat reports the system theme and the cards follow it (their root takes the kit's
// `uct-theme-dark` palette). An app that has not opted in (the same app built without the opt-in) stays
// light whatever the theme: WeChat reports no theme to it. Computed styles come from happy-dom, on the
// components' test page rendered by WeChat's own component framework (miniprogram-simulate).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildMpFixture, FIXTURE_PAGE } from '../support/mp-fixture'
import { launchPage, until, type MiniProgramPage } from '../support/wechat-mini-program'

const PAGE = FIXTURE_PAGE
const CONTACT_WXSS = 'components/chain-contact-card/chain-contact-card.wxss'

/** Relative luminance (0 black … 1 white) of a computed colour: `#rgb`, `#rrggbb` or `rgb(r, g, b)`. */
function luminance(colour: string): number {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim())
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(colour.trim())
  let channels: number[]
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1]
    channels = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16))
  } else if (rgb) channels = rgb.slice(1, 4).map(Number)
  else throw new Error(`not a colour: "${colour}"`)
  const [r, g, b] = channels.map((c) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

let page: MiniProgramPage | null = null
afterEach(() => {
  page?.close()
  page = null
})

/** The contact card as loaded, on `dist` under `theme`: its background and text colours. */
async function contactCard(dist: string, theme: 'light' | 'dark') {
  page = launchPage({ dist, page: PAGE, theme, scenario: { entry: 'chain_single_chat_tools', latencyMs: 5 } })
  const p = page
  await until(() => p.text('contact').includes('ZhangWei') || p.text('contact').includes('张伟'), () => p.text('contact'))
  const card = p.element('contact').firstElementChild as HTMLElement
  const style = getComputedStyle(card)
  const shareButton = p.element('share').querySelector('wx-button') as HTMLElement
  return { background: style.backgroundColor, text: style.color, button: getComputedStyle(shareButton).backgroundColor }
}

/** The demo app (it opted in), and the same app without the opt-in, with the components' test page. */
let optedIn = ''
let lightBuild = ''
beforeAll(async () => {
  optedIn = await buildMpFixture('mp-fixture-darkmode')
  lightBuild = await buildMpFixture('mp-no-darkmode', (manifest) => {
    delete manifest['mp-weixin'].darkmode
    delete manifest['mp-weixin'].themeLocation
  })
}, 600_000)

describe('mini program dark mode (built wxss, computed under happy-dom)', () => {
  it('the demo build opted in: its app.json says so, and the dark palette is in the cards’ wxss', () => {
    const app = JSON.parse(readFileSync(join(optedIn, 'app.json'), 'utf8'))
    expect(app.darkmode).toBe(true)
    expect(app.themeLocation).toBe('theme.json')
    const theme = JSON.parse(readFileSync(join(optedIn, app.themeLocation), 'utf8'))
    expect(Object.keys(theme).sort()).toEqual(['dark', 'light'])
    // Every @variable the window config uses is defined for both themes (WeChat requires it).
    for (const value of Object.values(app.window) as string[]) {
      if (typeof value === 'string' && value.startsWith('@')) {
        expect(theme.light[value.slice(1)], value).toBeTruthy()
        expect(theme.dark[value.slice(1)], value).toBeTruthy()
      }
    }
    expect(readFileSync(join(optedIn, CONTACT_WXSS), 'utf8')).toMatch(/\.uct-root\.uct-theme-dark\{[^}]*--uct-color-surface/)
  })

  it('an app that opted in: the cards are light in the light theme and take the dark palette in the dark theme', async () => {
    const light = await contactCard(optedIn, 'light')
    expect(luminance(light.background), light.background).toBeGreaterThan(0.8)
    expect(luminance(light.text), light.text).toBeLessThan(0.1)
    page!.close()
    page = null

    const dark = await contactCard(optedIn, 'dark')
    expect(luminance(dark.background), dark.background).toBeLessThan(0.05)
    expect(luminance(dark.text), dark.text).toBeGreaterThan(0.6)
    expect(dark.button).not.toBe(light.button)
  })

  it('an app that has not opted in stays light in the dark theme (and no system query in its wxss)', async () => {
    const app = JSON.parse(readFileSync(join(lightBuild, 'app.json'), 'utf8'))
    expect(app.darkmode).toBeUndefined()
    expect(readFileSync(join(lightBuild, CONTACT_WXSS), 'utf8')).not.toMatch(/prefers-color-scheme/)
    const inDark = await contactCard(lightBuild, 'dark')
    expect(luminance(inDark.background), inDark.background).toBeGreaterThan(0.8)
    expect(luminance(inDark.text), inDark.text).toBeLessThan(0.1)
  })
})
