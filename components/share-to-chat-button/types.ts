import type { ExtractPublicPropTypes, PropType } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import type { ChatMessage } from '../../src/types'
import { baseProps } from '../_shared/props'

export const shareToChatButtonProps = {
  ...baseProps,
  /** The `sendChatMessage` payload (`msgtype` + body, optional `enterChat`). Checked before anything is sent. */
  message: { type: Object as PropType<ChatMessage>, required: true },
  /** The button's text. Default: the locale's `share.button` (发送到当前聊天 / Send to this chat). */
  text: { type: String, default: undefined },
  /** Disables the button (it is disabled anyway while a message is being sent). */
  disabled: { type: Boolean, default: false },
  /** As wide as the parent (the button and the outcome line under it). */
  block: { type: Boolean, default: false },
  /** uni's `<button>` sizes: `default`, or `mini` (smaller text, a 32 px hit target). */
  size: { type: String as PropType<'default' | 'mini'>, default: 'default' },
} as const

/** The props of `<share-to-chat-button>`. */
export type ShareToChatButtonProps = ExtractPublicPropTypes<typeof shareToChatButtonProps>

/**
 * The events of `<share-to-chat-button>`, declared as values: a type-only `defineEmits<…>()` of an imported
 * type needs TypeScript installed to compile, and a JavaScript project compiles the kit's components too.
 */
export const shareToChatButtonEmits = {
  sent: (_message: ChatMessage) => true,
  error: (_error: ChainToolbarError) => true,
}

/** The events of `<share-to-chat-button>`. */
export type ShareToChatButtonEmits = {
  /** The host confirmed the message (it is in the chat). */
  sent: [message: ChatMessage]
  /** Nothing or not all was sent: INVALID_MESSAGE (checked first: nothing reaches the host), CANCELLED, NO_PERMISSION, TIMEOUT, … */
  error: [error: ChainToolbarError]
}

/** The slots of `<share-to-chat-button>`. */
export interface ShareToChatButtonSlots {
  /**
   * The button's content (default: `text`, or "正在发送…" while this button sends, with the upload's percent
   * while it uploads content the message names). `progress`: that percent (0–100), or null.
   */
  default?(props: { sending: boolean; progress: number | null }): any
}
