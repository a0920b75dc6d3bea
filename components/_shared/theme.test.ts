import { describe, expect, it } from 'vitest'
import { componentCss } from '../../tests/support/components'

// The dark palette is written twice (the media query and the `uct-theme-dark` class) and each light
// default once per use: keep the copies equal, and every colour themable in both schemes.
const css = ['chain-contact-card', 'chain-group-card', 'share-to-chat-button']
  .map(componentCss)
  .join('\n')
  .replace(/\/\*[\s\S]*?\*\//g, '')

function declarations(body: string): Record<string, string> {
  return Object.fromEntries([...body.matchAll(/(--uct-color-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]))
}

describe('theme', () => {
  const darkMedia = declarations(/@media \(prefers-color-scheme: dark\) \{\s*\.uct-root \{([^}]*)\}/.exec(css)?.[1] ?? '')
  const darkClass = declarations(/\.uct-theme-dark \.uct-root,\s*\.uct-root\.uct-theme-dark \{([^}]*)\}/.exec(css)?.[1] ?? '')

  it('has the same dark palette for the media query and the class, each from --uct-dark-color-*', () => {
    expect(Object.keys(darkClass).length).toBeGreaterThan(10)
    expect(darkMedia).toEqual(darkClass)
    for (const [name, value] of Object.entries(darkClass)) expect(value).toMatch(new RegExp(`^var\\(${name.replace('--uct-', '--uct-dark-')}, #[0-9a-f]{6}\\)$`))
  })

  it('reads each colour with one light default, and has a dark value for it', () => {
    const uses = [...css.matchAll(/var\((--uct-color-[\w-]+), (#[0-9a-f]{6})\)/g)]
    expect(uses.length).toBeGreaterThan(15)
    const light = new Map<string, string>()
    for (const [, name, fallback] of uses) {
      expect(`${name}: ${fallback}`).toBe(`${name}: ${light.get(name) ?? fallback}`)
      light.set(name, fallback)
      expect(darkClass, name).toHaveProperty(name)
    }
  })

  it('reads every colour, size, radius and spacing through a --uct-* variable with a fallback', () => {
    const found = [...css.matchAll(/(?:^|[;{\s])((?:background-)?color|border(?:-color|-radius)?|padding|margin(?:-\w+)?|font-size|width|height|min-height|min-width|outline):\s*([^;}]+)/g)]
    expect(found.length).toBeGreaterThan(40)
    for (const [, property, value] of found) {
      if (/^(0|auto|none|100%|1px|1px solid transparent|transparent|inherit)$/.test(value.trim()) || value.includes('var(--uct-')) continue
      // Structural literals: the compact subtitle keeps a few characters.
      expect(`${property}: ${value}`).toMatch(/^min-width: 4em$/)
    }
  })
})
