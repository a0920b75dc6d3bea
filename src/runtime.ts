import { hasInjectionContext, inject, type InjectionKey, type Ref } from 'vue'
import { getActivePinia, type Pinia } from 'pinia'
import type { ChainHost } from './host/types'
import type { ProfileCache } from './profile-cache'
import type { ResolvedOptions } from './options'

/** What `createChainToolbar` installs on one app: the host, the app's options and the UI language. */
export interface ChainToolbarRuntime {
  host: ChainHost
  /** What the app passed, normalised once (src/options.ts): the deadline and the resolvers are read from it. */
  options: ResolvedOptions
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

// uni (and any Vite build) replaces `process.env.NODE_ENV` with a string; declared here so that an app's vue-tsc
// without Node types reads this file (the uni_modules form).
declare const process: { env: { NODE_ENV?: string } }

/**
 * Development only (a production build drops it): the copies of the kit's modules that installed a runtime on
 * this page, in a registry all copies share. A bundler can load the kit twice (Vite's dependency pre-bundling
 * did, in uni's dev server, until build/uni-plugin.cjs excluded the kit); each copy has its own injection key,
 * so one copy's components never see a runtime the other copy installed. The registry lets the error say so.
 */
function installedCopies(): Set<unknown> {
  const page = globalThis as Record<symbol, Set<unknown> | undefined>
  return (page[Symbol.for('uni-chain-toolbar.installed-copies')] ??= new Set())
}

export function attachRuntime(pinia: Pinia | undefined, runtime: ChainToolbarRuntime) {
  if (process.env.NODE_ENV !== 'production') installedCopies().add(CHAIN_TOOLBAR_KEY)
  if (pinia) byPinia.set(pinia, runtime)
}

function missingRuntime(): Error {
  let message = '[uni-chain-toolbar] app.use(createChainToolbar()) is missing'
  if (process.env.NODE_ENV !== 'production' && [...installedCopies()].some((key) => key !== CHAIN_TOOLBAR_KEY)) {
    message +=
      ': the app installed another copy of uni-chain-toolbar. The page loads the kit twice (a bundler setting such as ' +
      "Vite's optimizeDeps.include: ['uni-chain-toolbar'], or two installs of the package); load it once."
  }
  return new Error(message)
}

/**
 * The runtime of the app in use, reached one way: the app's injection context (a component, or the
 * app's Pinia running a store), else the Pinia the kit was installed with. Never another app's.
 */
export function resolveRuntime(pinia?: Pinia | null): ChainToolbarRuntime {
  const runtime = hasInjectionContext() ? inject(CHAIN_TOOLBAR_KEY, null) : byPinia.get((pinia ?? getActivePinia())!)
  if (!runtime) throw missingRuntime()
  return runtime
}
