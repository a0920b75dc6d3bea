import type { ExtractPublicPropTypes } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import type { ChainContact, ChainContactProfile } from '../../src/types'
import { baseProps } from '../_shared/props'

export const chainContactCardProps = {
  ...baseProps,
  /** One line for a page header: a small avatar, then the name and the corp side by side. */
  compact: { type: Boolean, default: false },
} as const

/** The props of `<chain-contact-card>`. */
export type ChainContactCardProps = ExtractPublicPropTypes<typeof chainContactCardProps>

/** The slots of `<chain-contact-card>`; each replaces the card's content (the card itself stays). */
export interface ChainContactCardSlots {
  /** The loaded state. `profile` is what `resolveContact` returned, or null (not given, pending or failed). */
  default?(props: { contact: ChainContact; profile: ChainContactProfile | null }): any
  /** While the contact is read. */
  loading?(props: Record<string, never>): any
  /** The read failed; `retry()` starts a new read. */
  error?(props: { error: ChainToolbarError; retry: () => Promise<void> }): any
}
