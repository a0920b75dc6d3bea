// What a user copies from the README and docs/ must run as written. The main.ts of "Use it in your app" is
// the consumer apps' main.ts (tests/consumer/*: built, type-checked and opened in Chromium by the consumer
// test), and here it runs in the mini program against the real server companion (uni-chain-toolbar/server, in
// its own Node process) over the fake WeCom server API: the session expires, wx.qy.login's code goes to the
// server, the session token it returns authorises resolveContact; a code the server refuses (HTTP 400) fails
// the login. Every other ts/js block, on whichever page it stands, must parse and use nothing it does not
// define; every link between the pages must land on a page and a heading that exist.
// Doubles only at the edges: the WeCom client (a scripted wx.qy), WeCom's server API (the fake), and
// uni.request as uni's runtime implements it (success for every HTTP answer, fail for a network error).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'
import { flushPromises } from '@vue/test-utils'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createFakeWeComApi, FAKE_DEFAULTS } from '../../server/testing/fake-wecom.mjs'
import { allDocBlocks, anchorsOf, docPages, docSection, linkTargets, readDoc } from '../support/docs'
import { createScriptedQy } from '../support/scripted-qy'
import { enterWeComBrowser, WECOM_UA } from '../support/scripted-bridge'
import { chainContactCardProps } from '../../components/chain-contact-card/types'
import { chainEntryGateProps } from '../../components/chain-entry-gate/types'
import { chainGroupCardProps } from '../../components/chain-group-card/types'
import { shareToChatButtonProps } from '../../components/share-to-chat-button/types'

const root = resolve(__dirname, '../..')
const scriptBlocks = allDocBlocks().filter((b) => ['ts', 'js'].includes(b.lang))
const where = (b: { page: string; line: number }) => `${b.page}:${b.line}`

describe('README and docs/ code blocks', () => {
  it("the main.ts of 'Use it in your app' is the consumer apps' main.ts, word for word", () => {
    const section = docSection('Use it in your app')
    expect(section.page).toBe('README.md')
    const mainTs = /```ts\n([\s\S]*?)```/.exec(section.text)![1]
    expect(mainTs).toBe(readFileSync(resolve(root, 'tests/consumer/app/main.ts'), 'utf8'))
  })

  it('the ts and js blocks are found on every page that has them', () => {
    // The pages that hold user code today; a block moved elsewhere is still found (allDocBlocks reads them all).
    const pages = new Set(scriptBlocks.map((b) => b.page))
    for (const page of ['README.md', 'docs/server.md', 'docs/reference.md', 'docs/simulator.md', 'docs/uni-modules.md']) {
      expect([...pages], page).toContain(page)
    }
    expect(scriptBlocks.length).toBeGreaterThanOrEqual(10)
  })

  it('every ts and js block parses', () => {
    for (const block of scriptBlocks) {
      const out = ts.transpileModule(block.code, {
        fileName: `block.${block.lang === 'ts' ? 'ts' : 'mjs'}`,
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      })
      const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      expect(errors, `${where(block)}:\n${block.code}`).toEqual([])
    }
  })

  it('no block uses a helper or a value it does not define', () => {
    // Names a snippet could lean on without defining: an `api` client, `fetchSignature`, and `corpId` /
    // `agentId` / `exchangeCode` as shorthand properties of variables that are not there.
    const undefinedUses = [/(?<![\w/.])api\.\w+\(/, /(?<![\w.])fetchSignature\b/, /\{\s*corpId,\s*agentId,/, /\{\s*exchangeCode\s*\}/]
    for (const block of scriptBlocks) {
      for (const use of undefinedUses) {
        const match = use.exec(block.code)
        if (match && !new RegExp(`(const|let|function)\\s+${match[0].replace(/\W.*$/, '')}\\b`).test(block.code)) {
          expect.fail(`"${match[0]}" is used but not defined in ${where(block)}:\n${block.code}`)
        }
      }
    }
  })

  it("the kit's tags in vue blocks are its components, with props they declare", () => {
    const props: Record<string, object> = {
      'chain-contact-card': chainContactCardProps,
      'chain-group-card': chainGroupCardProps,
      'chain-entry-gate': chainEntryGateProps,
      'share-to-chat-button': shareToChatButtonProps,
    }
    const vueBlocks = allDocBlocks().filter((b) => b.lang === 'vue')
    expect(vueBlocks.length).toBeGreaterThan(0)
    for (const block of vueBlocks) {
      for (const [, tag, attrs] of block.code.matchAll(/<((?:chain|share-to-chat)-[\w-]+)([^>]*)>/g)) {
        expect(Object.keys(props), `${where(block)}: <${tag}>`).toContain(tag)
        for (const [, attr] of attrs.matchAll(/(?:^|\s)(?:v-bind)?:?([a-z][\w-]*)(?==|\s|\/|$)/g)) {
          const prop = attr.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
          expect(Object.keys(props[tag]), `${where(block)}: <${tag} ${attr}>`).toContain(prop)
        }
      }
    }
  })
})

describe('README and docs/ pages', () => {
  it('the README is a guide of at most 350 lines', () => {
    expect(readDoc('README.md').split('\n').length).toBeLessThanOrEqual(350)
  })

  it('every relative link lands on a file of the repository, and on a heading of it when it names one', () => {
    for (const page of docPages()) {
      for (const target of linkTargets(readDoc(page))) {
        if (/^[a-z]+:/i.test(target)) continue
        const [path, anchor] = target.split('#')
        const file = path ? join(dirname(resolve(root, page)), path) : resolve(root, page)
        expect(existsSync(file), `${page} links to ${target}`).toBe(true)
        if (anchor && file.endsWith('.md')) expect([...anchorsOf(readFileSync(file, 'utf8'))], `${page} links to ${target}`).toContain(anchor)
      }
    }
  })
})

interface Sent {
  method: string
  path: string
  authorization?: string
}

/**
 * uni.request as uni's runtime behaves: success for every HTTP status, fail only when no answer came. On H5 the
 * browser adds the page's Origin.
 */
function uniRequestTo(base: string, sent: Sent[], origin?: string) {
  type Options = {
    url: string
    method?: string
    data?: Record<string, unknown>
    header?: Record<string, string>
    success?: (res: unknown) => void
    fail?: (err: unknown) => void
  }
  return (options: Options): Promise<unknown> | void => {
    // Without callbacks uni.request returns a promise of the same answer (resolved for every HTTP status).
    if (!options.success && !options.fail) {
      return new Promise((done, fail) => uniRequestTo(base, sent, origin)({ ...options, success: done, fail }))
    }
    const method = options.method ?? 'GET'
    const url = new URL(options.url.replace('https://api.example.com', base))
    let body: string | undefined
    if (method === 'GET') for (const [k, v] of Object.entries(options.data ?? {})) url.searchParams.set(k, String(v))
    else body = JSON.stringify(options.data ?? {})
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.header, ...(origin ? { origin } : {}) }
    const authorization = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1]
    sent.push({ method, path: url.pathname, authorization })
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => {
        let data: unknown = text
        try {
          data = JSON.parse(text)
        } catch {}
        options.success?.({ statusCode: res.statusCode, data, header: res.headers, errMsg: 'request:ok' })
      })
    })
    req.on('error', (error) => options.fail?.({ errMsg: `request:fail ${error.message}` }))
    req.end(body)
  }
}

/** The part of the fake WeCom server API (server/testing/fake-wecom.mjs, plain JS) this test uses. */
interface FakeWeCom {
  url: string
  corpId: string
  agentId: number
  secret: string
  state: { codes: Map<string, unknown>; oauthCodes: Map<string, unknown> }
  addCode(code: string, userId: string): void
  addOAuthCode(code: string, userId: string, corpId?: string): string
  close(): Promise<void>
}

/**
 * The server companion in its own Node process, over a fake WeCom server API, with the README's options; pages
 * on `https://app.example.com` and on the test page's origin may use it.
 */
function useCompanion() {
  const running = { fake: null as unknown as FakeWeCom, base: '' }
  let server: ChildProcess

  beforeAll(async () => {
    const fake = (running.fake = (await createFakeWeComApi()) as unknown as FakeWeCom)
    const script = `
      import { createServer } from 'node:http'
      import { createChainToolbarHandlers, toNodeHandler } from ${JSON.stringify(resolve(root, 'server/index.mjs'))}
      const handlers = createChainToolbarHandlers({
        corpId: process.env.CORP, agentId: Number(process.env.AGENT), secret: process.env.SECRET, apiBaseUrl: process.env.FAKE,
        sessionSecret: 'readme-main-ts-session-secret-32-bytes!', allowedOrigins: ['https://app.example.com', process.env.PAGE_ORIGIN],
        basePath: '/api',
      })
      const s = createServer(toNodeHandler(handlers)); s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port))`
    server = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        CORP: fake.corpId,
        AGENT: String(fake.agentId),
        SECRET: fake.secret,
        FAKE: fake.url,
        PAGE_ORIGIN: location.origin,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running.base = await new Promise<string>((done, fail) => {
      let out = ''
      const timer = setTimeout(() => fail(new Error(`the server did not start: ${out}`)), 10000)
      server.stdout!.on('data', (chunk) => {
        out += chunk
        const port = /port (\d+)/.exec(out)?.[1]
        if (port) {
          clearTimeout(timer)
          done(`http://127.0.0.1:${port}`)
        }
      })
      server.stderr!.on('data', (chunk) => (out += chunk))
    })
  })

  afterAll(async () => {
    server?.kill()
    await running.fake?.close()
  })
  return running
}

/** Mounts the README's main.ts app with a probe that reads the contact and the entry; waits until the card would settle. */
async function mountReadmeApp() {
  const { createApp } = await import('../consumer/app/main')
  const { useChainContact, useEntry } = await import('uni-chain-toolbar')
  const { defineComponent, h } = await import('vue')
  const { app } = createApp()
  let views: { contact: ReturnType<typeof useChainContact>; entry: ReturnType<typeof useEntry> } | undefined
  const probe = defineComponent({ setup: () => ((views = { contact: useChainContact(), entry: useEntry() }), () => h('div')) })
  app.component('ReadmeProbe', probe)
  ;(app._component as { render?: unknown }).render = () => h(app.component('ReadmeProbe')!)
  app.mount(document.createElement('div'))
  for (let i = 0; i < 200 && views!.contact.isLoading.value !== false; i++) await new Promise((r) => setTimeout(r, 25))
  for (let i = 0; i < 200 && !views!.contact.profile.value && !views!.contact.profileError.value && !views!.entry.error.value; i++) {
    await new Promise((r) => setTimeout(r, 25))
  }
  await flushPromises()
  return { app, views: views! }
}

describe.runIf(process.env.UNI_PLATFORM === 'mp-weixin')("README main.ts in the mini program, against the server companion", () => {
  const companion = useCompanion()

  /** Opens the app on a chain single chat with an expired session; WeCom knows the login's code when `codeKnown`. */
  async function openCards(codeKnown: boolean) {
    const sent: Sent[] = []
    const contact = { corpId: 'wwdownstream0001', userId: 'bob' }
    const scripted = createScriptedQy({ entry: 'chain_single_chat_tools', version: '4.1.22', contact })
    // The scripted client's first wx.qy.login gives 'code-1'. The session is valid once WeCom exchanged that
    // code (jscode2session, single use), not before.
    const code = 'code-1'
    const { fake, base } = companion
    fake.state.codes.delete(code)
    if (codeKnown) fake.addCode(code, 'erin')
    Object.defineProperty(scripted.state, 'sessionValid', { get: () => codeKnown && !fake.state.codes.has(code) })
    vi.stubGlobal('wx', { qy: scripted.qy })
    vi.stubGlobal('uni', { request: uniRequestTo(base, sent) })
    vi.resetModules()
    return { ...(await mountReadmeApp()), sent, scripted }
  }

  it('exchanges the login code, keeps the session token, and resolveContact is authorised by it', async () => {
    const { app, views, sent } = await openCards(true)
    try {
      expect(views.entry.error.value).toBeNull()
      expect(views.contact.contact.value).toEqual({ corpId: 'wwdownstream0001', userId: 'bob' })
      expect(views.contact.profileError.value).toBeNull()
      expect(views.contact.profile.value).toMatchObject({ name: '王小明' })
      const session = sent.find((s) => s.path === '/api/wecom/session')
      const profile = sent.find((s) => s.path === '/api/chain/wwdownstream0001/bob')
      expect(session?.method).toBe('POST')
      expect(profile?.authorization).toMatch(/^Bearer .+/)
    } finally {
      app.unmount()
    }
  })

  it('a code the server refuses (HTTP 400) fails the login: LOGIN_FAILED, and nothing is read as that user', async () => {
    const { app, views, sent } = await openCards(false)
    try {
      expect(views.entry.error.value?.code).toBe('LOGIN_FAILED')
      expect(views.contact.contact.value).toBeNull()
      expect(sent.map((s) => s.path)).not.toContain('/api/chain/wwdownstream0001/bob')
    } finally {
      app.unmount()
    }
  })
})

describe.runIf(process.env.UNI_PLATFORM === 'h5')('README main.ts on H5 in the WeCom browser, against the server companion', () => {
  const companion = useCompanion()
  const startUrl = location.href
  const ordinaryUA = navigator.userAgent

  afterEach(() => {
    Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
    delete (window as any).WeixinJSBridge
    history.replaceState(null, '', startUrl)
    sessionStorage.clear()
  })

  /**
   * Opens the app as the toolbar does through WeCom's OAuth URL (`?code=…&state=…`, the state the app's admin
   * configured) on a chain single chat; WeCom knows the code when `codeKnown`. The client checks the agentConfig
   * signature with the app ticket, over the page URL at that moment.
   */
  async function openCards(codeKnown: boolean) {
    const { fake, base } = companion
    const sent: Sent[] = []
    const code = `oauth-${Math.random().toString(36).slice(2)}`
    if (codeKnown) fake.addOAuthCode(code, 'erin')
    history.replaceState(null, '', `/pages/cards/cards?code=${code}&state=toolbar`)
    const bridge = enterWeComBrowser(WECOM_UA, {
      entry: 'chain_single_chat_tools',
      contact: { corpId: 'wwdownstream0001', userId: 'bob' },
      ticket: FAKE_DEFAULTS.ticket,
    })
    vi.stubGlobal('uni', { request: uniRequestTo(base, sent, location.origin) })
    vi.resetModules()
    return { ...(await mountReadmeApp()), sent, bridge }
  }

  it("shows the contact's name: the OAuth code goes to the server, whose session token authorises resolveContact", async () => {
    const { app, views, sent, bridge } = await openCards(true)
    try {
      expect(views.entry.error.value).toBeNull()
      expect(views.contact.contact.value).toEqual({ corpId: 'wwdownstream0001', userId: 'bob' })
      expect(views.contact.profileError.value).toBeNull()
      expect(views.contact.profile.value).toMatchObject({ name: '王小明' })
      expect(sent.find((s) => s.path === '/api/wecom/oauth-session')?.method).toBe('POST')
      expect(sent.find((s) => s.path === '/api/chain/wwdownstream0001/bob')?.authorization).toMatch(/^Bearer .+/)
      // The code left the URL before agentConfig, and WeCom accepted the signature the server made for it.
      expect(location.search).toBe('')
      expect(bridge.count('agentConfig')).toBe(1)
    } finally {
      app.unmount()
    }
  })

  it("a code the server refuses fails the login with the server's error code in the message, and no redirect follows", async () => {
    const { app, views, sent } = await openCards(false)
    try {
      expect(views.entry.error.value?.code).toBe('LOGIN_FAILED')
      expect(views.entry.error.value?.message).toContain('INVALID_CODE')
      expect(views.contact.contact.value).toBeNull()
      expect(sent.map((s) => s.path)).not.toContain('/api/chain/wwdownstream0001/bob')
      expect(location.href).toBe(new URL('/pages/cards/cards', startUrl).href)
    } finally {
      app.unmount()
    }
  })
})
