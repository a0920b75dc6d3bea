import { hasInjectionContext, inject, shallowRef, type Ref } from 'vue'
import { kitLocaleOf } from '../../src/i18n'
import { CHAIN_TOOLBAR_KEY, type ChainToolbarRuntime } from '../../src/runtime'

/** What the kit's components follow of the app, per installed kit: its scheme (and its locale, into the kit's). */
const followed = /* @__PURE__ */ new WeakMap<ChainToolbarRuntime, Ref<'light' | 'dark'>>()

/**
 * Follows the app's uni settings, once per installed kit (its first component or text starts it; the app's
 * unmount stops it):
 * - the scheme: `createChainToolbar({ theme })` when forced, else uni's `getAppBaseInfo().theme`, which is
 *   the system's only where the app opted in to dark mode (manifest.json `darkmode`; otherwise H5 answers
 *   `light` and the mini program nothing), read again on each `onThemeChange` (H5 reports every system
 *   change, opted in or not);
 * - the locale, unless the app gave `locale`: `uni.getLocale()`, then each `uni.onLocaleChange`. uni has no
 *   way to remove a locale listener: after the unmount it goes quiet.
 * Returns the scheme (null outside the app's context: nothing to follow for).
 */
export function useAppSettings(): Readonly<Ref<'light' | 'dark'>> | null {
  const runtime = hasInjectionContext() ? inject(CHAIN_TOOLBAR_KEY, null) : null
  if (!runtime) return null
  let scheme = followed.get(runtime)
  if (scheme) return scheme
  const { theme, locale } = runtime.options
  // `uni.<api>` written out each time: uni's H5 build keeps only the APIs it sees called that way.
  const hasUni = typeof uni != 'undefined'
  const read = () => (theme == 'dark' || (theme != 'light' && hasUni && uni.getAppBaseInfo?.().theme == 'dark') ? 'dark' : 'light')
  followed.set(runtime, (scheme = shallowRef(read())))
  let live = true
  const update = () => live && (scheme!.value = read())
  if (hasUni) {
    uni.onThemeChange?.(update)
    if (locale == null && uni.getLocale) {
      runtime.locale.value = kitLocaleOf(uni.getLocale())
      uni.onLocaleChange((changed) => live && changed.locale && (runtime.locale.value = kitLocaleOf(changed.locale)))
    }
  }
  runtime.cleanups.add(() => {
    live = false
    if (hasUni) uni.offThemeChange?.(update)
  })
  return scheme
}

/** The colour scheme of the kit's components (their root carries `uct-theme-dark` in the dark one). */
export const useChainToolbarTheme = () => useAppSettings()!
