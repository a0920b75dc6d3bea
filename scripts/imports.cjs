#!/usr/bin/env node
// `npm run imports`: the kit's imports run one way, with no cycle (no dependency: it reads the files itself).
// Each file of the kit belongs to a layer; a file imports only from its own layer and the layers listed under it
// (docs/development.md, "The shape of the house"). Type-only imports count: a cycle of types is still a knot a
// reader has to untie. Tests, the bench and the build scripts are outside the layers: they may import anything.
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')

/** The layers, each with what it may import besides itself (first match wins). */
const LAYERS = [
  { name: 'base', match: /^src\/(errors|version)\.ts$/, may: [] },
  { name: 'host', match: /^src\/host\//, may: ['base'] },
  { name: 'core', match: /^src\//, may: ['base', 'host'] },
  { name: 'simulator', match: /^simulator\//, may: ['base', 'host', 'core'] },
  { name: 'composables', match: /^composables\//, may: ['base', 'host', 'core'] },
  { name: 'components', match: /^components\//, may: ['base', 'host', 'core', 'composables'] },
  { name: 'entry', match: /^index\.ts$/, may: ['base', 'host', 'core', 'composables', 'components'] },
  { name: 'testing', match: /^testing\/(?!__tests__\/)/, may: ['base', 'host', 'core', 'composables', 'components', 'entry', 'simulator'] },
  {
    name: 'demo',
    match: /^(pages\/|main\.ts$|App\.vue$)/,
    may: ['base', 'host', 'core', 'composables', 'components', 'entry', 'simulator'],
  },
]

const SOURCE = /\.(ts|mts|vue)$/
const OUTSIDE = /(^|\/)(node_modules|dist|\.[^/]+)\/|\.test\.ts$|\.d\.ts$|(^|\/)__tests__\//

/** The kit's files (relative, with `/`), those of every layer. */
function kitFiles(dir = root) {
  const found = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    const rel = path.relative(root, file).split(path.sep).join('/')
    if (OUTSIDE.test(entry.isDirectory() ? `${rel}/` : rel)) continue
    if (entry.isDirectory()) found.push(...kitFiles(file))
    else if (SOURCE.test(entry.name) && layerOf(rel)) found.push(rel)
  }
  return found
}

const layerOf = (file) => LAYERS.find((layer) => layer.match.test(file))

/** `import … from './x'`, `export … from './x'`, `import './x'`, `import('./x')`: the relative ones, resolved to files. */
function importsOf(file) {
  const code = fs.readFileSync(path.join(root, file), 'utf8').replace(/^\s*\/\/.*$/gm, '')
  const specs = [...code.matchAll(/\b(?:import|export)\s*(?:type\s*)?(?:[\w$*{},\s]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)]
  return specs.map((m) => resolve(file, m[1] ?? m[2])).filter(Boolean)
}

function resolve(from, spec) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec))
  for (const candidate of [base, `${base}.ts`, `${base}.vue`, `${base}/index.ts`]) {
    const full = path.join(root, candidate)
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate
  }
  return null
}

/** Every import of a kit file: { from, to }. */
function graph(files = kitFiles()) {
  return files.flatMap((from) => importsOf(from).map((to) => ({ from, to })))
}

/** Imports that run up, or sideways into a layer not listed under the importer's. */
function violations(edges = graph()) {
  return edges.filter(({ from, to }) => {
    // The one place that picks per platform also picks how the media uploader loads (a lazy chunk on H5, in the
    // bundle in the mini program, which cannot load one): that import is its job, not an arrow up.
    if (from === 'src/host/platform.ts' && to.startsWith('src/media/')) return false
    const a = layerOf(from)
    const b = layerOf(to)
    return b && a !== b && !a.may.includes(b.name)
  })
}

/** The import cycles, each as the files around it (the first file repeated at the end). */
function cycles(edges = graph()) {
  const next = new Map()
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to])
  const found = []
  const state = new Map() // 1: on the current path, 2: done
  const stack = []
  const visit = (file) => {
    state.set(file, 1)
    stack.push(file)
    for (const to of next.get(file) ?? []) {
      if (state.get(to) === 1) found.push([...stack.slice(stack.indexOf(to)), to])
      else if (!state.has(to)) visit(to)
    }
    stack.pop()
    state.set(file, 2)
  }
  for (const file of next.keys()) if (!state.has(file)) visit(file)
  return found
}

module.exports = { LAYERS, kitFiles, graph, violations, cycles, layerOf }

if (require.main === module) {
  const edges = graph()
  const up = violations(edges)
  const loops = cycles(edges)
  for (const { from, to } of up) console.error(`${from} (${layerOf(from).name}) imports ${to} (${layerOf(to).name})`)
  for (const loop of loops) console.error(`cycle: ${loop.join(' → ')}`)
  const files = new Set(edges.flatMap((e) => [e.from, e.to])).size
  console.log(`${files} files, ${edges.length} imports: ${up.length} against the layers, ${loops.length} cycles`)
  process.exit(up.length || loops.length ? 1 : 0)
}
