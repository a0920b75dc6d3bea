import { ChainToolbarError } from './errors'
import type { ChatMessage, ChatMessageType } from './types'

/** Required string fields of each msgtype's body (WECOM-HOST.md §1). */
const BODY_FIELDS: Readonly<Record<ChatMessageType, readonly string[]>> = {
  text: ['content'],
  image: ['mediaid'],
  video: ['mediaid'],
  file: ['mediaid'],
  news: ['link', 'title', 'desc', 'imgUrl'],
  miniprogram: ['appid', 'title', 'imgUrl', 'page'],
}
/** Fields that must be http(s) URLs: the host refuses others (`invalid imgUrl`). */
const URL_FIELDS: Readonly<Partial<Record<ChatMessageType, readonly string[]>>> = {
  news: ['link', 'imgUrl'],
  miniprogram: ['imgUrl'],
}

const own = (obj: object, key: string) => Object.prototype.hasOwnProperty.call(obj, key)
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i

function invalid(message: string): never {
  throw new ChainToolbarError('INVALID_MESSAGE', message)
}

export function isChatMessageType(value: unknown): value is ChatMessageType {
  return typeof value === 'string' && own(BODY_FIELDS, value)
}

/**
 * Checks a sendChatMessage payload before anything is sent, and returns a clean copy made of its own
 * fields only (inherited and prototype keys are ignored). Throws INVALID_MESSAGE.
 */
export function validateChatMessage(input: unknown): ChatMessage {
  if (!isPlainObject(input)) invalid('The message must be an object: { msgtype, [msgtype]: body }')
  const msgtype = own(input, 'msgtype') ? input.msgtype : undefined
  if (!isChatMessageType(msgtype)) invalid(`Unknown msgtype ${JSON.stringify(msgtype)}: use text, image, video, file, news or miniprogram`)
  const body = own(input, msgtype) ? input[msgtype] : undefined
  if (!isPlainObject(body)) invalid(`A ${msgtype} message needs a "${msgtype}" object`)
  const clean: Record<string, unknown> = {}
  for (const field of BODY_FIELDS[msgtype]) {
    const value = own(body, field) ? body[field] : undefined
    if (typeof value !== 'string' || value.length === 0) invalid(`${msgtype}.${field} must be a non-empty string`)
    clean[field] = value
  }
  for (const field of URL_FIELDS[msgtype] ?? []) {
    if (!HTTP_URL.test(clean[field] as string)) invalid(`${msgtype}.${field} must be an http(s) URL`)
  }
  // The page must end in .html, or WeChat cannot find it (doc 21264); a query may follow.
  if (msgtype === 'miniprogram' && !/\.html$/i.test((clean.page as string).split('?')[0])) invalid('miniprogram.page must end in .html')
  const message: Record<string, unknown> = { msgtype, [msgtype]: clean }
  if (own(input, 'enterChat') && input.enterChat !== undefined) {
    if (typeof input.enterChat !== 'boolean') invalid('enterChat must be a boolean')
    message.enterChat = input.enterChat
  }
  return message as unknown as ChatMessage
}
