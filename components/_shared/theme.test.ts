import { describe, expect, it } from 'vitest'
import { componentCss } from '../../tests/support/components'

// Each stylesheet sets the dark values of the colours it introduces, twice (the media query and the
// `uct-theme-dark` class); each light default is written once per use. Keep the copies equal, and every
// colour a component reads themable in both schemes by that component's own styles.
const names = ['chain-contact-card', 'chain-group-card', 'share-to-chat-button']
const cssOf = (name: string) => componentCss(name).replace(/\/\*[\s\S]*?\*\//g, '')

function declarations(bodies: string[]): Record<string, string> {
  return Object.fromEntries(bodies.flatMap((body) => [...body.matchAll(/(--uct-color-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()])))
}
function palettes(css: string) {
  const media = declarations([...css.matchAll(/@media \(prefers-color-scheme: dark\) \{\s*\.uct-root \{([^}]*)\}/g)].map((m) => m[1]))
  const byClass = declarations([...css.matchAll(/\.uct-theme-dark \.uct-root,\s*\.uct-root\.uct-theme-dark \{([^}]*)\}/g)].map((m) => m[1]))
  return { media, byClass }
}

describe.each(names)('theme of %s', (name) => {
  const css = cssOf(name)
  const { media, byClass } = palettes(css)
  const read = [...css.matchAll(/var\((--uct-color-[\w-]+), (#[0-9a-f]{6})\)/g)]

  it('has the same dark palette for the media query and the class, each from --uct-dark-color-*', () => {
    expect(Object.keys(byClass).length).toBeGreaterThan(3)
    expect(media).toEqual(byClass)
    for (const [variable, value] of Object.entries(byClass)) expect(value).toMatch(new RegExp(`^var\\(${variable.replace('--uct-', '--uct-dark-')}, #[0-9a-f]{6}\\)$`))
  })

  it('has a dark value for every colour it reads, and no dark value for a colour it does not read', () => {
    expect(read.length).toBeGreaterThan(5)
    const colours = new Set(read.map((m) => m[1]))
    for (const colour of colours) expect(byClass, colour).toHaveProperty(colour)
    for (const colour of Object.keys(byClass)) expect(colours.has(colour), colour).toBe(true)
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
