import { inject, shallowRef, type Ref } from 'vue'
import { CHAIN_TOOLBAR_KEY, type ChainToolbarRuntime } from '../../src/runtime'

/** The scheme of the kit's components, per installed kit (one listener per app, made by its first component). */
const schemes = /* @__PURE__ */ new WeakMap<ChainToolbarRuntime, Ref<'light' | 'dark'>>()

/**
 * The scheme uni reports for the app: `getAppBaseInfo().theme` is the system's only where the app opted
 * in to dark mode (manifest.json `darkmode`); otherwise H5 answers `light` and the mini program nothing.
 */
const appScheme = () => (typeof uni != 'undefined' && uni.getAppBaseInfo?.().theme == 'dark' ? 'dark' : 'light')

/**
 * The colour scheme of the kit's components: `createChainToolbar({ theme })` when forced, else the app's
 * (its uni dark-mode opt-in, then the system's scheme, followed as it changes). Used by the components,
 * whose root carries the class `uct-theme-dark` in the dark scheme.
 */
export function useChainToolbarTheme(): Readonly<Ref<'light' | 'dark'>> {
  const runtime = inject(CHAIN_TOOLBAR_KEY)!
  let scheme = schemes.get(runtime)
  if (!scheme) {
    const forced = runtime.options.theme
    const follows = forced != 'light' && forced != 'dark'
    schemes.set(runtime, (scheme = shallowRef(follows ? appScheme() : forced)))
    if (follows && typeof uni != 'undefined' && uni.onThemeChange) {
      // H5 reports every system change, opted in or not: read the app's scheme again rather than the event's.
      const update = () => (scheme!.value = appScheme())
      uni.onThemeChange(update)
      runtime.cleanups.add(() => uni.offThemeChange?.(update))
    }
  }
  return scheme
}
