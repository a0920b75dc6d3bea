import type { ComputedRef } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import { useChainToolbarStore } from '../../src/store'
import type { ChainContact, ChainContactProfile } from '../../src/types'

export interface UseChainContactReturn {
  /** The chain contact of the current single chat; null until known, and off a chain single chat. */
  contact: ComputedRef<ChainContact | null>
  /** From `resolveContact`, when given; null until it answers. */
  profile: ComputedRef<ChainContactProfile | null>
  /** The resolver's failure; `contact` stays in place. */
  profileError: ComputedRef<Error | null>
  /** True only on `chain_single_chat_tools` with a client ≥ 4.0.8. When false the host is not called.
   * Also true when the entry could not be read: `error` then says why, and `refresh()` retries. */
  isSupported: ComputedRef<boolean>
  isLoading: ComputedRef<boolean>
  /** The read's failure, or the entry's when that could not be read. */
  error: ComputedRef<ChainToolbarError | null>
  /** Reads the contact again (after an error, say). */
  refresh: () => Promise<void>
}

/** The upstream/downstream contact of the chat the toolbar was opened from (`getCurCorpGroupContact`). */
export function useChainContact(): UseChainContactReturn {
  const store = useChainToolbarStore()
  void store.ensureContact()
  const { contact, view } = store.context
  // The caller's own copy of this composable's readonly view (made once per store); the action is the store's, as Pinia wraps it.
  return {
    ...view('contact', () => ({ contact: contact.value, ...contact.state })),
    refresh: store.refreshContact,
  }
}
