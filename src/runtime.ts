import { hasInjectionContext, inject, type InjectionKey, type Ref } from 'vue'
import { getActivePinia, type Pinia } from 'pinia'
import type { ChainHost } from './host/types'
import type { ProfileCache } from './profile-cache'
import type { ChainToolbarOptions } from './types'

/** What `createChainToolbar` installs on one app: the host, the deadline, the app's options and the UI language. */
export interface ChainToolbarRuntime {
  host: ChainHost
  timeoutMs: number
  /** What the app passed (the resolvers are read from it). */
  options: ChainToolbarOptions
  /** Resolved profiles, per contact / chat: for the app's life, and in storage between launches. */
  profiles: ProfileCache
  locale: Ref<string>
  messages: Ref<Record<string, Partial<Record<string, string>>>>
  /** Run when the app unmounts: listeners the kit added are removed, calls in flight dropped. */
  cleanups: Set<() => void>
}

export const CHAIN_TOOLBAR_KEY: InjectionKey<ChainToolbarRuntime> = Symbol('uni-chain-toolbar')

/** The runtime of the app each Pinia was installed on with the kit (a store made outside a component). */
const byPinia = new WeakMap<object, ChainToolbarRuntime>()

export function attachRuntime(pinia: Pinia | undefined, runtime: ChainToolbarRuntime) {
  if (pinia) byPinia.set(pinia, runtime)
}

/**
 * The runtime of the app in use, reached one way: the app's injection context (a component, or the
 * app's Pinia running a store), else the Pinia the kit was installed with. Never another app's.
 */
export function resolveRuntime(pinia?: Pinia | null): ChainToolbarRuntime {
  const runtime = hasInjectionContext() ? inject(CHAIN_TOOLBAR_KEY, null) : byPinia.get((pinia ?? getActivePinia())!)
  if (!runtime) throw new Error('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
  return runtime
}
