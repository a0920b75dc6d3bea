// Mounts the kit the way an app does (Pinia, then createChainToolbar) with composables used inside a component.
import { createApp, defineComponent, h, type App, type Plugin } from 'vue'
import { createPinia, type Pinia } from 'pinia'
import { afterEach, vi } from 'vitest'
import { createChainToolbar, createMiniProgramHost, useChainToolbarStore, type ChainToolbarOptions } from '../../index'
import { createScriptedQy, type QyScript } from './scripted-qy'

export interface Mounted<T> {
  app: App
  pinia: Pinia
  /** What each consumer's setup returned. */
  consumers: T[]
  store: ReturnType<typeof useChainToolbarStore>
  unmount: () => void
}

/** Mounts `count` sibling components that each run `use()` in setup. */
export function mountKit<T>(options: ChainToolbarOptions, use: () => T, count = 1): Mounted<T> {
  const consumers: T[] = []
  const Consumer = defineComponent({
    setup() {
      consumers.push(use())
      return () => null
    },
  })
  const app = createApp(defineComponent({ setup: () => () => Array.from({ length: count }, () => h(Consumer)) }))
  const pinia = createPinia()
  app.use(pinia)
  app.use(createChainToolbar(options))
  app.mount(document.createElement('div'))
  mounted.add(app)
  return {
    app,
    pinia,
    consumers,
    store: useChainToolbarStore(pinia),
    unmount: () => {
      mounted.delete(app)
      app.unmount()
    },
  }
}

/**
 * Mounts an app with Pinia (and `plugin`, if any) whose one component runs `use()` in setup; returns what
 * it threw (null when nothing). Unmounted after the test.
 */
export function thrownIn(use: () => unknown, plugin?: Plugin): unknown {
  let thrown: unknown = null
  const Thrower = defineComponent({
    setup() {
      try {
        use()
      } catch (error) {
        thrown = error
      }
      return () => null
    },
  })
  const app = createApp(Thrower)
  app.config.warnHandler = () => {}
  app.use(createPinia())
  if (plugin) app.use(plugin)
  app.mount(document.createElement('div'))
  mounted.add(app)
  return thrown
}

const mounted = new Set<App>()
afterEach(() => {
  for (const app of mounted) app.unmount()
  mounted.clear()
})

/** A scripted wx.qy behind the real mini program adapter. */
export function miniProgram(script: QyScript = {}, extra: { exchangeCode?: (code: string) => unknown; app?: any } = {}) {
  const sim = createScriptedQy(script)
  const exchangeCode = vi.fn(extra.exchangeCode ?? (async () => {}))
  const host = createMiniProgramHost({ qy: sim.qy, exchangeCode, app: extra.app ?? null })
  return { ...sim, host, exchangeCode }
}

/** App show/hide events of a mini program, fired by the test. */
export function appEvents() {
  const show = new Set<() => void>()
  const hide = new Set<() => void>()
  return {
    onAppShow: (fn: () => void) => show.add(fn),
    offAppShow: (fn: () => void) => show.delete(fn),
    onAppHide: (fn: () => void) => hide.add(fn),
    offAppHide: (fn: () => void) => hide.delete(fn),
    /** The app is shown with no hide before it: the launch show. */
    show() {
      show.forEach((fn) => fn())
    },
    /** The app goes to the background and comes back. */
    cycle() {
      hide.forEach((fn) => fn())
      show.forEach((fn) => fn())
    },
    get listeners() {
      return show.size
    },
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
