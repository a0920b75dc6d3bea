import { computed, type ComputedRef } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import { useChainToolbarStore } from '../../src/store'
import type { Entry } from '../../src/types'

export interface UseEntryReturn {
  /** Where WeCom opened the page from (`getContext().entry`); null outside WeCom and while loading. */
  entry: ComputedRef<Entry | null>
  /** The WeCom client version, or null where unknown. */
  clientVersion: ComputedRef<string | null>
  /** Inside the WeCom client. False at once outside it. */
  isWeCom: ComputedRef<boolean>
  isChainSingle: ComputedRef<boolean>
  isChainGroup: ComputedRef<boolean>
  isLoading: ComputedRef<boolean>
  error: ComputedRef<ChainToolbarError | null>
  /** Starts a new activation: clears entry, contact and chat, and reads them again. */
  refresh: () => Promise<void>
}

/** The entry of the current activation. `getContext` is called once per activation, however many use it. */
export function useEntry(): UseEntryReturn {
  const store = useChainToolbarStore()
  void store.ensureEntry()
  const { entry, isWeCom, view } = store.context
  // The caller's own copy of this composable's readonly view (made once per store); the action is the store's, as Pinia wraps it.
  return {
    ...view('entry', () => ({
      entry: entry.value,
      clientVersion: entry.clientVersion,
      isWeCom: computed(() => isWeCom),
      isChainSingle: computed(() => entry.value.value === 'chain_single_chat_tools'),
      isChainGroup: computed(() => entry.value.value === 'chain_group_chat_tools'),
      isLoading: entry.loading,
      error: entry.error,
    })),
    refresh: store.activate,
  }
}
