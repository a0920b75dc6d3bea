import type { ExtractPublicPropTypes } from 'vue'
import type { ChainContact, ChainContactProfile } from '../../src/types'
import { cardProps, type CardSlots } from '../_shared/props'

/** `customClass`, `customStyle`, `compact` (a one-line variant: the name and the corp side by side). */
export const chainContactCardProps = cardProps

/** The props of `<chain-contact-card>`. */
export type ChainContactCardProps = ExtractPublicPropTypes<typeof chainContactCardProps>

/**
 * The slots of `<chain-contact-card>`: `default` gets the contact and the profile `resolveContact`
 * returned, or null (not given, pending or failed); `loading`; `error` with `{ error, retry }`.
 */
export type ChainContactCardSlots = CardSlots<{ contact: ChainContact; profile: ChainContactProfile | null }>
