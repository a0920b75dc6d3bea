import { shallowRef, type Ref } from 'vue'
import { injectedRuntime } from '../../src/runtime'

/**
 * The colour scheme of the kit's components (their root carries `uct-theme-dark` in the dark one), once per
 * installed kit (its first component starts it; the app's unmount stops it): `createChainToolbar({ theme })`
 * when forced, else uni's `getAppBaseInfo().theme`, which is the system's only where the app opted in to dark
 * mode (manifest.json `darkmode`; otherwise H5 answers `light` and the mini program nothing), read again on each
 * `onThemeChange` (H5 reports every system change, opted in or not).
 */
export function useChainToolbarTheme(): Readonly<Ref<'light' | 'dark'>> {
  // A component is always set up in an app the kit was installed on (its composable throws otherwise).
  const runtime = injectedRuntime()!
  let scheme = runtime.scheme
  if (scheme) return scheme
  const { theme } = runtime.options
  // `uni.<api>` written out each time: uni's H5 build keeps only the APIs it sees called that way.
  const hasUni = typeof uni != 'undefined'
  const read = () => (theme == 'dark' || (theme != 'light' && hasUni && uni.getAppBaseInfo?.().theme == 'dark') ? 'dark' : 'light')
  runtime.scheme = scheme = shallowRef(read())
  let live = true
  const update = () => live && (scheme!.value = read())
  if (hasUni) uni.onThemeChange?.(update)
  runtime.cleanups.add(() => {
    live = false
    if (hasUni) uni.offThemeChange?.(update)
  })
  return scheme
}
