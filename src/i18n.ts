import type { ErrorCode } from './errors'

/**
 * Every string the components show or announce, in the built-in languages. Apps override any of them
 * per locale with `createChainToolbar({ messages: { en: { 'share.button': 'Send the quote' } } })`,
 * or add a language of their own (`messages: { ja: { … } }`, then `locale: 'ja'`).
 * `{name}`-style placeholders are filled by `t(key, params)`.
 */
const zhCN = {
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
  'card.loading': '正在加载…',
  'card.retry': '重试',
  'contact.label': '上下游联系人',
  'contact.avatar': '{name}的头像',
  'contact.error': '无法读取联系人',
  'contact.retry': '重新读取联系人',
  'chat.label': '互联群',
  'chat.avatar': '{name}的群头像',
  'chat.initial': '群',
  'chat.error': '无法读取群聊',
  'chat.retry': '重新读取群聊',
  'share.button': '发送到当前聊天',
  'share.sending': '正在发送…',
  'share.sent': '已发送',
  'share.failed': '发送失败：{reason}',
} as const satisfies Record<`error.${ErrorCode}`, string> & Record<string, string>

/** The keys of the components' strings: one per error code (`error.<CODE>`) and one per UI text. */
export type ChainToolbarMessageKey = keyof typeof zhCN

/** A complete dictionary: every key in one language. */
export type ChainToolbarMessages = Record<ChainToolbarMessageKey, string>

/** What an app passes as `messages`: per locale, any subset of the keys (or all of them, for a new language). */
export type ChainToolbarMessageOverrides = Record<string, Partial<Record<ChainToolbarMessageKey, string>>>

const en: ChainToolbarMessages = {
  'error.NOT_IN_WECOM': 'Open this page in WeCom',
  'error.UNSUPPORTED_ENTRY': 'Not available from this entry',
  'error.CLIENT_TOO_OLD': 'Please update WeCom and try again',
  'error.NO_PERMISSION': 'The app has no permission here; ask your admin',
  'error.LOGIN_FAILED': 'Sign-in failed; please try again',
  'error.TIMEOUT': 'WeCom did not answer; please try again',
  'error.CANCELLED': 'Cancelled',
  'error.INVALID_MESSAGE': 'The message is not valid',
  'error.BUSY': 'Another message is being sent',
  'error.HOST_ERROR': 'WeCom returned an error; please try again',
  'card.loading': 'Loading…',
  'card.retry': 'Retry',
  'contact.label': 'Chain contact',
  'contact.avatar': 'Avatar of {name}',
  'contact.error': "Couldn't load the contact",
  'contact.retry': 'Load the contact again',
  'chat.label': 'Interconnected group',
  'chat.avatar': 'Avatar of the group {name}',
  'chat.initial': 'G',
  'chat.error': "Couldn't load the group",
  'chat.retry': 'Load the group again',
  'share.button': 'Send to this chat',
  'share.sending': 'Sending…',
  'share.sent': 'Sent',
  'share.failed': 'Not sent: {reason}',
}

/** The built-in dictionaries. `zh-CN` is the default locale. */
export const chainToolbarMessages: Readonly<Record<'zh-CN' | 'en', Readonly<ChainToolbarMessages>>> = { 'zh-CN': zhCN, en }

export const DEFAULT_LOCALE = 'zh-CN'

/**
 * The locales to look a key up in, most specific first: the locale itself, its language among the
 * built-ins (`en-US` → `en`, `zh-TW` → `zh-CN`), then the default `zh-CN`.
 */
export function localeChain(locale: string): string[] {
  const chain = [locale]
  const language = locale.toLowerCase().split(/[-_]/)[0]
  const builtIn = (Object.keys(chainToolbarMessages) as string[]).find((l) => l.toLowerCase().split('-')[0] === language)
  if (builtIn && !chain.includes(builtIn)) chain.push(builtIn)
  if (!chain.includes(DEFAULT_LOCALE)) chain.push(DEFAULT_LOCALE)
  return chain
}

/** Looks `key` up (the app's overrides first, then the built-ins, along the locale chain) and fills `{placeholders}`. */
export function translate(
  locale: string,
  overrides: Record<string, Partial<Record<string, string>>> | undefined,
  key: string,
  params?: Record<string, string | number>,
): string {
  let text: string | undefined
  for (const l of localeChain(locale)) {
    text = overrides?.[l]?.[key] ?? (chainToolbarMessages as Record<string, Record<string, string>>)[l]?.[key]
    if (text !== undefined) break
  }
  // An unknown key shows itself, so a typo is visible rather than an empty label.
  if (text === undefined) return key
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text
}
