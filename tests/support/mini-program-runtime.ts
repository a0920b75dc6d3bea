// Runs a built uni-app mini program (dist/build/mp-weixin) in node: a fresh vm context with the WeChat
// globals stubbed (App, Page, Component, getApp, getCurrentPages, wx) and a small CommonJS loader.
// Far enough to run the app's launch and a page's lifecycle and read the data the page renders
// (docs/development.md: miniprogram-simulate cannot drive uni-compiled components; this can).
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import vm from 'node:vm'

type Options = Record<string, any>

export interface MiniProgramInstance {
  /** What the page rendered: the data uni's runtime passed to setData. */
  data: Record<string, any>
  route: string
  [key: string]: any
}

export interface MiniProgramRuntime {
  /** The object the app sees as `wx` before uni's runtime copies it. */
  wx: Record<string, any>
  app: Options
  /** Loads a page file (`pages/index/index`) and runs onLoad → show → ready on a new instance. */
  openPage(route: string, query?: Record<string, string>): MiniProgramInstance
  /** Fires the app show listeners registered with wx.onAppShow (the client bringing the app back). */
  appShow(): void
  appHide(): void
}

/** Sets `a.b[2].c`-style paths the way the mini program's setData does. */
function setPath(target: Record<string, any>, path: string, value: unknown) {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.')
  let node = target
  for (let i = 0; i < keys.length - 1; i++) {
    if (node[keys[i]] == null || typeof node[keys[i]] !== 'object') node[keys[i]] = /^\d+$/.test(keys[i + 1]) ? [] : {}
    node = node[keys[i]]
  }
  node[keys[keys.length - 1]] = value
}

export function loadMiniProgram(dir: string, wx: Record<string, any>): MiniProgramRuntime {
  const root = resolve(dir)
  const showListeners: Array<(options: unknown) => void> = []
  const hideListeners: Array<() => void> = []
  const launch = { path: 'pages/index/index', query: {}, scene: 1001, referrerInfo: {} }
  const storage = new Map<string, unknown>()

  // The WeChat APIs uni's runtime touches while it loads and renders; the test's own `wx` wins.
  const fullWx: Record<string, any> = {
    getSystemInfoSync: () => ({ platform: 'windows', system: 'Windows 10', windowWidth: 360, windowHeight: 780, pixelRatio: 1, language: 'zh_CN', version: '3.9.10', SDKVersion: '3.4.0', theme: 'light' }),
    getAppBaseInfo: () => ({ SDKVersion: '3.4.0', language: 'zh_CN', version: '3.9.10', theme: 'light', host: { env: 'WeChat' } }),
    getWindowInfo: () => ({ windowWidth: 360, windowHeight: 780, pixelRatio: 1, screenWidth: 360, screenHeight: 780, statusBarHeight: 0, safeArea: {} }),
    getDeviceInfo: () => ({ platform: 'windows', system: 'Windows 10', brand: 'devtools', model: 'pc' }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => launch,
    onAppShow: (listener: (options: unknown) => void) => showListeners.push(listener),
    onAppHide: (listener: () => void) => hideListeners.push(listener),
    offAppShow: (listener: (options: unknown) => void) => showListeners.splice(showListeners.indexOf(listener) >>> 0, 1),
    offAppHide: (listener: () => void) => hideListeners.splice(hideListeners.indexOf(listener) >>> 0, 1),
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    setStorage: ({ key, data, success }: Options) => {
      storage.set(key, data)
      success?.({ errMsg: 'setStorage:ok' })
    },
    canIUse: () => true,
    ...wx,
  }

  let app: Options | null = null
  const pages: MiniProgramInstance[] = []
  const registered: Options[] = []
  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    wx: fullWx,
    App: (options: Options) => {
      app = options
    },
    Page: (options: Options) => registered.push(options),
    Component: (options: Options) => registered.push(options),
    getApp: () => app,
    getCurrentPages: () => pages,
  })
  vm.runInContext('var global = globalThis', context)

  const cache = new Map<string, { exports: any }>()
  function load(file: string): any {
    const full = file.endsWith('.js') ? file : `${file}.js`
    const cached = cache.get(full)
    if (cached) return cached.exports
    const module = { exports: {} as any }
    cache.set(full, module)
    const code = readFileSync(full, 'utf8')
    const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, context, { filename: full })
    const localRequire = (request: string) => load(resolve(dirname(full), request))
    wrapper(module.exports, localRequire, module, full, dirname(full))
    return module.exports
  }

  load(join(root, 'app.js'))
  if (!app) throw new Error('app.js did not call App()')
  const appOptions: Options = app
  appOptions.onLaunch?.call(appOptions, launch)
  appOptions.onShow?.call(appOptions, launch)

  return {
    wx: fullWx,
    app: appOptions,
    openPage(route, query = {}) {
      const before = registered.length
      load(join(root, route))
      const options = registered[before]
      if (!options) throw new Error(`${route}.js registered no page`)
      const instance: MiniProgramInstance = {
        data: JSON.parse(JSON.stringify(options.data ?? {})),
        properties: {},
        route,
        is: route,
        options: query,
        setData(patch: Record<string, unknown>, done?: () => void) {
          for (const [path, value] of Object.entries(patch)) setPath(instance.data, path, value)
          done?.()
        },
        selectAllComponents: () => [],
        selectComponent: () => null,
        triggerEvent: () => {},
        createSelectorQuery: () => ({ in: () => ({}) }),
      }
      Object.assign(instance, options.methods)
      for (const [name, fn] of Object.entries(options.methods ?? {})) if (typeof fn === 'function') instance[name] = fn.bind(instance)
      pages.push(instance)
      options.lifetimes?.created?.call(instance)
      options.lifetimes?.attached?.call(instance)
      instance.onLoad?.(query)
      instance.onShow?.()
      options.pageLifetimes?.show?.call(instance)
      options.lifetimes?.ready?.call(instance)
      instance.onReady?.()
      return instance
    },
    appShow() {
      for (const listener of [...showListeners]) listener(launch)
    },
    appHide() {
      for (const listener of [...hideListeners]) listener()
    },
  }
}
