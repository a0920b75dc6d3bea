import type { ExtractPublicPropTypes } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import type { ChainChatProfile } from '../../src/types'
import { baseProps } from '../_shared/props'

export const chainGroupCardProps = {
  ...baseProps,
  /** One line for a page header: a small avatar, then the group name and its label side by side. */
  compact: { type: Boolean, default: false },
} as const

/** The props of `<chain-group-card>`. */
export type ChainGroupCardProps = ExtractPublicPropTypes<typeof chainGroupCardProps>

/** The slots of `<chain-group-card>`; each replaces the card's content (the card itself stays). */
export interface ChainGroupCardSlots {
  /** The loaded state. `profile` is what `resolveChat` returned, or null (not given, pending or failed). */
  default?(props: { chatId: string; profile: ChainChatProfile | null }): any
  /** While the group is read. */
  loading?(props: Record<string, never>): any
  /** The read failed; `retry()` starts a new read. */
  error?(props: { error: ChainToolbarError; retry: () => Promise<void> }): any
}
