import { ChainToolbarError } from './errors'
import type { ChatMessage, ChatMessageType } from './types'

/** Required string fields of each msgtype's body (docs/wecom-host.md §1); the simulator checks the same. */
export const BODY_FIELDS: Readonly<Record<ChatMessageType, readonly string[]>> = {
  text: ['content'],
  image: ['mediaid'],
  video: ['mediaid'],
  file: ['mediaid'],
  news: ['link', 'title', 'desc', 'imgUrl'],
  miniprogram: ['appid', 'title', 'imgUrl', 'page'],
}
/** Where an image, video or file message may name its content instead of a `mediaid` (docs/media.md). */
const MEDIA_SOURCES = ['path', 'url', 'blob']
const HTTP_URL = /^https?:\/\/[^\s/?#]+\S*$/i
/** `obj[key]` when it is the object's own field (inherited and prototype keys are ignored). */
const ownField = (obj: object, key: string) => ({}).hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined
const isPlainObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value == 'object' && !Array.isArray(value)

/** Throws INVALID_MESSAGE: "`what` must be `rule`". */
function invalid(what: string, rule: string): never {
  throw new ChainToolbarError('INVALID_MESSAGE', `${what} must be ${rule}`)
}

/**
 * Checks a sendChatMessage payload before anything is sent, and returns a clean copy made of its own
 * fields only (inherited and prototype keys are ignored). Throws INVALID_MESSAGE, also when reading the
 * message throws (a getter, a Proxy).
 */
export function validateChatMessage(input: unknown): ChatMessage {
  try {
    if (!isPlainObject(input)) invalid('The message', 'an object')
    const msgtype = ownField(input, 'msgtype') as ChatMessageType
    const fields = typeof msgtype == 'string' && (ownField(BODY_FIELDS, msgtype) as readonly string[] | undefined)
    if (!fields) invalid('msgtype', `one of ${Object.keys(BODY_FIELDS)}`)
    const body = ownField(input, msgtype)
    if (!isPlainObject(body)) invalid(msgtype, 'an object')
    const clean: Record<string, unknown> = {}
    const source = fields[0] == 'mediaid' ? MEDIA_SOURCES.filter((field) => ownField(body, field) !== undefined) : []
    if (source.length) {
      // Content to upload first (docs/media.md): exactly one source, and an optional display name.
      if (source.length > 1 || ownField(body, 'mediaid') !== undefined) invalid(msgtype, 'only one of mediaid, path, url, blob')
      const field = source[0]
      const value = ownField(body, field)
      const what = `${msgtype}.${field}`
      if (field == 'blob') {
        if (typeof Blob == 'undefined' || !(value instanceof Blob)) invalid(what, 'a Blob or File')
      } else if (typeof value != 'string' || !value) invalid(what, 'a non-empty string')
      else if (field == 'url' && !HTTP_URL.test(value)) invalid(what, 'an http(s) URL')
      const name = ownField(body, 'name')
      if (name !== undefined && (typeof name != 'string' || !name)) invalid(`${msgtype}.name`, 'a non-empty string')
      clean[field] = value
      if (name) clean.name = name
    }
    for (const field of source.length ? [] : fields) {
      const value = ownField(body, field)
      const what = `${msgtype}.${field}`
      if (typeof value != 'string' || !value) invalid(what, 'a non-empty string')
      // The host refuses other URLs (`invalid imgUrl`).
      if ((field == 'link' || field == 'imgUrl') && !HTTP_URL.test(value)) invalid(what, 'an http(s) URL')
      // The page must end in .html, or WeChat cannot find it (doc 21264); a query may follow.
      if (field == 'page' && !/^[^?]*\.html(\?|$)/i.test(value)) invalid(what, 'a .html path')
      clean[field] = value
    }
    const message: Record<string, unknown> = { msgtype, [msgtype]: clean }
    const enterChat = ownField(input, 'enterChat')
    if (enterChat !== undefined) {
      if (typeof enterChat != 'boolean') invalid('enterChat', 'a boolean')
      message.enterChat = enterChat
    }
    return message as unknown as ChatMessage
  } catch (error) {
    if (error instanceof ChainToolbarError) throw error
    throw new ChainToolbarError('INVALID_MESSAGE', 'The message could not be read', { raw: error })
  }
}
