// The public surface is chosen, not whatever a file happens to export: the runtime names of the package root,
// the entries package.json exposes, and the README's list of them must agree. Adding a public name is a
// deliberate change to all three (and a CHANGELOG line).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as kit from '../../index'

const root = resolve(__dirname, '../..')
const PUBLIC_VALUES = [
  'ChainToolbarError',
  'DEFAULT_TIMEOUT_MS',
  'chainToolbarEn',
  'chainToolbarZhCN',
  'clearProfileCache',
  'createChainToolbar',
  'createMiniProgramHost',
  'createOutsideHost',
  'createWebHost',
  'isChainToolbarError',
  'useChainChat',
  'useChainContact',
  'useChainToolbarI18n',
  'useChainToolbarStore',
  'useEntry',
  'useShareToChat',
  'validateChatMessage',
]

describe('the public surface', () => {
  it('the package root exports exactly the documented values', () => {
    expect(Object.keys(kit).sort()).toEqual(PUBLIC_VALUES)
  })

  it('package.json exposes the root, the simulator, testing, server, the components and the type declarations, and no internals', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))
    expect(Object.keys(pkg.exports).sort()).toEqual(
      ['.', './components/*', './package.json', './server', './simulator', './testing', './types/*'].sort(),
    )
  })

  it('the README lists every public value of the root', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### The public surface'))
    expect(section.length, 'README section "The public surface"').toBeGreaterThan(0)
    for (const name of PUBLIC_VALUES) expect(section, name).toContain(`\`${name}\``)
  })
})
