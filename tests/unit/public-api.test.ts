// The public surface is chosen, not whatever a file happens to export: the runtime names of the package root,
// the entries package.json exposes, and the documented list of them ("The public surface", docs/reference.md)
// must agree. Adding a public name is a deliberate change to all three (and a CHANGELOG line).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as kit from '../../index'
import { docSection } from '../support/docs'

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

  it('package.json exposes the root, the simulator, testing, server and its fake WeCom API, the components and the type declarations, and no internals', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))
    expect(Object.keys(pkg.exports).sort()).toEqual(
      ['.', './components/*', './package.json', './server', './server/testing/fake-wecom.mjs', './simulator', './testing', './types/*'].sort(),
    )
  })

  it('the docs list every public value of the root in "The public surface"', () => {
    const section = docSection('The public surface').text
    for (const name of PUBLIC_VALUES) expect(section, name).toContain(`\`${name}\``)
  })
})
