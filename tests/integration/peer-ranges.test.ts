// What `npm i` can put beside the kit in a uni-app project, asked of the registry at test time (so a new pinia
// or vue on npm is judged as it is published). uni's packages pin vue exactly (@dcloudio/uni-h5 depends on
// @vue/server-renderer of one version, whose peer is that same vue), so every version the kit's peer ranges
// admit must install beside that vue, and the README's install command must pick only such versions.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))
const readme = readFileSync(resolve(root, 'README.md'), 'utf8')
const run = promisify(execFile)

/** `npm view <spec> <field> --json`, as a list (npm answers one value for one version, a list for several). */
async function npmView(spec: string, field: string): Promise<string[]> {
  const { stdout } = await run('npm', ['view', spec, field, '--json'], { encoding: 'utf8', timeout: 60000 })
  if (!stdout.trim()) return []
  const value = JSON.parse(stdout)
  return Array.isArray(value) ? value : [value]
}
/** The published versions a range admits, oldest first (prereleases are never picked by a range). */
const versionsOf = async (name: string, range: string) =>
  (await npmView(`${name}@${range}`, 'version')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
const admits = async (name: string, range: string, version: string) => (await versionsOf(name, range)).includes(version)

/** The README's install commands for the kit (```sh blocks): the line, the pinia spec it types, the lines before it. */
function installCommands(): { line: string; pinia: string | undefined; before: string[] }[] {
  // Each shell command on its own: lines without their comments, split at `&&`.
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    m[1].split('\n').flatMap((line) => line.replace(/\s+#.*$/, '').split('&&').map((command) => command.trim())),
  )
  const kit = /\bnpm (i|install)\b.*\buni-chain-toolbar\b/
  return blocks.flatMap((lines) =>
    lines.flatMap((line, index) => {
      if (!kit.test(line)) return []
      const words = [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3])
      const pinia = words.find((word) => /^pinia(@|$)/.test(word))
      const before = lines.slice(0, index)
      return [{ line, pinia: pinia && (pinia.includes('@') ? pinia.slice('pinia@'.length) : 'latest'), before }]
    }),
  )
}

let uniVue = ''
beforeAll(async () => {
  // The vue uni's H5 runtime pins: the peer of the @vue/server-renderer that @dcloudio/uni-h5 depends on.
  const [renderer] = await npmView(`@dcloudio/uni-h5@${pkg.peerDependencies['@dcloudio/uni-app']}`, 'dependencies.@vue/server-renderer')
  ;[uniVue] = await npmView(`@vue/server-renderer@${renderer}`, 'peerDependencies.vue')
  expect(uniVue).toMatch(/^\d+\.\d+\.\d+$/)
}, 120000)

describe("the kit's peer ranges, against the vue uni-app ships", () => {
  it('vue: admits only the vue uni pins', async () => {
    const admitted = await versionsOf('vue', pkg.peerDependencies.vue)
    expect(admitted).toEqual([uniVue])
  })

  it('pinia: both ends and every version between install beside that vue, and the next one up does not', async () => {
    const range = pkg.peerDependencies.pinia as string
    const [admitted, vueRanges, all] = await Promise.all([
      versionsOf('pinia', range),
      npmView(`pinia@${range}`, 'peerDependencies.vue'),
      npmView('pinia', 'versions'),
    ])
    expect(admitted.length, `pinia@${range} on npm`).toBeGreaterThan(0)
    for (const vueRange of new Set(vueRanges)) expect(await admits('vue', vueRange, uniVue), `a pinia in ${range} wants vue ${vueRange}`).toBe(true)
    // Tight at the top: the first stable pinia after the range's newest wants a vue uni does not ship.
    const next = all.filter((v) => !v.includes('-'))[all.filter((v) => !v.includes('-')).indexOf(admitted[admitted.length - 1]) + 1]
    if (next) {
      const [vueRange] = await npmView(`pinia@${next}`, 'peerDependencies.vue')
      expect(await admits('vue', vueRange, uniVue), `pinia ${next} (vue ${vueRange}) installs beside vue ${uniVue}: widen the range`).toBe(false)
    }
  }, 120000)
})

describe("the README's install command", () => {
  const commands = installCommands()

  it('is there', () => {
    expect(commands.length).toBeGreaterThan(0)
  })

  it.each(commands)('$line — first writes the vue uni pins exactly into package.json', ({ before }) => {
    // The template's "vue": "^3.4.21" lets npm pick the newest vue on an install from package.json alone (no lock
    // file), where the kit's vue peer then conflicts (ERESOLVE): `npm i -E vue@<uni's vue>` first.
    const pinsVue = before.some((line) => new RegExp(`\\bnpm (i|install)\\b(?=.*(\\s-E\\b|--save-exact)).*\\svue@${uniVue.replace(/\./g, '\\.')}(\\s|$)`).test(line))
    expect(pinsVue, before.join('\n')).toBe(true)
  })

  it.each(commands)('$line — names a pinia that installs beside uni’s vue, today and after pinia publishes again', async ({ pinia }) => {
    expect(pinia, 'the command installs pinia').toBeDefined()
    const picked = await versionsOf('pinia', pinia!)
    const peer = await versionsOf('pinia', pkg.peerDependencies.pinia)
    expect(picked.length).toBeGreaterThan(0)
    // A bare `pinia` is npm's `latest`, which moves with every release. A range that admits no published version
    // above the peer range's newest also admits none published later (those come after the one above it).
    for (const version of picked) expect(peer, `pinia@${pinia} picks ${version}`).toContain(version)
  }, 120000)
})
