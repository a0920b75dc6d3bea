import { ChainToolbarError } from './errors'
import type { ChatMessage, ChatMessageType } from './types'

/** Required string fields of each msgtype's body (docs/wecom-host.md §1). */
const BODY_FIELDS: Readonly<Record<ChatMessageType, readonly string[]>> = {
  text: ['content'],
  image: ['mediaid'],
  video: ['mediaid'],
  file: ['mediaid'],
  news: ['link', 'title', 'desc', 'imgUrl'],
  miniprogram: ['appid', 'title', 'imgUrl', 'page'],
}
/** Body fields (of any msgtype) that must be http(s) URLs: the host refuses others (`invalid imgUrl`). */
const URL_FIELDS = ['link', 'imgUrl']

/** `obj[key]` when it is the object's own field (inherited and prototype keys are ignored). */
const ownField = (obj: object, key: string) =>
  Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i

/** Throws INVALID_MESSAGE: "`what` must be `rule`". */
function invalid(what: string, rule: string): never {
  throw new ChainToolbarError('INVALID_MESSAGE', `${what} must be ${rule}`)
}

export function isChatMessageType(value: unknown): value is ChatMessageType {
  return typeof value === 'string' && !!ownField(BODY_FIELDS, value)
}

/**
 * Checks a sendChatMessage payload before anything is sent, and returns a clean copy made of its own
 * fields only (inherited and prototype keys are ignored). Throws INVALID_MESSAGE, also when reading the
 * message throws (a getter, a Proxy).
 */
export function validateChatMessage(input: unknown): ChatMessage {
  try {
    return validate(input)
  } catch (error) {
    if (error instanceof ChainToolbarError) throw error
    throw new ChainToolbarError('INVALID_MESSAGE', 'The message could not be read', { raw: error })
  }
}

function validate(input: unknown): ChatMessage {
  if (!isPlainObject(input)) invalid('The message', 'an object')
  const msgtype = ownField(input, 'msgtype')
  if (!isChatMessageType(msgtype)) invalid('msgtype', `one of ${Object.keys(BODY_FIELDS)}`)
  const body = ownField(input, msgtype)
  if (!isPlainObject(body)) invalid(msgtype, 'an object')
  const clean: Record<string, unknown> = {}
  for (const field of BODY_FIELDS[msgtype]) {
    const value = ownField(body, field)
    if (typeof value !== 'string' || !value) invalid(`${msgtype}.${field}`, 'a non-empty string')
    if (URL_FIELDS.includes(field) && !HTTP_URL.test(value)) invalid(`${msgtype}.${field}`, 'an http(s) URL')
    clean[field] = value
  }
  // The page must end in .html, or WeChat cannot find it (doc 21264); a query may follow.
  if (msgtype === 'miniprogram' && !/\.html$/i.test((clean.page as string).split('?')[0])) invalid('miniprogram.page', 'a .html path')
  const message: Record<string, unknown> = { msgtype, [msgtype]: clean }
  const enterChat = ownField(input, 'enterChat')
  if (enterChat !== undefined) {
    if (typeof enterChat !== 'boolean') invalid('enterChat', 'a boolean')
    message.enterChat = enterChat
  }
  return message as unknown as ChatMessage
}
