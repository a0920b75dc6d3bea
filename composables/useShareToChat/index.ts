import type { ComputedRef } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import { useChainToolbarStore } from '../../src/store'
import type { ChatMessage } from '../../src/types'

export interface UseShareToChatReturn {
  /** True where the entry can share to its chat (the chat-toolbar entries) on a client that can. */
  isSupported: ComputedRef<boolean>
  isSending: ComputedRef<boolean>
  /**
   * While a share uploads the content its message names: the fraction sent, 0..1, where the platform reports it
   * (else null); null when nothing uploads.
   */
  progress: ComputedRef<number | null>
  /** The last share's failure (not BUSY) in this activation, cleared by the next send and a new activation. */
  error: ComputedRef<ChainToolbarError | null>
  /**
   * Sends `message` into the chat the toolbar was opened from. Rejects with a ChainToolbarError:
   * INVALID_MESSAGE, NOT_IN_WECOM, UNSUPPORTED_ENTRY, BUSY (checked in this order, before any host
   * call), or the host's failure (CANCELLED, NO_PERMISSION, TIMEOUT, …). If the activation ends before the
   * client received the send, it rejects CANCELLED and nothing is sent (never into the new chat).
   * An image, video or file may name its content (`path`, `url`, `blob`) instead of a `mediaid`: it is
   * uploaded first (once while its id is valid; `uploadMedia` / `media` options), checked against WeCom's
   * limits before a byte is sent (INVALID_MESSAGE), and uploaded again once if the host refuses its id.
   */
  share: (message: ChatMessage) => Promise<void>
}

/** Shares text, images, files, news links and mini program cards back into the current chat. */
export function useShareToChat(): UseShareToChatReturn {
  const store = useChainToolbarStore()
  void store.ensureEntry()
  const { share, view } = store.context
  // The caller's own copy of this composable's readonly view (made once per store); the action is the store's, as Pinia wraps it.
  return { ...view('share', () => share), share: store.share }
}
