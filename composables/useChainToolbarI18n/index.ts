import { computed, type ComputedRef } from 'vue'
import { chainToolbarZhCN, translate, type ChainToolbarMessageKey } from '../../src/i18n'
import { cardTexts, chatTexts, contactTexts, shareTexts } from '../../src/texts'
import { followAppLocale } from '../../src/locale'
import { useChainToolbarStore } from '../../src/store'
import type { ChainToolbarLocale } from '../../src/types'

export interface UseChainToolbarI18nReturn {
  /** The components' language: `createChainToolbar({ locale })`, else the app's uni locale, else `zh-CN`. */
  locale: ComputedRef<ChainToolbarLocale>
  /** Switches every component of the app to `locale` at once. */
  setLocale: (locale: ChainToolbarLocale) => void
  /**
   * The string for `key` in the current locale: the app's `messages` override first, then the
   * built-in dictionary (`en-US` falls back to `en`, anything else to `zh-CN`). `{name}` placeholders
   * are filled from `params`. Reactive: used in a template or computed, it follows `setLocale`.
   */
  t: (key: ChainToolbarMessageKey | (string & {}), params?: Record<string, string | number>) => string
}

type Translate = UseChainToolbarI18nReturn['t']

/** `t` over the app's messages, then the given built-in texts. */
function useTranslate(builtIn: Record<string, string>): Translate {
  // The app's uni locale (unless `locale` was given), followed from the first user of the texts.
  followAppLocale()
  const store = useChainToolbarStore()
  return (key, params) => translate(store.locale, store.messages, builtIn, key, params)
}

/** The language of the kit's components, shared by the whole app (it lives in the kit's store). */
export function useChainToolbarI18n(): UseChainToolbarI18nReturn {
  const store = useChainToolbarStore()
  return {
    locale: computed(() => store.locale),
    setLocale: (locale) => {
      store.locale = locale
    },
    t: useTranslate(chainToolbarZhCN),
  }
}

// For the kit's own components: the same `t`, carrying only the built-in texts the component shows
// (each set made once, not per component).
const contactCardTexts = /* @__PURE__ */ Object.assign({}, cardTexts, contactTexts)
const groupCardTexts = /* @__PURE__ */ Object.assign({}, cardTexts, chatTexts)
export const useCardTexts = () => useTranslate(cardTexts)
export const useContactCardTexts = () => useTranslate(contactCardTexts)
export const useGroupCardTexts = () => useTranslate(groupCardTexts)
export const useShareButtonTexts = () => useTranslate(shareTexts)
