import type { ErrorCode } from './errors'
import { DEFAULT_LOCALE } from './options'
import { cardTexts, chatTexts, contactTexts, shareTexts } from './texts'

/**
 * The built-in (zh-CN) texts of the error codes: every component shows them, so `translate` falls back
 * to them; each component's other texts are its own (src/texts.ts).
 */
export const errorTexts = {
  'error.NOT_IN_WECOM': '请在企业微信中打开',
  'error.UNSUPPORTED_ENTRY': '当前入口不支持此功能',
  'error.CLIENT_TOO_OLD': '企业微信版本过低，请升级后重试',
  'error.NO_PERMISSION': '应用没有权限，请联系管理员',
  'error.LOGIN_FAILED': '登录失败，请重试',
  'error.TIMEOUT': '企业微信没有响应，请重试',
  'error.CANCELLED': '已取消',
  'error.INVALID_MESSAGE': '消息内容无效',
  'error.BUSY': '正在发送另一条消息',
  'error.HOST_ERROR': '企业微信返回了错误，请重试',
} as const satisfies Record<`error.${ErrorCode}`, string>
/**
 * Every string the components show or announce, in the built-in language, 简体中文 (`zh-CN`, the
 * default locale). English is one import away (`chainToolbarEn`, `src/locales/en.ts`), so a page that
 * never shows it does not carry it. Apps override any string per locale, or add a language:
 * `createChainToolbar({ locale: 'en', messages: { en: { ...chainToolbarEn, 'share.button': 'Send the quote' } } })`.
 * `{name}`-style placeholders are filled by `t(key, params)`.
 */
export const chainToolbarZhCN = { ...errorTexts, ...cardTexts, ...contactTexts, ...chatTexts, ...shareTexts }

/** The keys of the components' strings: one per error code (`error.<CODE>`) and one per UI text. */
export type ChainToolbarMessageKey = keyof typeof chainToolbarZhCN

/** A complete dictionary: every key in one language. */
export type ChainToolbarMessages = Record<ChainToolbarMessageKey, string>

/** What an app passes as `messages`: per locale, any subset of the keys (or all of them, for a new language). */
export type ChainToolbarMessageOverrides = Record<string, Partial<Record<ChainToolbarMessageKey, string>>>


/**
 * The locales to look a key up in, most specific first: the locale itself, its language
 * (`en-US` → `en`, `zh-TW` → `zh`), then the default `zh-CN`.
 */
export function localeChain(locale: string): string[] {
  if (locale === lastLocale) return lastChain
  const chain = [locale, locale.split(/[-_]/)[0].toLowerCase(), DEFAULT_LOCALE]
  lastLocale = locale
  return (lastChain = chain.filter((l, i) => chain.indexOf(l) === i))
}
// Every text of every component asks for the chain of the same locale: the last one is kept.
let lastLocale: string | undefined
let lastChain: string[] = []

/**
 * Looks `key` up in the app's `messages` along the locale chain, then in the built-in zh-CN texts
 * (`builtIn`: all of them, or a component's own) and the error texts, and fills `{placeholders}`.
 */
export function translate(
  locale: string,
  messages: Record<string, Partial<Record<string, string>>> | undefined,
  builtIn: Record<string, string>,
  key: string,
  params?: Record<string, string | number>,
): string {
  let text: string | undefined
  for (const l of localeChain(locale)) if ((text = messages?.[l]?.[key]) !== undefined) break
  // An unknown key shows itself, so a typo is visible rather than an empty label.
  text ??= builtIn[key] ?? (errorTexts as Record<string, string>)[key] ?? key
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text
}

/** uni's locale names as the kit's: uni's Chinese (`zh-Hans`, also `zh`, `zh-CN`) is `zh-CN`; the others as they are. */
export function kitLocaleOf(uniLocale: string): string {
  return /^zh(?:[-_](?:hans|cn))?$/i.test(uniLocale) ? DEFAULT_LOCALE : uniLocale
}
