import type { ChainToolbarMessages } from '../i18n'

/**
 * The components' strings in English. Not built in: pass it as the `en` messages,
 * `createChainToolbar({ locale: 'en', messages: { en: chainToolbarEn } })`, and `en-*` locales use it too.
 */
export const chainToolbarEn: ChainToolbarMessages = {
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
  'error.setup': "This page is not set up for this chat yet; tell the app's developer",
  'card.loading': 'Loading…',
  'card.retry': 'Retry',
  'contact.label': 'Chain contact',
  'contact.avatar': 'Avatar of {name}',
  'contact.error': "Couldn't load the contact",
  'contact.retry': 'Retry loading the contact',
  'chat.label': 'Interconnected group',
  'chat.avatar': 'Avatar of the group {name}',
  'chat.initial': 'G',
  'chat.error': "Couldn't load the group",
  'chat.retry': 'Retry loading the group',
  'share.button': 'Send to this chat',
  'share.sending': 'Sending…',
  'share.sent': 'Sent',
  'share.failed': 'Not sent: {reason}',
}
