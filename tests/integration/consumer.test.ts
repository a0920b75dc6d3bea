// The kit as other uni-app projects meet it: the packed npm tarball, and the uni_modules copy, in fresh
// consumer apps built for h5 and mp-weixin by the real uni compiler, then type-checked — in both layouts
// uni supports: the repository root as input folder (tests/consumer/app, the kit's own layout) and the
// standard src/ layout that the official Vite template (uni-preset-vue) creates (tests/consumer/src-app:
// src/pages.json, src/manifest.json, index.html at the root; its main.ts and pages are the root app's, copied in),
// and a JavaScript app (tests/consumer/js-app: the template's JavaScript flavour, with no TypeScript to load).
// The production H5 build of each is served by a plain static server (serve-static's defaults, as
// express.static: dotfiles hidden) and opened in real Chromium inside a simulated WeCom browser: a
// wxwork/ user agent and a WeixinJSBridge scripted by the test, with no simulator in the build, so the
// contact card can only render through the real @wecom/jssdk loaded from the app's lazy chunk, with the profile's
// picture (from another loopback server) in uni's own <image>, and nothing in the console.
// uni's dev server for H5 (`npm run dev:h5`, Vite with its dependency pre-bundling) is opened the same way for
// each layout and form: the page must work in dev too.
// Offline: the consumer sits in dist/consumer/<layout>-<form>/, so Node resolves its other dependencies
// from the packages `npm ci` already installed at the root; the kit itself comes only from the tarball
// (extracted into the consumer's node_modules, as npm would) or from the uni_modules folder.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, join, posix, relative, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, listenOnLoopback, type LaunchedChromium, type StaticSite } from '../support/browser'
import { installPageBridge, type PageBridgeCall } from '../support/page-bridge'
import { runNode, serveBuild, startUniDev, uniBuild } from '../support/uni-cli'

const root = resolve(__dirname, '../..')
const vueTsc = join(root, 'node_modules/vue-tsc/bin/vue-tsc.js')
const work = join(root, 'dist/consumer')
// String literals of @wecom/jssdk that survive minification (not WeixinJSBridgeReady: the simulator dispatches it).
const SDK_MARKERS = ['preVerifyJSAPI', 'Missing getAgentConfigSignature', 'CLProximityImmediate']
const hasSdk = (code: string) => SDK_MARKERS.some((marker) => code.includes(marker))
// Text of uni-chain-toolbar/testing that survives minification: it must never reach a production bundle.
const TESTING_MARKERS = ['[uni-chain-toolbar/testing]', 'needs @wecom/jssdk installed in the project']
const vitest = join(root, 'node_modules/vitest/vitest.mjs')
const COMPONENTS = ['chain-contact-card', 'chain-group-card', 'share-to-chat-button', 'chain-entry-gate']
const WECOM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh'

/**
 * The two layouts uni supports. `inputDir` holds pages.json and manifest.json; `page` shows the cards.
 * `fromRoot`: the app's own code, the same in both (the root app's files, copied to where this layout has them).
 */
const LAYOUTS = {
  root: { template: 'tests/consumer/app', inputDir: '.', page: 'pages/cards/cards', fromRoot: {} },
  src: {
    template: 'tests/consumer/src-app',
    inputDir: 'src',
    page: 'pages/index/index',
    fromRoot: { 'main.ts': 'src/main.ts', 'pages/cards/cards.vue': 'src/pages/index/index.vue', 'pages/custom': 'src/pages/custom' },
  },
  // uni-preset-vue's default template and HBuilderX's default project: JavaScript, no TypeScript installed.
  js: { template: 'tests/consumer/js-app', inputDir: 'src', page: 'pages/index/index', fromRoot: {} },
} as const
type Layout = keyof typeof LAYOUTS
type Form = 'npm' | 'uni_modules'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? files(full) : [full]
  })
}

/**
 * The JavaScript app lives outside the repository, with its own node_modules: the root's packages (hard
 * links, so no copy of the bytes) without TypeScript, which Node would otherwise find in the root's.
 */
function jsAppFolder(): string {
  const app = mkdtempSync(join(tmpdir(), 'uct-consumer-js-'))
  execFileSync('cp', ['-al', join(root, 'node_modules'), join(app, 'node_modules')])
  for (const dir of ['typescript', 'vue-tsc', '@volar/typescript/lib/typescript']) rmSync(join(app, 'node_modules', dir), { recursive: true, force: true })
  return app
}

function createConsumer(layout: Layout, form: Form, tarball: string): string {
  const app = layout === 'js' ? jsAppFolder() : join(work, `${layout}-${form}`)
  const input = join(app, LAYOUTS[layout].inputDir)
  if (layout !== 'js') rmSync(app, { recursive: true, force: true })
  cpSync(join(root, LAYOUTS[layout].template), app, { recursive: true })
  for (const [from, to] of Object.entries(LAYOUTS[layout].fromRoot))
    cpSync(join(root, LAYOUTS.root.template, from), join(app, to), { recursive: true })
  if (form === 'npm') {
    const into = join(app, 'node_modules/uni-chain-toolbar')
    mkdirSync(into, { recursive: true })
    execFileSync('tar', ['-xzf', tarball, '-C', into, '--strip-components=1'])
  } else {
    // HBuilderX users drop the folder into uni_modules/ (beside pages.json): no easycom rule, imports from '@/uni_modules/…'.
    cpSync(join(root, 'dist/uni_modules/uni-chain-toolbar'), join(input, 'uni_modules/uni-chain-toolbar'), { recursive: true })
    const pagesJson = JSON.parse(readFileSync(join(input, 'pages.json'), 'utf8'))
    delete pagesJson.easycom
    writeFileSync(join(input, 'pages.json'), JSON.stringify(pagesJson, null, 2))
    for (const file of files(app).filter((f) => !f.includes('node_modules') && /\.(ts|vue)$/.test(f))) {
      const code = readFileSync(file, 'utf8')
      writeFileSync(file, code.replace(/from 'uni-chain-toolbar(\/simulator|\/testing)?'/g, "from '@/uni_modules/uni-chain-toolbar$1'"))
    }
    const pkgFile = join(app, 'package.json')
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'))
    delete pkg.dependencies['uni-chain-toolbar']
    pkg.dependencies['@wecom/jssdk'] = '2.4.4' // the uni_modules readme's install step
    writeFileSync(pkgFile, JSON.stringify(pkg, null, 2))
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
 * Opens `url` in Chromium as the WeCom browser: a wxwork/ user agent and the test's scripted WeixinJSBridge
 * before the page's scripts (no simulator), the app's server answered by the test. The chain contact card
 * must show the contact the bridge gives, with the profile the app's server returns for it.
 */
async function showsContactCardInWeCom(url: string, timeout = 15000): Promise<{ scriptsLoaded: string[] }> {
  chromium ??= await launchChromium()
  const context = await chromium.browser.newContext({ userAgent: WECOM_UA, viewport: { width: 360, height: 780 }, locale: 'zh-CN' })
  try {
    const page: Page = await context.newPage()
    const errors: string[] = []
    let erred: () => void = () => {}
    const firstError = new Promise<void>((done) => (erred = done))
    const error = (message: string) => {
      errors.push(message)
      erred()
    }
    const scriptsLoaded: string[] = []
    const asked: string[] = []
    const signed: string[] = []
    page.on('pageerror', (thrown) => error(thrown.message))
    // What a developer sees in the console: an error the app's own scripts log (Vue logs what a component's setup throws).
    // Vue's warnings too (in dev: `Failed to resolve component`, …): a page that works prints nothing.
    page.on('console', (message) => {
      if ((message.type() !== 'error' && message.type() !== 'warning') || !message.location().url.startsWith(url)) return
      // uni statistics (uni-stat, on in uni's dev server) reports to DCloud's servers, which this offline machine
      // cannot reach; its warning is uni's, not the app's or the kit's.
      if (message.location().url.includes('/@dcloudio/uni-stat/')) return
      error(`console ${message.type()}: ${message.text().split('\n').slice(0, 2).join(' ')}`)
    })
    // Offline, uni's own extras (the navigation bar shadow and, in dev, uni statistics on DCloud's servers)
    // fail to load: only the app's own files count. A load the page's own navigation cut off (ERR_ABORTED: the
    // kit, started at install, sends the page to WeCom's OAuth while uni still loads the first page) is not
    // a failure a user sees: the page loads again when WeCom sends it back.
    page.on('requestfailed', (request) => {
      if (!request.url().startsWith(url) || request.failure()?.errorText === 'net::ERR_ABORTED') return
      error(`${request.url()}: ${request.failure()?.errorText}`)
    })
    page.on('response', (response) => {
      if (!response.url().startsWith(url)) return
      if (response.status() >= 400) error(`${response.url()}: HTTP ${response.status()}`)
      else if (/\.[jt]s(\?|$)/.test(response.url())) scriptsLoaded.push(new URL(response.url()).pathname)
    })
    // WeCom's OAuth endpoint (docs/wecom-host.md §5): back to redirect_uri with a one-use code and the state sent.
    const codes = new Set<string>()
    const authorized: URL[] = []
    await page.route('https://open.weixin.qq.com/**', (route) => {
      const authorize = new URL(route.request().url())
      authorized.push(authorize)
      const code = `consumer-code-${authorized.length}`
      codes.add(code)
      const back = new URL(authorize.searchParams.get('redirect_uri')!)
      back.searchParams.set('code', code)
      back.searchParams.set('state', authorize.searchParams.get('state')!)
      return route.fulfill({ status: 302, headers: { location: back.href } })
    })
    // The app's server (the consumer's main.ts asks https://api.example.com/api): a signature, the OAuth code
    // exchange (one use) and the contact's profile, for a signed-in member only (as the server companion answers).
    await page.route('https://api.example.com/**', (route) => {
      const asking = new URL(route.request().url())
      asked.push(asking.pathname)
      const headers = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }
      if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers })
      if (asking.pathname === '/api/wecom/agent-signature') {
        signed.push(asking.searchParams.get('url') ?? '')
        return route.fulfill({ headers, json: { timestamp: 1717171717, nonceStr: 'consumer-nonce', signature: 'consumer-signature' } })
      }
      if (asking.pathname === '/api/wecom/oauth-session') {
        const code = (route.request().postDataJSON() as { code?: string } | null)?.code ?? ''
        if (!codes.delete(code)) return route.fulfill({ status: 400, headers, json: { error: { code: 'INVALID_CODE', message: 'used' } } })
        return route.fulfill({ headers, json: { token: `token-for-${code}`, expiresIn: 7200, corpId: 'ww0000000000000000', userId: 'erin' } })
      }
      if (asking.pathname === '/api/chain/wwdownstream01/lisi') {
        if (!/^Bearer token-for-consumer-code-\d+$/.test(route.request().headers()['authorization'] ?? '')) {
          return route.fulfill({ status: 401, headers, json: { error: { code: 'SESSION_INVALID', message: 'Send Authorization' } } })
        }
        return route.fulfill({ headers, json: { name: '李四', corpName: '下游五金有限公司', avatar: `${pictures.url}/lisi.png` } })
      }
      return route.fulfill({ status: 404, headers, json: {} })
    })
    await page.addInitScript(installPageBridge, { entry: 'chain_single_chat_tools', contact: { corpId: 'wwdownstream01', userId: 'lisi' } })
    await page.goto(`${url}/`)

    // What the user ends up seeing: the card (loaded, or its error), the page's "open from a chain chat" fallback,
    // or the entry gate saying why the entry could not be read (when the SDK cannot load, getContext fails).
    const card = page.locator('.uct-contact-card')
    const settled = page
      .locator('.uct-contact-card.uct-card--loaded, .uct-contact-card.uct-card--error, .uct-gate--error')
      .or(page.getByText('请从上下游会话的工具栏打开本页'))
    const shows = async () => `"${(await page.locator('body').innerText()).replace(/\s+/g, ' ')}"; errors: ${errors.join(' | ') || 'none'}`
    // Settled, or the first error (it would fail the test at the end anyway; waiting on would only hide it).
    await Promise.race([settled.first().waitFor({ timeout }), firstError]).catch(async (timedOut) => {
      throw new Error(`${(timedOut as Error).message}\nThe page shows ${await shows()}`)
    })
    const shown = await shows()
    expect(await card.count(), `no contact card; the page shows ${shown}`).toBe(1)
    expect(await card.getAttribute('class'), `the page shows ${shown}`).toContain('uct-card--loaded')
    await page.locator('.uct-contact-card .uct-card__title', { hasText: '李四' }).waitFor()
    expect(await card.innerText()).toContain('下游五金有限公司')
    // The profile's picture, through uni's <image> (an element Vue resolved): loaded and on screen.
    const picture = () =>
      card.locator('.uct-avatar').evaluate((avatar) => {
        const img = avatar.querySelector('uni-image img') as HTMLImageElement | null
        return { src: img?.getAttribute('src') ?? null, loaded: (img?.naturalWidth ?? 0) > 0, width: avatar.querySelector('uni-image')?.getBoundingClientRect().width ?? 0 }
      })
    await expect.poll(picture, { timeout: 10000 }).toEqual({ src: `${pictures.url}/lisi.png`, loaded: true, width: 40 })
    const unresolved = await page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.localName).filter((n) => n.startsWith('v-uni-')))])
    expect(unresolved, 'elements Vue could not resolve').toEqual([])

    const calls = (await page.evaluate(() => (window as any).__uctBridge.calls)) as PageBridgeCall[]
    expect(calls.map((c) => c.name)).toEqual(expect.arrayContaining(['agentConfig', 'getContext', 'getCurCorpGroupContact']))
    expect(calls.find((c) => c.name === 'agentConfig')?.params).toMatchObject({ corpid: 'ww0000000000000000', agentid: '1000002' })
    expect(asked).toContain('/api/chain/wwdownstream01/lisi')
    // One OAuth round trip with a random state; the code was exchanged once and left the URL before agentConfig signed it.
    expect(authorized).toHaveLength(1)
    expect(authorized[0].searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/)
    expect(asked.filter((path) => path === '/api/wecom/oauth-session')).toHaveLength(1)
    const shownUrl = await page.evaluate(() => location.href)
    expect(shownUrl).not.toMatch(/[?&](code|state)=/)
    expect(signed.length).toBeGreaterThan(0)
    for (const url of signed) expect(url).toBe(shownUrl.split('#')[0])
    expect(errors).toEqual([])
    return { scriptsLoaded }
  } finally {
    await context.close()
  }
}

/**
 * Opens `url` in Chromium as the WeCom browser whose member's OAuth code the app's server refuses (400
 * INVALID_CODE). The page must go to WeCom's OAuth once, come back, and stay: no second redirect, no code or
 * state left in the URL, no page error. Returns what the page shows.
 */
async function refusedCodeDoesNotLoop(url: string): Promise<string> {
  chromium ??= await launchChromium()
  const context = await chromium.browser.newContext({ userAgent: WECOM_UA, viewport: { width: 360, height: 780 }, locale: 'zh-CN' })
  try {
    const page: Page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (thrown) => errors.push(thrown.message))
    const authorized: string[] = []
    const exchanged: string[] = []
    await page.route('https://open.weixin.qq.com/**', (route) => {
      const authorize = new URL(route.request().url())
      authorized.push(authorize.href)
      const back = new URL(authorize.searchParams.get('redirect_uri')!)
      back.searchParams.set('code', `refused-code-${authorized.length}`)
      back.searchParams.set('state', authorize.searchParams.get('state')!)
      return route.fulfill({ status: 302, headers: { location: back.href } })
    })
    await page.route('https://api.example.com/**', (route) => {
      const asking = new URL(route.request().url())
      const headers = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }
      if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers })
      if (asking.pathname === '/api/wecom/agent-signature') {
        return route.fulfill({ headers, json: { timestamp: 1717171717, nonceStr: 'consumer-nonce', signature: 'consumer-signature' } })
      }
      if (asking.pathname === '/api/wecom/oauth-session') {
        exchanged.push((route.request().postDataJSON() as { code?: string } | null)?.code ?? '')
        return route.fulfill({ status: 400, headers, json: { error: { code: 'INVALID_CODE', message: 'The code is invalid, used or expired' } } })
      }
      return route.fulfill({ status: 401, headers, json: { error: { code: 'SESSION_INVALID', message: 'Send Authorization' } } })
    })
    await page.addInitScript(installPageBridge, { entry: 'chain_single_chat_tools', contact: { corpId: 'wwdownstream01', userId: 'lisi' } })
    await page.goto(`${url}/`)
    await page.waitForFunction(() => !/[?&]code=/.test(location.search) && document.body.innerText.trim() !== '', undefined, { timeout: 15000 })
    // Long enough for a loop to show itself (each round trip here takes a few ms).
    await page.waitForTimeout(3000)
    expect(authorized).toHaveLength(1)
    expect(exchanged).toEqual(['refused-code-1'])
    expect(await page.evaluate(() => location.search)).toBe('')
    // A reload in the same tab: the spent code is remembered, no new redirect.
    await page.reload()
    await page.waitForTimeout(2000)
    expect(authorized).toHaveLength(1)
    expect(exchanged).toHaveLength(1)
    expect(errors).toEqual([])
    return (await page.locator('body').innerText()).replace(/\s+/g, ' ')
  } finally {
    await context.close()
  }
}

let tarball = ''
let chromium: LaunchedChromium | undefined
/** The contact's picture, from another server on 127.0.0.1 (as an app's profile service or CDN would serve it). */
let pictures: StaticSite
beforeAll(async () => {
  const png = readFileSync(join(root, 'static/avatars/zhangwei.png'))
  pictures = await listenOnLoopback(
    createServer((req, res) => {
      if (req.url !== '/lisi.png') return res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png)
    }),
  )
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: root, encoding: 'utf8' })
  tarball = join(work, JSON.parse(packed)[0].filename)
  execFileSync(process.execPath, [join(root, 'scripts/build-uni-modules.cjs')], { cwd: root })
})

afterAll(async () => {
  await chromium?.close()
  await pictures?.close()
})

describe('the npm tarball', () => {
  it('ships what a consumer needs and nothing of the demo or the tests', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean)
    expect(listed).toContain('package/index.ts')
    expect(listed).toContain('package/types/wx-qy.d.ts')
    expect(listed).toContain('package/CHANGELOG.md')
    for (const name of COMPONENTS) expect(listed).toContain(`package/components/${name}/${name}.vue`)
    expect(listed.some((f) => /\.test\.ts$/.test(f))).toBe(false)
    expect(listed.some((f) => /^package\/(pages|tests|bench|static)\//.test(f) || f === 'package/main.ts' || f === 'package/App.vue')).toBe(
      false,
    )
  })
})

describe('the uni_modules folder', () => {
  const folder = join(root, 'dist/uni_modules/uni-chain-toolbar')
  it('is complete: the kit, its components and the simulator', () => {
    for (const file of ['index.ts', 'package.json', 'readme.md', 'changelog.md', 'simulator/index.ts', 'src/store.ts']) {
      expect(existsSync(join(folder, file)), file).toBe(true)
    }
    for (const name of COMPONENTS) expect(existsSync(join(folder, `components/${name}/${name}.vue`)), name).toBe(true)
  })

  it('has a readme for plugin-market users: no repository scripts, no image that is not in the folder', () => {
    const readme = readFileSync(join(folder, 'readme.md'), 'utf8')
    expect(readme).not.toMatch(/npm (run |test)|scripts\/|tests\//)
    for (const [, src] of readme.matchAll(/(?:!\[[^\]]*\]\(|<img[^>]+src=")([^)"]+)/g)) {
      expect(/^https?:/.test(src) || existsSync(join(folder, src)), src).toBe(true)
    }
    expect(readme).toContain("from '@/uni_modules/uni-chain-toolbar/simulator'")
  })
})

const CASES = [
  ['root', 'npm'],
  ['root', 'uni_modules'],
  ['src', 'npm'],
  ['src', 'uni_modules'],
  ['js', 'npm'],
] as const

describe.each(CASES)('a consumer app in the %s layout using the %s form', (layout, form) => {
  let app = ''
  let h5 = ''
  beforeAll(() => {
    app = createConsumer(layout, form, tarball)
  })
  afterAll(() => {
    if (layout === 'js' && app) rmSync(app, { recursive: true, force: true })
  })

  it('builds for the mini program, registers the kit components, and has no SDK code', async () => {
    const out = await uniBuild(app, layout, 'mp-weixin')
    const page = LAYOUTS[layout].page
    const pageJson = JSON.parse(readFileSync(join(out, `${page}.json`), 'utf8'))
    for (const name of COMPONENTS) {
      expect(pageJson.usingComponents?.[name], `${name} in ${page}.json`).toBeTruthy()
      const path = pageJson.usingComponents[name] as string // relative to the page, or absolute from the root
      const wxml = path.startsWith('/') ? join(out, `${path}.wxml`) : join(out, posix.dirname(page), `${path}.wxml`)
      expect(existsSync(wxml), wxml).toBe(true)
    }
    for (const file of files(out).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(file, 'utf8')
      for (const marker of SDK_MARKERS) expect(code.includes(marker), `${marker} in ${file}`).toBe(false)
    }
    expect(files(out).some((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('getCurCorpGroupContact'))).toBe(true)
    expectNoTestingCode(out)
  }, 300000)

  it('builds for H5 with the SDK only in a lazy chunk that a browser can load from any static server', async () => {
    h5 = await uniBuild(app, layout, 'h5')
    const html = readFileSync(join(h5, 'index.html'), 'utf8')
    const entry = /<script[^>]+src="\/?([^"]+\.js)"/.exec(html)![1]
    expect(hasSdk(readFileSync(join(h5, entry), 'utf8'))).toBe(false)
    const scripts = files(h5).filter((f) => f.endsWith('.js'))
    const sdkChunks = scripts.filter((f) => hasSdk(readFileSync(f, 'utf8')))
    expect(sdkChunks.length).toBe(1)
    const chunk = sdkChunks[0]
    // Static servers hide dotfiles by default (express.static, nginx rules): no path segment may start with a dot.
    for (const segment of relative(h5, chunk).split(/[\\/]/)) {
      expect(segment.startsWith('.'), `${relative(h5, chunk)}: a hidden file`).toBe(false)
    }
    // The chunk is imported dynamically, by a specifier the browser resolves (relative or absolute URL, not bare).
    const dynamicImport = /\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g
    const specifiers = scripts.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(dynamicImport)].map((m) => m[1]))
    const toChunk = specifiers.filter((s) => s.endsWith(basename(chunk)))
    expect(toChunk.length, `import("…${basename(chunk)}") in the built scripts`).toBeGreaterThan(0)
    for (const specifier of toChunk) expect(specifier, 'a resolvable import specifier').toMatch(/^(\.\.?\/|\/|https?:\/\/)/)
    expectNoTestingCode(h5)
  }, 300000)

  // On the README's vitest config for the layout (tests/unit/readme-testing.test.ts holds them equal); the src/
  // layout's tests import its pages as `@/…`.
  it.runIf(layout !== 'js')(
    "passes the app's own page tests, written against uni-chain-toolbar/testing (vitest, no uni compiler)",
    async () => {
      const args = [vitest, 'run', '--config', 'vitest.config.mts', '--reporter=verbose']
      const res = await runNode(args, app, { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' })
      const output = res.stdout + res.stderr
      expect(res.status, output).toBe(0)
      const count = layout === 'root' ? 7 : 2
      expect(output).toMatch(new RegExp(`Tests\\s+${count} passed \\(${count}\\)`))
    },
  )

  it('shows the chain contact card in the production H5 build inside WeCom, through the real SDK from its lazy chunk', async () => {
    expect(existsSync(join(h5, 'index.html')), 'the H5 build of the previous test').toBe(true)
    const site = await serveBuild(h5)
    try {
      const { scriptsLoaded } = await showsContactCardInWeCom(site.url)
      const sdkChunk = files(h5).find((f) => f.endsWith('.js') && hasSdk(readFileSync(f, 'utf8')))!
      expect(scriptsLoaded).toContain(`/${relative(h5, sdkChunk).split(/[\\/]/).join('/')}`)
    } finally {
      await site.close()
    }
  })

  it.runIf(layout === 'root' && form === 'npm')(
    'the production H5 build inside WeCom: a code the server refuses ends the OAuth round trips (one redirect, none after a reload)',
    async () => {
      expect(existsSync(join(h5, 'index.html')), 'the H5 build of an earlier test').toBe(true)
      const site = await serveBuild(h5)
      try {
        await refusedCodeDoesNotLoop(site.url)
      } finally {
        await site.close()
      }
    },
  )

  // Every layout and form: the npm form is where Vite's pre-bundling can split the kit; the uni_modules form
  // is the app's own source, and each layout has its own input folder for the dev server.
  it(
    "shows the chain contact card in uni's dev server for H5 (npm run dev:h5) inside WeCom, with no console error",
    async () => {
      const dev = await startUniDev(app, layout)
      try {
        await showsContactCardInWeCom(dev.url, 90000)
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- uni's dev server said:\n${dev.output()}`)
      } finally {
        await dev.stop()
      }
    },
    180000,
  )

  it.runIf(layout === 'js')('has no TypeScript to load (a JavaScript project)', () => {
    expect(() => createRequire(join(app, 'package.json')).resolve('typescript'), 'typescript resolves from the app').toThrow(/Cannot find module/)
  })

  it.skipIf(layout === 'js')("type-checks the consumer's code and templates against the kit's types: only a wrong usage is an error", async () => {
    // One vue-tsc run: the app's own files must be clean, and a page with wrong props on the easycom tags
    // must fail (so the kit's component types are really applied to the templates).
    const wrong = join(app, LAYOUTS[layout].inputDir, 'pages/custom/wrong-usage.vue')
    writeFileSync(wrong, '<template><chain-entry-gate :entries="42" /><chain-contact-card compact="yes" /></template>\n')
    try {
      const res = await runNode([vueTsc, '--noEmit', '-p', join(app, 'tsconfig.json')], app)
      expect(res.status).not.toBe(0)
      const errors = (res.stdout + res.stderr).split('\n').filter((line) => /error TS\d+/.test(line))
      expect(errors.length, res.stdout + res.stderr).toBeGreaterThanOrEqual(2)
      for (const line of errors) expect(line, 'a type error outside the wrong usage').toMatch(/wrong-usage\.vue/)
    } finally {
      rmSync(wrong)
    }
  })
})
