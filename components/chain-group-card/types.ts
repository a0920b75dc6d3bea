import type { ExtractPublicPropTypes } from 'vue'
import type { ChainChatProfile } from '../../src/types'
import { cardProps, type CardSlots } from '../_shared/props'

/** `customClass`, `customStyle`, `compact` (a one-line variant: the group name and its label side by side). */
export const chainGroupCardProps = cardProps

/** The props of `<chain-group-card>`. */
export type ChainGroupCardProps = ExtractPublicPropTypes<typeof chainGroupCardProps>

/**
 * The slots of `<chain-group-card>`: `default` gets the chatId and the profile `resolveChat` returned,
 * or null (not given, pending or failed); `loading`; `error` with `{ error, retry }`.
 */
export type ChainGroupCardSlots = CardSlots<{ chatId: string; profile: ChainChatProfile | null }>
