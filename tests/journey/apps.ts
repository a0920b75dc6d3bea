// The journey's apps: a copy of an official template (tests/journey/templates/, see SOURCE.md there), then
// what the README tells a user to write into it, taken from README.md's code blocks by the file they name,
// and the journey's own pages. Shared by the journey's setup (which makes and installs the apps) and its tests.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { transformSync } from 'esbuild'
import { blockFor, readmeBlocks, type ReadmeBlock } from './readme'

export const TEMPLATES = {
  /** uni-preset-vue#vite-ts: Vue 3 + Vite + TypeScript, src/ layout. */
  'vite-ts': { main: 'src/main.ts' },
  /** uni-preset-vue#vite: the same in JavaScript, no TypeScript installed. */
  vite: { main: 'src/main.js' },
} as const
export type Template = keyof typeof TEMPLATES

/** The chain contact the scripted WeCom client reports, and what WeCom's API knows of them (the avatar aside). */
export const CONTACT = { corpId: 'wwdownstream01', userId: 'lisi' }
export const PROFILE = { name: '李四', corpName: '下游五金有限公司' }

export interface Step {
  name: string
  command: string
  status: number | null
  seconds: number
  output: string
}

export interface JourneyApp {
  template: Template
  dir: string
  steps: Step[]
  /** Where the README's page test and the page it tests were written (relative to the app). */
  pageTest?: { test: string; config: string; page: string }
}

export interface JourneyState {
  registry: string
  /** The contact's avatar as WeCom's API gives it (on WeCom's picture CDN, https). */
  avatarUrl: string
  /** Where this machine serves that picture (the browser's requests for avatarUrl go there). */
  avatarSource: string
  tarball: string
  apps: Record<Template, JourneyApp>
  /** Seconds each shared step took: pack, the registry's start, publish. */
  seconds: Record<string, number>
}

const here = __dirname

/** The environment of a user's shell: none of npm's, vitest's or uni's variables from the run around the journey. */
export function userShellEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|UNI_|VITEST|VITE_|INIT_CWD$|NODE_ENV$|TEST$|NODE_OPTIONS$)/i.test(key)) continue
    env[key] = value
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra }
}

/** Runs `command` through the shell in `cwd`, as a user types it; never throws, records status, output and time. */
export function runShell(name: string, command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 600000): Promise<Step> {
  const started = Date.now()
  return new Promise((done) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => {
      output += `\n[journey] ${command} did not finish in ${timeoutMs / 1000} s: stopped`
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, timeoutMs)
    child.once('error', (error) => (output += String(error)))
    child.once('close', (status) => {
      clearTimeout(timer)
      done({ name, command, status, seconds: Math.round((Date.now() - started) / 100) / 10, output })
    })
  })
}

/** pages.json allows comments (uni strips them): drop line and block comments outside strings, then parse. */
export function parseJsonc(text: string): any {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      const end = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i))![0]
      out += end
      i += end.length - 1
    } else if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') i++
    else if (c === '/' && text[i + 1] === '*') i = text.indexOf('*/', i + 2) + 1
    else out += c
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'))
}

/** main.js for a JavaScript project: the README's own, or its main.ts with the types taken out (what such a user does). */
function mainFor(template: Template, blocks: ReadmeBlock[]): string {
  if (template === 'vite-ts') return blockFor('src/main.ts', blocks).code
  if (blocks.some((b) => b.file === 'src/main.js')) return blockFor('src/main.js', blocks).code
  return transformSync(blockFor('src/main.ts', blocks).code, { loader: 'ts', format: 'esm' }).code
}

/** The easycom rule of the README ("map the kit's tags once"): the ```json block that has one. */
function easycomRule(blocks: ReadmeBlock[]): unknown {
  const block = blocks.find((b) => b.lang === 'json' && b.code.includes('"easycom"'))
  if (!block) throw new Error('README.md has no ```json block with an "easycom" rule')
  return JSON.parse(block.code).easycom
}

/** Copies the template to `dir` and writes into it what the README says, with the journey's page. */
export function makeApp(template: Template, dir: string, blocks = readmeBlocks()): void {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  cpSync(join(here, 'templates', template), dir, { recursive: true })
  rmSync(join(dir, 'SOURCE.md'), { force: true })
  // The README's main.ts as it stands: its server (tests/journey/wecom.ts) names the contact on both hosts.
  writeFileSync(join(dir, TEMPLATES[template].main), mainFor(template, blocks))
  const pagesFile = join(dir, 'src/pages.json')
  const pages = parseJsonc(readFileSync(pagesFile, 'utf8'))
  writeFileSync(pagesFile, JSON.stringify({ easycom: easycomRule(blocks), ...pages }, null, 2))
  cpSync(join(here, 'app/pages/index/index.vue'), join(dir, 'src/pages/index/index.vue'))
}

/**
 * "Testing your page": its test and its vitest config, each into the file it names; a test that names none goes
 * where the config's `include` finds it (else `tests/`). The page it tests is the app's own, in the app's input
 * folder (`src/pages/custom/custom.vue`): the test's import must find it there, as a user's would.
 */
export function writePageTest(app: JourneyApp, blocks = readmeBlocks()): NonNullable<JourneyApp['pageTest']> {
  const section = blocks.filter((b) => /^Testing your page/.test(b.section) && /^(ts|js)$/.test(b.lang))
  const test = section.find((b) => b.code.includes("'uni-chain-toolbar/testing'"))
  if (!test) throw new Error('"Testing your page" has no code block that imports uni-chain-toolbar/testing')
  const configs = section.filter((b) => b.code.includes('defineConfig('))
  if (!configs.length) throw new Error('"Testing your page" has no vitest config block')
  const config = configs.find((b) => /src\/ layout/.test(b.code.split('\n')[0])) ?? configs.find((b) => /\bsrc\b/.test(b.code)) ?? configs[0]
  const configFile = config.file ?? 'vitest.config.mts'
  const included = /include:\s*\[\s*'([\w./-]*?)\/?\*\*/.exec(config.code)?.[1]
  const testFile = test.file ?? join(included || 'tests', 'custom.test.ts')
  const page = 'src/pages/custom/custom.vue'
  for (const [file, code] of [
    [testFile, test.code],
    [configFile, config.code],
  ]) {
    mkdirSync(dirname(join(app.dir, file)), { recursive: true })
    writeFileSync(join(app.dir, file), code)
  }
  mkdirSync(dirname(join(app.dir, page)), { recursive: true })
  cpSync(join(here, 'app/pages/custom/custom.vue'), join(app.dir, page))
  return { test: testFile, config: configFile, page }
}

export function readState(file: string): JourneyState {
  if (!existsSync(file)) throw new Error(`the journey's setup wrote no ${file}`)
  return JSON.parse(readFileSync(file, 'utf8'))
}

/**
 * Throws when the app did not install as the README says: with the failed step's output (`full`), or with
 * npm's own error lines only (the tests that come after the install's own).
 */
export function requireInstalled(app: JourneyApp, upTo = 'kit', full = false): void {
  for (const step of app.steps) {
    if (step.status !== 0) {
      const said = full ? tail(step.output) : npmError(step.output)
      throw new Error(`the ${app.template} app did not install: \`${step.command}\` exited ${step.status}:\n${said}`)
    }
    if (step.name === upTo) return
  }
  throw new Error(`the ${app.template} app has no "${upTo}" install step`)
}

/** npm's own error in a few lines: its code and, for ERESOLVE, the dependency it could not resolve and why. */
function npmError(output: string): string {
  const lines = output.split('\n').filter((line) => line.replace(/^npm error\s*$/, ''))
  const code = lines.find((line) => line.startsWith('npm error code'))
  const from = lines.findIndex((line) => /Could not resolve dependency/.test(line))
  const to = lines.findIndex((line, i) => i > from && /Fix the upstream/.test(line))
  if (code && from >= 0) return [code, ...lines.slice(from, to > from ? Math.min(to, from + 8) : from + 8)].join('\n')
  return tail(output, 8)
}

export function tail(output: string, lines = 40): string {
  return output.trim().split('\n').slice(-lines).join('\n')
}
