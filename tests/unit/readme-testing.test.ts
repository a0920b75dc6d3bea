// "Testing your page" in the README, taken as a user takes it: the test tools it installs and the vitest config
// it gives for each layout. The consumer apps' own page tests (run by tests/integration/consumer.test.ts) run on
// exactly that config, and on the versions this repository pins, which the install command must pick.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const readme = readFileSync(resolve(root, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## Testing your page'), readme.indexOf('\n## ', readme.indexOf('## Testing your page') + 1))
const pinned = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).devDependencies as Record<string, string>
const TOOLS = ['vitest', '@vitejs/plugin-vue', '@vue/test-utils', 'happy-dom']

/** Whether `version` is in `range`, for the forms an install command uses here: `~x.y.z`, `^x.y.z`, `x.y.z`. */
function admits(range: string, version: string): boolean {
  const parse = (v: string) => v.split('.').map(Number)
  const match = /^([~^]?)(\d+\.\d+\.\d+)$/.exec(range)
  if (!match) throw new Error(`a range of another form: ${range}`)
  const [op, base] = [match[1], parse(match[2])]
  const v = parse(version)
  const atLeast = v[0] > base[0] || (v[0] === base[0] && (v[1] > base[1] || (v[1] === base[1] && v[2] >= base[2])))
  if (op === '') return version === match[2]
  if (op === '~') return atLeast && v[0] === base[0] && v[1] === base[1]
  return atLeast && v[0] === base[0] && (base[0] > 0 || v[1] === base[1])
}

/** The section's ```sh line that installs the test tools: package → the range it types. */
function installed(): Record<string, string> {
  const line = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).find((l) => /\bnpm (i|install)\b.*\bvitest\b/.test(l))
  expect(line, 'an install command for the test tools in "Testing your page"').toBeDefined()
  return Object.fromEntries(
    line!
      .replace(/\s+#.*$/, '')
      .split(/\s+/)
      .filter((word) => /^@?[\w./-]+@/.test(word))
      .map((word) => [word.slice(0, word.lastIndexOf('@')), word.slice(word.lastIndexOf('@') + 1)]),
  )
}

/** The section's `// vitest.config.mts` blocks, by the layout their first line names. */
function configs(): Record<'root' | 'src', string | undefined> {
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.startsWith('// vitest.config.mts'))
  const firstLine = (b: string) => b.slice(0, b.indexOf('\n'))
  return { root: blocks.find((b) => /root layout/.test(firstLine(b))), src: blocks.find((b) => /src\/ layout/.test(firstLine(b))) }
}

describe('README, Testing your page', () => {
  it.each(TOOLS)('installs %s with a range that picks the version the consumer apps run on', (name) => {
    const range = installed()[name]
    expect(range, `${name} in the install command`).toBeDefined()
    expect(admits(range, pinned[name]), `${name}@${range} admits ${pinned[name]}`).toBe(true)
    // Never the next major (vitest 4 brings its own vite; @vitejs/plugin-vue 6 needs vite 6+).
    const major = Number(pinned[name].split('.')[0])
    expect(admits(range, `${major + 1}.0.0`), `${name}@${range} admits ${major + 1}.0.0`).toBe(false)
  })

  it.each([
    ['root', 'tests/consumer/app'],
    ['src', 'tests/consumer/src-app'],
  ] as const)('gives the %s layout its vitest config, the one that consumer app runs its page tests on', (layout, app) => {
    const config = configs()[layout]
    expect(config, `a "// vitest.config.mts" block for the ${layout} layout`).toBeDefined()
    expect(readFileSync(resolve(root, app, 'vitest.config.mts'), 'utf8')).toBe(config)
  })

  // The README's test lives in `tests/` beside the config: `@/` finds the page in either layout, `../pages/…` only in the root one.
  it.each(['tests/consumer/app', 'tests/consumer/src-app'])("%s runs the README's page test as it stands, in its own layout", (app) => {
    const test = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes("from 'uni-chain-toolbar/testing'"))
    expect(test, "a page test importing 'uni-chain-toolbar/testing'").toBeDefined()
    expect(test).toMatch(/^import \w+ from '@\/pages\//m)
    expect(readFileSync(resolve(root, app, 'tests/custom.test.ts'), 'utf8')).toBe(test)
  })

  it.each(['tests/consumer/app', 'tests/consumer/src-app'])('%s lists the test tools at the versions the README picks', (app) => {
    const devDependencies = JSON.parse(readFileSync(resolve(root, app, 'package.json'), 'utf8')).devDependencies
    const ranges = installed()
    for (const name of TOOLS) expect(admits(ranges[name], devDependencies[name]), `${name} ${devDependencies[name]}`).toBe(true)
  })
})
