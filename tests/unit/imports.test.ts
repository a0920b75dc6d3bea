// The kit's imports run one way (docs/development.md, "The shape of the house"): scripts/imports.cjs reads
// every import of the kit's files; `npm run imports` and npm test run it too.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const imports = require('../../scripts/imports.cjs') as {
  graph(): { from: string; to: string }[]
  violations(edges?: { from: string; to: string }[]): { from: string; to: string }[]
  cycles(edges?: { from: string; to: string }[]): string[][]
  layerOf(file: string): { name: string } | undefined
}

describe('imports', () => {
  const edges = imports.graph()

  it('reads the kit: the entry gathers the host, the store, the composables and the components', () => {
    const fromEntry = edges.filter((e) => e.from === 'index.ts').map((e) => e.to)
    expect(fromEntry).toEqual(
      expect.arrayContaining(['src/plugin.ts', 'src/host/web.ts', 'src/store.ts', 'composables/useEntry/index.ts', 'components/chain-contact-card/types.ts']),
    )
    expect(edges).toContainEqual({ from: 'composables/useEntry/index.ts', to: 'src/store.ts' })
  })

  it('run from the host up to the pages: no file imports a layer above its own', () => {
    expect(imports.violations(edges)).toEqual([])
  })

  it('have no cycle, type imports included', () => {
    expect(imports.cycles(edges)).toEqual([])
  })

  it('the check sees an import that runs up, and a cycle', () => {
    const up = { from: 'src/host/web.ts', to: 'src/store.ts' }
    expect(imports.violations([up])).toEqual([up])
    expect(imports.violations([{ from: 'src/types.ts', to: 'src/host/types.ts' }])).toEqual([])
    const loop = [
      { from: 'src/types.ts', to: 'src/host/types.ts' },
      { from: 'src/host/types.ts', to: 'src/types.ts' },
    ]
    expect(imports.cycles(loop)).toEqual([['src/types.ts', 'src/host/types.ts', 'src/types.ts']])
  })

  it('places every file of the kit in a layer', () => {
    for (const file of ['index.ts', 'src/errors.ts', 'src/host/scope.ts', 'src/store.ts', 'simulator/client.ts', 'pages/demo.ts', 'testing/index.ts']) {
      expect(imports.layerOf(file), file).toBeDefined()
    }
  })
})
