import type { ComputedRef } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import { useChainToolbarStore } from '../../src/store'
import type { ChainChatProfile } from '../../src/types'

export interface UseChainChatReturn {
  /** The chain group (互联群) of the current chat; null until known, and off a chain group chat. */
  chatId: ComputedRef<string | null>
  /** From `resolveChat`, when given; null until it answers. */
  profile: ComputedRef<ChainChatProfile | null>
  /** The resolver's failure; `chatId` stays in place. */
  profileError: ComputedRef<Error | null>
  /** True only on `chain_group_chat_tools` with a client ≥ 4.0.12. When false the host is not called.
   * Also true when the entry could not be read: `error` then says why, and `refresh()` retries. */
  isSupported: ComputedRef<boolean>
  isLoading: ComputedRef<boolean>
  /** The read's failure, or the entry's when that could not be read. */
  error: ComputedRef<ChainToolbarError | null>
  /** Reads the chat again (after an error, say). */
  refresh: () => Promise<void>
}

/** The chain group the toolbar was opened from (`getCurCorpGroupChat`). */
export function useChainChat(): UseChainChatReturn {
  const store = useChainToolbarStore()
  void store.ensureChat()
  const { chat, view } = store.context
  // The caller's own copy of this composable's readonly view (made once per store); the action is the store's, as Pinia wraps it.
  return {
    ...view('chat', () => ({ chatId: chat.value, ...chat.state })),
    refresh: store.refreshChat,
  }
}
