#!/usr/bin/env node
// `npm test`: every test the project has. Each step runs in order; the run fails if any step fails.
//   npm test                 all steps
//   npm test -- unit         only the steps whose name starts with "unit" (any prefix works)
// Steps: unit tests once per platform (uni's #ifdef applied), the server suite, a jest smoke run of the testing
// entry, the import layers and cycles, the linter (ESLint, zero warnings), the type checks (the kit; the server
// companion), both uni builds, then the suites that need the builds (build checks, the mini program on WeChat's
// framework, browser e2e, …), then the README's journey.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const only = process.argv.slice(2)
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'uct-test-'))
const vitest = require.resolve('vitest/vitest.mjs')
const node = process.execPath

function vitestStep(name, config, env = {}) {
  const out = path.join(reports, `${name}.json`)
  return {
    name,
    cmd: [node, vitest, 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    env,
    report: out,
  }
}

const steps = [
  vitestStep('unit:mp-weixin', 'vitest.config.mts', { UNI_PLATFORM: 'mp-weixin' }),
  vitestStep('unit:h5', 'vitest.config.mts', { UNI_PLATFORM: 'h5' }),
  vitestStep('server', 'vitest.server.config.mts'),
  // uni-chain-toolbar/testing under jest too (jsdom, babel-jest, vue3-jest).
  {
    name: 'jest',
    cmd: [node, path.join(path.dirname(require.resolve('jest/package.json')), 'bin/jest.js'), '-c', 'tests/jest/jest.config.cjs'],
  },
  // Imports run one way, with no cycle (scripts/imports.cjs; a unit test runs it too).
  { name: 'imports', cmd: [node, 'scripts/imports.cjs'] },
  { name: 'lint', cmd: [node, path.join(path.dirname(require.resolve('eslint/package.json')), 'bin/eslint.js'), '.', '--max-warnings', '0'] },
  { name: 'typecheck', cmd: [node, require.resolve('vue-tsc/bin/vue-tsc.js'), '--noEmit', '-p', 'tsconfig.json'] },
  // The server companion's JSDoc-typed JavaScript (tsc --checkJs), held to the declaration files it ships.
  { name: 'typecheck:server', cmd: [node, require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.server.json'] },
  { name: 'build:h5', cmd: [node, 'scripts/uni.cjs', 'build'] },
  { name: 'build:mp-weixin', cmd: [node, 'scripts/uni.cjs', 'build', '-p', 'mp-weixin'] },
  vitestStep('integration', 'vitest.integration.config.mts'),
  // The README's journey: the packed kit published to a private registry (Verdaccio, started by the step),
  // installed by its name in fresh apps from uni-app's official templates, built and opened as a user would.
  vitestStep('journey', 'vitest.journey.config.mts'),
]

const selected = only.length ? steps.filter((s) => only.some((o) => s.name.startsWith(o))) : steps
if (!selected.length) {
  console.error(`No step matches ${only.join(' ')}. Steps: ${steps.map((s) => s.name).join(', ')}`)
  process.exit(2)
}

let passed = 0
let failed = 0
let skipped = 0
const failures = []
for (const step of selected) {
  const started = Date.now()
  console.log(`\n=== ${step.name} ===`)
  const res = spawnSync(step.cmd[0], step.cmd.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const ok = res.status === 0
  if (step.report && fs.existsSync(step.report)) {
    const r = JSON.parse(fs.readFileSync(step.report, 'utf8'))
    passed += r.numPassedTests
    failed += r.numFailedTests
    skipped += r.numPendingTests + (r.numTodoTests || 0)
    if (!ok && r.numFailedTests === 0) failed++ // a suite that failed to load
  } else if (ok) passed++
  else failed++
  if (!ok) failures.push(step.name)
  console.log(`=== ${step.name}: ${ok ? 'ok' : 'FAILED'} (${seconds} s) ===`)
}

console.log(`\n${failures.length ? `Failed steps: ${failures.join(', ')}` : 'All steps passed.'}`)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failures.length ? 1 : 0)
