import type { ExtractPublicPropTypes, PropType } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import type { ChatMessage } from '../../src/types'

export const shareToChatButtonProps = {
  /** The `sendChatMessage` payload (`msgtype` + body, optional `enterChat`). Checked before anything is sent. */
  message: { type: Object as PropType<ChatMessage>, required: true },
  /** The button's text. Default: the locale's `share.button` (发送到当前聊天 / Send to this chat). */
  text: { type: String, default: undefined },
  /** Disables the button (it is disabled anyway while a message is being sent). */
  disabled: { type: Boolean, default: false },
} as const

/** The props of `<share-to-chat-button>`. */
export type ShareToChatButtonProps = ExtractPublicPropTypes<typeof shareToChatButtonProps>

/** The events of `<share-to-chat-button>`. */
export type ShareToChatButtonEmits = {
  /** The host confirmed the message (it is in the chat). */
  sent: [message: ChatMessage]
  /** Nothing or not all was sent: INVALID_MESSAGE (checked first: nothing reaches the host), CANCELLED, NO_PERMISSION, TIMEOUT, … */
  error: [error: ChainToolbarError]
}
