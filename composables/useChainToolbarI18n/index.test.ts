import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { computed } from 'vue'
import type { ErrorCode } from '../../src/errors'
import { chainToolbarZhCN, kitLocaleOf, localeChain } from '../../src/i18n'
import { chainToolbarEn } from '../../src/locales/en'
import { mountKit } from '../../tests/support/kit'
import { stubUni } from '../../tests/support/uni-global'
import { useChainToolbarI18n } from '.'

const en = { en: chainToolbarEn }
const dictionaries = { 'zh-CN': chainToolbarZhCN, en: chainToolbarEn }
const codes: ErrorCode[] = [
  'NOT_IN_WECOM',
  'UNSUPPORTED_ENTRY',
  'CLIENT_TOO_OLD',
  'NO_PERMISSION',
  'LOGIN_FAILED',
  'TIMEOUT',
  'CANCELLED',
  'INVALID_MESSAGE',
  'BUSY',
  'HOST_ERROR',
]

describe('useChainToolbarI18n', () => {
  it('speaks zh-CN by default, the locale option otherwise', () => {
    const zh = mountKit({}, useChainToolbarI18n).consumers[0]
    expect(zh.locale.value).toBe('zh-CN')
    expect(zh.t('share.button')).toBe('发送到当前聊天')
    const english = mountKit({ locale: 'en', messages: en }, useChainToolbarI18n).consumers[0]
    expect(english.locale.value).toBe('en')
    expect(english.t('share.button')).toBe('Send to this chat')
  })

  describe('following the app’s uni locale', () => {
    it('starts in the app’s locale (uni.getLocale) and follows uni.setLocale', () => {
      const app = stubUni({ locale: 'en' })
      const { consumers } = mountKit({ messages: en }, () => {
        const i18n = useChainToolbarI18n()
        return { ...i18n, label: computed(() => i18n.t('card.retry')) }
      })
      expect(consumers[0].locale.value).toBe('en')
      expect(consumers[0].label.value).toBe('Retry')
      app.uni.setLocale('zh-Hans')
      expect(consumers[0].locale.value).toBe('zh-CN')
      expect(consumers[0].label.value).toBe('重试')
      app.uni.setLocale('en-US')
      expect(consumers[0].label.value).toBe('Retry')
    })

    it('shows zh-CN for uni’s English when the English texts are not installed', () => {
      stubUni({ locale: 'en' })
      const { t } = mountKit({}, useChainToolbarI18n).consumers[0]
      expect(t('card.retry')).toBe('重试')
    })

    it('keeps an explicit locale option whatever the app’s locale', () => {
      const app = stubUni({ locale: 'zh-Hans' })
      const { consumers } = mountKit({ locale: 'en', messages: en }, useChainToolbarI18n)
      app.uni.setLocale('zh-Hant')
      expect(consumers[0].locale.value).toBe('en')
    })

    it('stops following when the app unmounts', () => {
      const app = stubUni({ locale: 'zh-Hans' })
      const { consumers, unmount } = mountKit({ messages: en }, useChainToolbarI18n)
      const { locale } = consumers[0]
      unmount()
      app.uni.setLocale('en')
      expect(locale.value).toBe('zh-CN')
    })

    it.each([
      ['zh-Hans', 'zh-CN'],
      ['zh', 'zh-CN'],
      ['zh_CN', 'zh-CN'],
      ['zh-Hant', 'zh-Hant'],
      ['en', 'en'],
      ['fr', 'fr'],
    ])('names uni’s %s as %s', (uniLocale, kitLocale) => {
      expect(kitLocaleOf(uniLocale)).toBe(kitLocale)
    })
  })

  it('names each retry button with its visible text in it (WCAG 2.5.3 label in name), in zh-CN and en', () => {
    for (const texts of [chainToolbarZhCN, chainToolbarEn]) {
      for (const key of ['contact.retry', 'chat.retry'] as const) expect(texts[key]).toContain(texts['card.retry'])
    }
  })

  it('has English only when the app passes it: without it, en falls back to zh-CN', () => {
    const { t } = mountKit({ locale: 'en' }, useChainToolbarI18n).consumers[0]
    expect(t('share.button')).toBe('发送到当前聊天')
  })

  it('switches every user of the app at once, reactively', () => {
    const { consumers } = mountKit(
      { messages: en },
      () => {
        const i18n = useChainToolbarI18n()
        return { ...i18n, label: computed(() => i18n.t('card.retry')) }
      },
      2,
    )
    expect(consumers.map((c) => c.label.value)).toEqual(['重试', '重试'])
    consumers[0].setLocale('en')
    expect(consumers.map((c) => c.label.value)).toEqual(['Retry', 'Retry'])
    expect(consumers[1].locale.value).toBe('en')
  })

  it('fills {placeholders}, and leaves unknown ones as they are', () => {
    const { t } = mountKit({ locale: 'en', messages: en }, useChainToolbarI18n).consumers[0]
    expect(t('contact.avatar', { name: 'Li Lei' })).toBe('Avatar of Li Lei')
    expect(t('share.failed', { reason: t('error.TIMEOUT') })).toBe('Not sent: WeCom did not answer; please try again')
    expect(t('contact.avatar')).toBe('Avatar of {name}')
  })

  it('takes the app’s overrides first, per locale, and any key', () => {
    const { t, setLocale } = mountKit(
      { messages: { 'zh-CN': { 'share.button': '发给客户' }, en: { ...chainToolbarEn, 'error.CANCELLED': 'You closed it' } } },
      useChainToolbarI18n,
    ).consumers[0]
    expect(t('share.button')).toBe('发给客户')
    expect(t('card.retry')).toBe('重试')
    setLocale('en')
    expect(t('error.CANCELLED')).toBe('You closed it')
    expect(t('share.button')).toBe('Send to this chat')
  })

  it('falls back: a regional locale to its language, an unknown one to zh-CN, an app language to its own strings', () => {
    const { t, setLocale } = mountKit({ locale: 'en-US', messages: { ...en, ja: { 'card.retry': '再試行' } } }, useChainToolbarI18n)
      .consumers[0]
    expect(t('card.retry')).toBe('Retry')
    setLocale('EN_gb')
    expect(t('card.retry')).toBe('Retry')
    setLocale('zh-TW')
    expect(t('card.retry')).toBe('重试')
    setLocale('fr')
    expect(t('card.retry')).toBe('重试')
    setLocale('ja')
    expect(t('card.retry')).toBe('再試行')
    expect(t('card.loading')).toBe('正在加载…')
    expect(localeChain('en_GB')).toEqual(['en_GB', 'en', 'zh-CN'])
  })

  it('shows an unknown key as itself', () => {
    const { t } = mountKit({}, useChainToolbarI18n).consumers[0]
    expect(t('no.such.key')).toBe('no.such.key')
  })

  it('has a message for every error code and the same keys in zh-CN and en', () => {
    for (const [locale, dictionary] of Object.entries(dictionaries)) {
      for (const code of codes) expect(dictionary[`error.${code}`], `${locale} error.${code}`).toMatch(/\S/)
      expect(Object.keys(dictionary).sort()).toEqual(Object.keys(chainToolbarZhCN).sort())
      for (const text of Object.values(dictionary)) expect(text).toMatch(/\S/)
    }
  })

  it('documents every key with its built-in texts (index.md)', () => {
    const doc = readFileSync(fileURLToPath(import.meta.url).replace(/index\.test\.ts$/, 'index.md'), 'utf8')
    const rows = [...doc.matchAll(/^\| `(\w+\.\w+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1], m[2], m[3]])
    const expected = Object.keys(chainToolbarZhCN).map((k) => [k, (chainToolbarZhCN as any)[k], (chainToolbarEn as any)[k]])
    expect(rows).toEqual(expected)
  })
})
