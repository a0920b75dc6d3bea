import type { ExtractPublicPropTypes, PropType } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import type { Entry } from '../../src/types'
import { baseProps } from '../_shared/props'

export const chainEntryGateProps = {
  /** `customClass` / `customStyle`: for the default loading skeleton, the gate's only element. */
  ...baseProps,
  /** The entries (`getContext().entry`) the default slot is for, e.g. `['chain_single_chat_tools', 'chain_group_chat_tools']`. */
  entries: { type: Array as PropType<Entry[]>, required: true },
} as const

/** The props of `<chain-entry-gate>`. */
export type ChainEntryGateProps = ExtractPublicPropTypes<typeof chainEntryGateProps>

/** The slots of `<chain-entry-gate>`. While the entry is read, `loading` renders (neither of the others). */
export interface ChainEntryGateSlots {
  /** The page was opened from one of `entries`. */
  default?(props: { entry: Entry }): any
  /** Any other entry, or outside WeCom (`entry` null). */
  fallback?(props: { entry: Entry | null }): any
  /**
   * The entry could not be read (`useEntry().error`): not another entry, so not the fallback. Default: what
   * happened, by who can fix it (the page's setup: the app's developer; a permission: an admin), and a retry.
   */
  error?(props: { error: ChainToolbarError; retry: () => Promise<void> }): any
  /** Inside WeCom while the entry is read. Default: a one-line skeleton announced as loading. */
  loading?(props: Record<string, never>): any
}
