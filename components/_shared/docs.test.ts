import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { componentCss } from '../../tests/support/components'
import { chainEntryGateProps } from '../chain-entry-gate/types'
import { chainContactCardProps } from '../chain-contact-card/types'
import { chainGroupCardProps } from '../chain-group-card/types'
import { shareToChatButtonProps } from '../share-to-chat-button/types'

// Each component's README is its reference: it must name every prop, every slot and every CSS variable the component reads.
const components = {
  'chain-contact-card': chainContactCardProps,
  'chain-group-card': chainGroupCardProps,
  'share-to-chat-button': shareToChatButtonProps,
  'chain-entry-gate': chainEntryGateProps,
}
const here = dirname(fileURLToPath(import.meta.url))
const readme = (name: string) => readFileSync(resolve(here, '..', name, 'README.md'), 'utf8')

describe.each(Object.entries(components))('%s README', (name, props) => {
  it('documents every prop', () => {
    for (const prop of Object.keys(props)) expect(readme(name)).toContain(`| \`${prop}\` |`)
  })

  it('documents every slot (the `…Slots` interface of its types.ts) in its Slots table', () => {
    const source = (file: string) => readFileSync(resolve(here, '..', file), 'utf8')
    const types = source(`${name}/types.ts`)
    // The cards' slots are the shared CardSlots (components/_shared/props.ts).
    const declared = /Slots = CardSlots</.test(types) ? source('_shared/props.ts') : types
    const slots = [...(declared.match(/export interface \w*Slots\b[^{]*\{[\s\S]*?\n\}/)?.[0] ?? '').matchAll(/^ {2}(\w+)\?\(/gm)].map((m) => m[1])
    const table = readme(name).split('## Slots')[1]?.split('\n## ')[0] ?? ''
    expect(slots).toContain('default')
    for (const slot of slots) expect(table, slot).toContain(slot === 'default' ? '| default |' : `| \`${slot}\` |`)
  })

  it('documents every CSS variable the component reads', () => {
    const variables = new Set([...componentCss(name).replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/var\((--uct-[\w-]+)/g)].map((m) => m[1]))
    // The shared theme sets every dark colour; a component answers only for those of the colours it uses.
    const used = [...variables].filter((v) => !v.startsWith('--uct-dark-color-') || variables.has(v.replace('--uct-dark-', '--uct-')))
    for (const variable of used) expect(readme(name), variable).toContain(`\`${variable}\``)
  })

  it('documents no CSS variable the component does not read', () => {
    const read = componentCss(name)
    for (const [, variable] of readme(name).matchAll(/`(--uct-[\w-]+)`/g)) expect(read, variable).toContain(`var(${variable}`)
  })
})
