import { computed, inject, shallowRef, type ComputedRef } from 'vue'
import { CHAIN_TOOLBAR_KEY, type ChainToolbarRuntime } from '../../src/runtime'

/** The app's scheme, per installed kit (one listener per app, made by its first component). */
const schemes = new WeakMap<ChainToolbarRuntime, { value: 'light' | 'dark' }>()

/**
 * The scheme uni reports for the app: `getAppBaseInfo().theme` is the system's only where the app opted
 * in to dark mode (manifest.json `darkmode`); otherwise H5 answers `light` and the mini program nothing.
 */
function appScheme(): 'light' | 'dark' {
  return typeof uni != 'undefined' && uni.getAppBaseInfo?.().theme == 'dark' ? 'dark' : 'light'
}

function followApp(runtime: ChainToolbarRuntime) {
  let scheme = schemes.get(runtime)
  if (!scheme) {
    schemes.set(runtime, (scheme = shallowRef(appScheme())))
    if (typeof uni != 'undefined' && uni.onThemeChange) {
      // H5 reports every system change, opted in or not: read the app's scheme again rather than the event's.
      const update = () => (scheme!.value = appScheme())
      uni.onThemeChange(update)
      runtime.cleanups.add(() => uni.offThemeChange?.(update))
    }
  }
  return scheme
}

export interface UseChainToolbarThemeReturn {
  /** The scheme the kit's components show: `createChainToolbar({ theme })` when forced, else the app's. */
  theme: ComputedRef<'light' | 'dark'>
  /** The class a component's root carries for it (`uct-theme-dark` in the dark scheme). */
  themeClass: ComputedRef<string>
}

/** The colour scheme of the kit's components (used by the components; the app sets it with the `theme` option). */
export function useChainToolbarTheme(): UseChainToolbarThemeReturn {
  const runtime = inject(CHAIN_TOOLBAR_KEY)!
  const forced = runtime.options.theme
  const scheme = forced == 'light' || forced == 'dark' ? { value: forced } : followApp(runtime)
  const theme = computed(() => scheme.value)
  return { theme, themeClass: computed(() => (theme.value == 'dark' ? 'uct-theme-dark' : '')) }
}
