import { hasInjectionContext, inject, type InjectionKey, type Ref } from 'vue'
import type { Pinia } from 'pinia'
import type { ChainHost } from './host/types'
import type { ChainToolbarOptions } from './types'

/** What `createChainToolbar` installs: the host, the deadline, the app's options and the UI language. */
export interface ChainToolbarRuntime {
  host: ChainHost
  timeoutMs: number
  /** What the app passed (the resolvers are read from it). */
  options: ChainToolbarOptions
  /** Resolved profiles, per contact / chat, for the app's life. */
  profiles: Map<string, Promise<unknown>>
  locale: Ref<string>
  messages: Ref<Record<string, Partial<Record<string, string>>>>
  /** Run when the app unmounts: listeners the kit added are removed. */
  cleanups: Set<() => void>
}

export const CHAIN_TOOLBAR_KEY: InjectionKey<ChainToolbarRuntime> = Symbol('uni-chain-toolbar')

/** Runtimes by Pinia instance, for stores created outside a component (tests, app code before mount). */
const byPinia = new WeakMap<object, ChainToolbarRuntime>()
/** The runtime installed last: a store created where neither of the above is known (one app per page). */
let lastInstalled: ChainToolbarRuntime | undefined

export function attachRuntime(pinia: Pinia | undefined, runtime: ChainToolbarRuntime) {
  if (pinia) byPinia.set(pinia, runtime)
  lastInstalled = runtime
}

export function resolveRuntime(pinia: Pinia | undefined): ChainToolbarRuntime {
  const injected = hasInjectionContext() ? inject(CHAIN_TOOLBAR_KEY, null) : null
  const runtime = injected ?? byPinia.get(pinia!) ?? lastInstalled
  if (!runtime) {
    throw new Error('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
  }
  return runtime
}
