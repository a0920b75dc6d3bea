import { describe, expect, it } from 'vitest'
import { componentCss } from '../../tests/support/components'

// Each colour carries its light default twice (inline fallback, and the `uct-theme-light` block) and its
// dark default twice (the media query and the `uct-theme-dark` block). Keep the copies equal.
const css = ['chain-contact-card', 'chain-group-card', 'share-to-chat-button']
  .map(componentCss)
  .join('\n')
  .replace(/\/\*[\s\S]*?\*\//g, '')

function block(selector: RegExp): Record<string, string> {
  const body = selector.exec(css)?.[1] ?? ''
  return Object.fromEntries([...body.matchAll(/(--_uct-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]))
}

describe('theme', () => {
  const light = block(/\.uct-theme-light \.uct-root,\s*\.uct-root\.uct-theme-light \{([^}]*)\}/)
  const darkClass = block(/\.uct-theme-dark \.uct-root,\s*\.uct-root\.uct-theme-dark \{([^}]*)\}/)
  const darkMedia = block(/@media \(prefers-color-scheme: dark\) \{\s*\.uct-root \{([^}]*)\}/)

  it('has the same dark palette for the media query and the class, and a light value for each', () => {
    expect(Object.keys(darkClass).length).toBeGreaterThan(10)
    expect(darkMedia).toEqual(darkClass)
    expect(Object.keys(light).sort()).toEqual(Object.keys(darkClass).sort())
  })

  it('uses each private colour with the light default of the uct-theme-light block', () => {
    const uses = [...css.matchAll(/var\((--_uct-[\w-]+), ([^)]+)\)/g)]
    expect(uses.length).toBeGreaterThan(20)
    for (const [, name, fallback] of uses) expect(`${name}: ${fallback}`).toBe(`${name}: ${light[name]}`)
  })

  it('reads every colour, size and radius through a --uct-* variable with a fallback', () => {
    const declarations = [...css.matchAll(/(?:^|[;{\s])((?:background-)?color|border(?:-color|-radius)?|padding|margin(?:-\w+)?|font-size|width|height|min-height|min-width):\s*([^;}]+)/g)]
    for (const [, property, value] of declarations) {
      if (/^(0|auto|none|100%|1px solid transparent|transparent|-1px|1px|inherit)$/.test(value.trim()) || value.includes('var(--uct-')) continue
      // The only literal sizes left are structural: the skeleton's bar widths.
      expect(`${property}: ${value}`).toMatch(/^width: (60|40)%$/)
    }
  })
})
