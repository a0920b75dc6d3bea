// A double of the global `uni` for what the kit's components read of the app: its dark-mode opt-in and
// scheme (getAppBaseInfo().theme, onThemeChange) and its locale (getLocale, setLocale, onLocaleChange).
// It behaves as uni 3.0.0-5010420260703001 does: H5 reports `theme: 'light'` when the app has not opted in
// (manifest.json `h5.darkmode`) and still fires onThemeChange for every system change; the mini program
// reports no theme and fires nothing without `mp-weixin.darkmode`. setLocale fires onLocaleChange.
import { vi } from 'vitest'

export interface UniDoubleOptions {
  /** The manifest's `darkmode` for the platform under test. */
  darkmode?: boolean
  /** The system's scheme. */
  system?: 'light' | 'dark'
  /** The app's locale (uni's own name for Chinese is zh-Hans). */
  locale?: string
}

export function stubUni(options: UniDoubleOptions = {}) {
  const h5 = process.env.UNI_PLATFORM === 'h5'
  let system = options.system ?? 'light'
  let locale = options.locale ?? 'zh-Hans'
  const themeListeners = new Set<(result: { theme: string }) => void>()
  const localeListeners: ((result: { locale: string }) => void)[] = []
  const uni = {
    getAppBaseInfo: () => ({ theme: options.darkmode ? system : h5 ? 'light' : undefined }),
    onThemeChange: (listener: (result: { theme: string }) => void) => themeListeners.add(listener),
    offThemeChange: (listener: (result: { theme: string }) => void) => themeListeners.delete(listener),
    getLocale: () => locale,
    setLocale: (next: string) => {
      if (next === locale) return false
      locale = next
      for (const listener of localeListeners) listener({ locale })
      return true
    },
    onLocaleChange: (listener: (result: { locale: string }) => void) => localeListeners.push(listener),
  }
  vi.stubGlobal('uni', uni)
  return {
    uni,
    /** The user switches the system's scheme. */
    setSystemTheme(theme: 'light' | 'dark') {
      system = theme
      if (h5 || options.darkmode) for (const listener of [...themeListeners]) listener({ theme })
    },
    themeListeners,
  }
}
