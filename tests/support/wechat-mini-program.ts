// Runs a page of an unchanged uni mp-weixin build on WeChat's own custom-component test tool,
// miniprogram-simulate: j-component on the real miniprogram-exparser (the component framework of the
// WeChat base library), with the build's WXML compiled by the official wcc from miniprogram-compiler.
// Needs a DOM (the test file runs under happy-dom).
//
// Doubles only at the outermost edge: `wx.qy` is the kit's simulated WeCom client; App, getApp,
// getCurrentPages and Page are the few app-level globals the tool does not provide, and
// wx.onAppShow / wx.onAppHide really fire (the tool's own are no-ops). Everything else of `wx` is the
// tool's mock. One correction of the tool, see `honourBranchKeys`.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve, sep } from 'node:path'
import { createSimulatedClient, type SimulatedClient, type SimulatedClientOptions, type SimulatorScenario } from '../../simulator/index'

const require = createRequire(import.meta.url)

type Listener = (options?: unknown) => void
type Options = Record<string, any>

/** The j-component root of a rendered page (`toJSON()`, `dom`, `instance`, `querySelector`, …). */
export interface RenderedRoot {
  dom: HTMLElement
  instance: Options
  toJSON(): JsonNode
  attach(parent: Element): void
  detach(): void
  triggerPageLifeTime(name: string, ...args: unknown[]): void
}

/** A node of the rendered tree as the tool serialises it: tag, attributes as set by the template, children. */
export interface JsonNode {
  tagName: string
  attrs: Array<{ name: string; value: unknown }>
  event: Record<string, unknown>
  children: Array<JsonNode | string>
}

export interface MiniProgramPage {
  /** The simulated WeCom client behind `wx.qy` (none in a launch `inWeCom: false`): its scenario and the log of every call it received. */
  client: SimulatedClient
  root: RenderedRoot
  /** The page's rendered DOM (attached to the document, so the built wxss applies to it). */
  dom: HTMLElement
  /** The DOM of the page's element with this `data-testid`. */
  element(testid: string): HTMLElement
  /** Its text as a user sees it (slots included, hidden elements not), whitespace collapsed. */
  text(testid: string): string
  /** Its subtree as the tool serialises it (`toJSON()`), with the attributes the template set. */
  json(testid: string): JsonNode
  /** The WeCom client sends the app to the background: page onHide, App.onHide, wx.onAppHide listeners. */
  hideApp(): void
  /** …and brings it back: App.onShow, wx.onAppShow listeners, page onShow. */
  showApp(): void
  /** A finger on `element`: touchstart and touchend, from which the framework makes the `tap`. */
  tap(element: Element): Promise<void>
  /** The framework's event `name` on `element`, as WeChat's built-ins send it (an `<image>` whose picture did not load: `error`). */
  fire(element: Element, name: string, detail?: object): Promise<void>
  close(): void
}

export interface LaunchOptions {
  /** The build's folder, e.g. dist/build/mp-weixin. */
  dist: string
  /** The page to render, e.g. pages/fixture/fixture. */
  page: string
  /** The simulated client's scenario (entry, contact, failures, latency, …). */
  scenario?: Partial<SimulatorScenario>
  /** false: a WeChat without WeCom (DevTools): `wx` has no `qy`. Default true. */
  inWeCom?: boolean
  /** The system theme: what `prefers-color-scheme` matches and what `wx` reports. Default light. */
  theme?: 'light' | 'dark'
  /** The simulated client's options (which media ids WeCom issued, say). */
  client?: SimulatedClientOptions
  /**
   * More of WeChat's `wx` at the edge (its network and file pickers, tests/support/wechat-network.ts): what to
   * add or replace, or a function of `wx` as made that returns it (to wrap `qy`, say).
   */
  wx?: Record<string, unknown> | ((wx: Options) => Options)
}

let simulate: Options | null = null
let toolWx: Options = {}

function tool(): Options {
  if (!simulate) {
    // First: it installs Component, Behavior and its mock `wx` as globals.
    simulate = require('miniprogram-simulate') as Options
    toolWx = (globalThis as any).wx
    honourBranchKeys(require('j-component'))
  }
  return simulate
}

/**
 * wcc gives each branch of a `wx:if` / `wx:elif` / `wx:else` a branch key (`wxVkey`), and WeChat's
 * renderer replaces a branch when the key changes. j-component's diff ignores it and patches the old
 * branch into the new one, which keeps a `<slot>` under its old name (a card switching from its
 * `loading` slot to its default slot would keep showing the loading content). Passing the branch key
 * as the node key makes the diff replace the branch, as WeChat does.
 */
function honourBranchKeys(jComponent: Options) {
  const register = jComponent.register
  const keyBranches = (node: any): any => {
    if (node && typeof node === 'object') {
      const isIf = node.wxXCkey === 1 || node.wxXCkey === 3
      if (isIf && node.wxVkey !== undefined && node.wxKey == null) node.wxKey = `wx:if#${node.wxVkey}`
      if (Array.isArray(node.children)) node.children.forEach(keyBranches)
    }
    return node
  }
  jComponent.register = (definition: Options) => {
    if (typeof definition.template === 'function') {
      const generate = definition.template
      definition.template = (data: unknown) => keyBranches(generate(data))
    }
    return register(definition)
  }
}

/** Forgets every module of the build, so the next launch starts a new app (new store, new host). */
function unloadBuild(dist: string) {
  for (const file of Object.keys(require.cache)) if (file.startsWith(dist + sep)) delete require.cache[file]
}

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

/** The text a user sees under `node`: none of an element the page hides (`display: none`). */
function shownText(node: Node): string {
  if (node.nodeType === node.TEXT_NODE) return node.textContent ?? ''
  if ((node as HTMLElement).style?.display === 'none') return ''
  return [...node.childNodes].map(shownText).join('')
}

/**
 * Starts the built app (app.js → uni's createApp → App(), then onLaunch and onShow, as WeChat does)
 * with `wx.qy` from a simulated WeCom client, and renders `page` attached to the document.
 */
export function launchPage({ dist: distDir, page, scenario = {}, inWeCom = true, theme = 'light', ...edge }: LaunchOptions): MiniProgramPage {
  const sim = tool()
  const dist = resolve(distDir)
  const g = globalThis as any
  const client = createSimulatedClient(scenario, edge.client)
  const listeners = { show: [] as Listener[], hide: [] as Listener[] }
  const off = (list: Listener[]) => (listener: Listener) => {
    const at = list.indexOf(listener)
    if (at >= 0) list.splice(at, 1)
  }
  const launch = { path: page, query: {}, scene: 1001, referrerInfo: {} }

  let app: Options | null = null
  const pages: Options[] = []
  g.App = (options: Options) => {
    app = options
  }
  g.getApp = () => app
  g.getCurrentPages = () => pages
  // uni registers its pages with Component(); a Page() call is passed on to the tool the same way.
  g.Page = (options: Options) => g.Component(options)
  // happy-dom's media features: the built wxss's `prefers-color-scheme` rules follow the theme.
  ;(window as any).happyDOM.settings.device.prefersColorScheme = theme
  // Set before the build loads: uni's runtime copies `wx` then (wx.qy kept as is).
  // WeChat reports the system theme only to an app that opted in (app.json `darkmode`); otherwise `undefined`.
  const reported = JSON.parse(readFileSync(join(dist, 'app.json'), 'utf8')).darkmode === true ? theme : undefined
  g.wx = {
    ...toolWx,
    getSystemInfoSync: () => ({ ...toolWx.getSystemInfoSync(), theme: reported }),
    getAppBaseInfo: () => ({ ...toolWx.getAppBaseInfo(), theme: reported }),
    ...(inWeCom ? { qy: client.qy } : {}),
    onAppShow: (listener: Listener) => listeners.show.push(listener),
    offAppShow: off(listeners.show),
    onAppHide: (listener: Listener) => listeners.hide.push(listener),
    offAppHide: off(listeners.hide),
    ...(typeof edge.wx === 'object' ? edge.wx : {}),
  }
  if (typeof edge.wx === 'function') g.wx = { ...g.wx, ...edge.wx(g.wx) }

  unloadBuild(dist)
  require(join(dist, 'app.js'))
  if (!app) throw new Error(`${dist}/app.js did not call App()`)
  const appOptions: Options = app
  appOptions.onLaunch?.call(appOptions, launch)
  appOptions.onShow?.call(appOptions, launch)

  const id = sim.load(join(dist, page), { rootPath: dist })
  const root = sim.render(id) as RenderedRoot
  const host = document.createElement('div')
  document.body.appendChild(host)
  root.attach(host)
  const instance = root.instance
  pages.push(instance)
  instance.onLoad?.(launch.query)
  instance.onShow?.()
  instance.onReady?.()

  const element = (testid: string) => {
    const found = root.dom.querySelector(`[data-testid="${testid}"]`)
    if (!found) throw new Error(`no element with data-testid="${testid}" on ${page}`)
    return found as HTMLElement
  }
  const findJson = (node: JsonNode | string, testid: string): JsonNode | null => {
    if (typeof node === 'string') return null
    if (node.attrs.some((a) => a.name === 'data-testid' && a.value === testid)) return node
    for (const child of node.children) {
      const found = findJson(child, testid)
      if (found) return found
    }
    return null
  }
  // The tool's element wrapper (the class the root component extends) dispatches events the tool's way.
  const Wrapper = Object.getPrototypeOf(root.constructor) as new (node: unknown) => {
    dispatchEvent(name: string, options?: { detail?: object }): void
  }

  return {
    client,
    root,
    dom: root.dom,
    element,
    text: (testid) => collapse(shownText(element(testid))),
    json(testid) {
      const found = findJson(root.toJSON(), testid)
      if (!found) throw new Error(`no node with data-testid="${testid}" in the rendered tree`)
      return found
    },
    hideApp() {
      instance.onHide?.()
      root.triggerPageLifeTime('hide')
      appOptions.onHide?.call(appOptions)
      for (const listener of [...listeners.hide]) listener()
    },
    showApp() {
      appOptions.onShow?.call(appOptions, launch)
      for (const listener of [...listeners.show]) listener(launch)
      instance.onShow?.()
      root.triggerPageLifeTime('show')
    },
    async tap(target) {
      const node = (target as any).__wxElement
      if (!node) throw new Error('not an element the framework rendered')
      const finger = new Wrapper(node)
      finger.dispatchEvent('touchstart')
      await new Promise((r) => setTimeout(r, 0))
      finger.dispatchEvent('touchend')
      await new Promise((r) => setTimeout(r, 0))
    },
    async fire(target, name, detail = {}) {
      const node = (target as any).__wxElement
      if (!node) throw new Error('not an element the framework rendered')
      new Wrapper(node).dispatchEvent(name, { detail })
      await new Promise((r) => setTimeout(r, 0))
    },
    close() {
      root.detach()
      host.remove()
      // The tool put the build's wxss into <style id="…"> for this component id.
      document.querySelectorAll(`style#${id}`).forEach((style) => style.remove())
    },
  }
}

/** Resolves once `check()` holds; rejects with what was seen last after `timeoutMs`. */
export async function until(check: () => boolean, describe: () => string, timeoutMs = 4000): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last seen: ${describe()}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** The value of attribute `name` on a serialised node (`ariaLabel` for `aria-label`, as the tool names them). */
export function attr(node: JsonNode, name: string): unknown {
  return node.attrs.find((a) => a.name === name)?.value
}

/** Every serialised node under `node` (itself included), depth first. */
export function nodes(node: JsonNode): JsonNode[] {
  return [node, ...node.children.flatMap((child) => (typeof child === 'string' ? [] : nodes(child)))]
}
