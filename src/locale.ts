import { kitLocaleOf } from './i18n'
import { injectedRuntime } from './runtime'

/**
 * The kit's locale follows the app's uni locale, once per installed kit (its first text starts it), unless the
 * app gave `locale`: `uni.getLocale()`, then each `uni.onLocaleChange` (zh-Hans → zh-CN). uni has no way to remove
 * a locale listener: after the app's unmount it goes quiet. Nothing outside the app's context.
 */
export function followAppLocale(): void {
  const runtime = injectedRuntime()
  if (!runtime || runtime.followsLocale) return
  runtime.followsLocale = true
  // `uni.<api>` written out each time: uni's H5 build keeps only the APIs it sees called that way.
  if (runtime.options.locale != null || typeof uni == 'undefined' || !uni.getLocale) return
  let live = true
  runtime.locale.value = kitLocaleOf(uni.getLocale())
  uni.onLocaleChange((changed) => live && changed.locale && (runtime.locale.value = kitLocaleOf(changed.locale)))
  runtime.cleanups.add(() => (live = false))
}
