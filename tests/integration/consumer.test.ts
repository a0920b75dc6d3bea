// The kit as other uni-app projects meet it: the packed npm tarball, and the uni_modules copy, in a fresh
// consumer app (tests/consumer/app) built for h5 and mp-weixin by the real uni compiler, then type-checked.
// Offline: the consumer sits in dist/consumer/<form>/, so Node resolves its other dependencies from the
// packages `npm ci` already installed at the root; the kit itself comes only from the tarball (extracted
// into the consumer's node_modules, as npm would) or from the uni_modules folder.
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const uniCli = join(root, 'node_modules/@dcloudio/vite-plugin-uni/bin/uni.js')
const vueTsc = join(root, 'node_modules/vue-tsc/bin/vue-tsc.js')
const work = join(root, 'dist/consumer')
const SDK_MARKERS = ['preVerifyJSAPI', 'Missing getAgentConfigSignature', 'CLProximityImmediate'] // string literals of @wecom/jssdk that survive minification (not WeixinJSBridgeReady: the simulator dispatches it)
// Text of uni-chain-toolbar/testing that survives minification: it must never reach a production bundle.
const TESTING_MARKERS = ['[uni-chain-toolbar/testing]', 'needs @wecom/jssdk installed in the project']
const vitest = join(root, 'node_modules/vitest/vitest.mjs')
const COMPONENTS = ['chain-contact-card', 'chain-group-card', 'share-to-chat-button', 'chain-entry-gate']

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? files(full) : [full]
  })
}

function createConsumer(form: 'npm' | 'uni_modules', tarball: string): string {
  const app = join(work, form)
  rmSync(app, { recursive: true, force: true })
  cpSync(join(root, 'tests/consumer/app'), app, { recursive: true })
  if (form === 'npm') {
    const into = join(app, 'node_modules/uni-chain-toolbar')
    mkdirSync(into, { recursive: true })
    execFileSync('tar', ['-xzf', tarball, '-C', into, '--strip-components=1'])
  } else {
    // HBuilderX users drop the folder into uni_modules/: no easycom rule, imports from '@/uni_modules/…'.
    cpSync(join(root, 'dist/uni_modules/uni-chain-toolbar'), join(app, 'uni_modules/uni-chain-toolbar'), { recursive: true })
    const pagesJson = JSON.parse(readFileSync(join(app, 'pages.json'), 'utf8'))
    delete pagesJson.easycom
    writeFileSync(join(app, 'pages.json'), JSON.stringify(pagesJson, null, 2))
    for (const file of files(app).filter((f) => !f.includes('node_modules') && /\.(ts|vue)$/.test(f))) {
      const code = readFileSync(file, 'utf8')
      writeFileSync(file, code.replace(/from 'uni-chain-toolbar(\/testing)?'/g, "from '@/uni_modules/uni-chain-toolbar$1'"))
    }
  }
  return app
}

function expectNoTestingCode(out: string) {
  for (const file of files(out).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(file, 'utf8')
    for (const marker of TESTING_MARKERS) expect(code.includes(marker), `${marker} in ${file}`).toBe(false)
  }
}

/**
 * Runs a node script without blocking this worker: a long synchronous child (a build, vue-tsc on a loaded
 * machine) stalls the worker's reporting until vitest gives up on it ("Timeout calling onTaskUpdate").
 */
function runNode(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

async function uniBuild(app: string, platform: 'h5' | 'mp-weixin') {
  const args = [uniCli, 'build', ...(platform === 'mp-weixin' ? ['-p', 'mp-weixin'] : [])]
  const res = await runNode(args, { cwd: app, env: { ...process.env, UNI_INPUT_DIR: app, NODE_ENV: 'production' } })
  if (res.status !== 0) throw new Error(`uni build ${platform} failed in ${app}:\n${res.stdout}\n${res.stderr}`)
  return join(app, 'dist/build', platform)
}

let tarball = ''
beforeAll(() => {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: root, encoding: 'utf8' })
  tarball = join(work, JSON.parse(packed)[0].filename)
  execFileSync(process.execPath, [join(root, 'scripts/build-uni-modules.cjs')], { cwd: root })
})

describe('the npm tarball', () => {
  it('ships what a consumer needs and nothing of the demo or the tests', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean)
    expect(listed).toContain('package/src/index.ts')
    expect(listed).toContain('package/types/wx-qy.d.ts')
    for (const name of COMPONENTS) expect(listed).toContain(`package/components/${name}/${name}.vue`)
    expect(listed.some((f) => /\.test\.ts$/.test(f))).toBe(false)
    expect(listed.some((f) => /^package\/(pages|tests|bench|static)\//.test(f) || f === 'package/main.ts' || f === 'package/App.vue')).toBe(false)
  })
})

describe.each(['npm', 'uni_modules'] as const)('a consumer app using the %s form', (form) => {
  let app = ''
  beforeAll(() => {
    app = createConsumer(form, tarball)
  })

  it('builds for the mini program, registers the kit components, and has no SDK code', async () => {
    const out = await uniBuild(app, 'mp-weixin')
    const cards = JSON.parse(readFileSync(join(out, 'pages/cards/cards.json'), 'utf8'))
    for (const name of COMPONENTS) {
      expect(cards.usingComponents?.[name], `${name} in cards.json`).toBeTruthy()
      const path = cards.usingComponents[name] as string // relative to the page, or absolute from the root
      const wxml = path.startsWith('/') ? join(out, `${path}.wxml`) : join(out, 'pages/cards', `${path}.wxml`)
      expect(existsSync(wxml), wxml).toBe(true)
    }
    for (const file of files(out).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(file, 'utf8')
      for (const marker of SDK_MARKERS) expect(code.includes(marker), `${marker} in ${file}`).toBe(false)
    }
    expect(files(out).some((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('getCurCorpGroupContact'))).toBe(true)
    expectNoTestingCode(out)
  })

  it('builds for H5 with the SDK only in a lazy chunk', async () => {
    const out = await uniBuild(app, 'h5')
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    const entry = /<script[^>]+src="\/?([^"]+\.js)"/.exec(html)![1]
    expect(SDK_MARKERS.some((m) => readFileSync(join(out, entry), 'utf8').includes(m))).toBe(false)
    expect(files(out).some((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('preVerifyJSAPI'))).toBe(true)
    expectNoTestingCode(out)
  })

  it("passes the app's own page tests, written against uni-chain-toolbar/testing (vitest, no uni compiler)", async () => {
    const args = [vitest, 'run', '--config', 'vitest.config.mts', '--reporter=verbose']
    const res = await runNode(args, { cwd: app, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
    const output = res.stdout + res.stderr
    expect(res.status, output).toBe(0)
    expect(output).toMatch(/Tests\s+6 passed \(6\)/)
  })

  it("type-checks the consumer's templates against the kit's component types", async () => {
    const typecheck = () => runNode([vueTsc, '--noEmit', '-p', join(app, 'tsconfig.json')], { cwd: app })
    const clean = await typecheck()
    expect(clean.stdout + clean.stderr).toBe('')
    expect(clean.status).toBe(0)
    // The types are really applied to the easycom tags: a wrong prop in a template is an error.
    const wrong = join(app, 'pages/custom/wrong-usage.vue')
    writeFileSync(wrong, '<template><chain-entry-gate :entries="42" /><chain-contact-card compact="yes" /></template>\n')
    try {
      const broken = await typecheck()
      expect(broken.status).not.toBe(0)
      expect(broken.stdout).toContain('wrong-usage.vue')
    } finally {
      rmSync(wrong)
    }
  })
})
