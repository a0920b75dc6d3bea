import { readFileSync, readdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { componentCss } from '../../tests/support/components'

// Dark applies under the class `uct-theme-dark` only (on an ancestor, or on the component's root when the
// kit's theme is dark): no `prefers-color-scheme` query, so a light-only app stays light on a dark system.
// Each dark value is written once in the sources, and every colour a component reads is themable in both
// schemes by that component's own styles.
const names = ['chain-contact-card', 'chain-group-card', 'share-to-chat-button', 'chain-entry-gate']
const strip = (css: string) => css.replace(/\/\*[\s\S]*?\*\//g, '')
const cssOf = (name: string) => strip(componentCss(name))
const DARK_RULE = /\.uct-theme-dark \.uct-root,\s*\.uct-root\.uct-theme-dark \{([^}]*)\}/g

function declarations(bodies: string[]): Record<string, string> {
  return Object.fromEntries(bodies.flatMap((body) => [...body.matchAll(/(--uct-color-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()])))
}

describe.each(names)('theme of %s', (name) => {
  const css = cssOf(name)
  const dark = declarations([...css.matchAll(DARK_RULE)].map((m) => m[1]))
  const read = [...css.matchAll(/var\((--uct-color-[\w-]+), (#[0-9a-f]{6})\)/g)]

  it('sets its dark palette under uct-theme-dark only, each from --uct-dark-color-*, and never from the system query', () => {
    expect(css).not.toContain('prefers-color-scheme')
    expect(Object.keys(dark).length).toBeGreaterThan(0)
    for (const [variable, value] of Object.entries(dark)) {
      expect(value).toMatch(new RegExp(`^var\\(${variable.replace('--uct-', '--uct-dark-')}, #[0-9a-f]{6}\\)$`))
    }
  })

  it('has a dark value for every colour it reads, and no dark value for a colour it does not read', () => {
    expect(read.length).toBeGreaterThan(0)
    const colours = new Set(read.map((m) => m[1]))
    for (const colour of colours) expect(dark, colour).toHaveProperty(colour)
    for (const colour of Object.keys(dark)) expect(colours.has(colour), colour).toBe(true)
  })
})

describe('theme sources', () => {
  const here = dirname(fileURLToPath(import.meta.url))
  const files = [
    ...readdirSync(here).filter((f) => f.endsWith('.css') || f.endsWith('.vue')).map((f) => resolve(here, f)),
    ...names.map((name) => resolve(here, '..', name, `${name}.vue`)),
  ]
  const sources = files.map((file) => strip(readFileSync(file, 'utf8').replace(/^[\s\S]*?<style>|<\/style>[\s\S]*$/g, '')))

  it('write each dark value once', () => {
    const written = sources.flatMap((css) => [...css.matchAll(/(--uct-color-[\w-]+):/g)].map((m) => m[1]))
    expect(written.length).toBeGreaterThan(10)
    expect(written.filter((v, i) => written.indexOf(v) !== i)).toEqual([])
  })
})

describe('theme', () => {
  const all = names.map(cssOf).join('\n')

  it('gives each colour one light default and one dark default across the components', () => {
    const light = new Map<string, string>()
    for (const [, variable, fallback] of all.matchAll(/var\((--uct-color-[\w-]+), (#[0-9a-f]{6})\)/g)) {
      expect(`${variable}: ${fallback}`).toBe(`${variable}: ${light.get(variable) ?? fallback}`)
      light.set(variable, fallback)
    }
    const dark = new Map<string, string>()
    for (const [, variable, value] of all.matchAll(/(--uct-color-[\w-]+):\s*([^;]+);/g)) {
      expect(`${variable}: ${value}`).toBe(`${variable}: ${dark.get(variable) ?? value}`)
      dark.set(variable, value)
    }
    expect(light.size).toBeGreaterThan(10)
    expect([...dark.keys()].sort()).toEqual([...light.keys()].sort())
  })

  it('reads every colour, size, radius and spacing through a --uct-* variable with a fallback', () => {
    const found = [...all.matchAll(/(?:^|[;{\s])((?:background-)?color|border(?:-color|-radius)?|padding|margin(?:-\w+)?|font-size|width|height|min-height|min-width|outline):\s*([^;}]+)/g)]
    expect(found.length).toBeGreaterThan(40)
    for (const [, property, value] of found) {
      if (/^(0|auto|none|100%|1px|1px solid transparent|transparent|inherit)$/.test(value.trim()) || value.includes('var(--uct-')) continue
      // Structural literals: the compact subtitle keeps a few characters.
      expect(`${property}: ${value}`).toMatch(/^min-width: 4em$/)
    }
  })
})

describe('skeleton', () => {
  // WCAG's contrast ratio of two colours (relative luminance).
  const luminance = (hex: string) => {
    const channel = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    const [r, g, b] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16) / 255))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
    return (hi + 0.05) / (lo + 0.05)
  }
  const css = cssOf('chain-contact-card')
  const light = (colour: string) => css.match(new RegExp(`var\\(--uct-color-${colour}, (#[0-9a-f]{6})\\)`))![1]
  const dark = (colour: string) =>
    css.match(new RegExp(`--uct-color-${colour}:\\s*var\\(--uct-dark-color-${colour}, (#[0-9a-f]{6})\\)`))![1]

  it('in dark, the bones stand out from the card at least as much as its border does, and more than in light', () => {
    const bone = contrast(dark('skeleton'), dark('surface'))
    expect(bone).toBeGreaterThanOrEqual(contrast(dark('border'), dark('surface')))
    expect(bone).toBeGreaterThan(contrast(light('skeleton'), light('surface')))
  })
})
