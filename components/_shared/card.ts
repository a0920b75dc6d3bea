import { computed, defineComponent, effectScope, ref, type ComputedRef, type SlotsType } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import { errorKey } from '../../src/i18n'
import { mpRole } from './a11y'
import { textOf } from './display'
import { useHandOver } from './hand-over'
import { activateOnKey } from './keyboard'
import { cardProps, cardState, componentOptions } from './props'
import { useChainToolbarTheme } from './theme'

/** What a card reads of its composable (useChainContact, useChainChat); its piece is `contact` or `chatId`. */
interface CardSource<Piece, Profile> {
  contact?: ComputedRef<Piece | null>
  chatId?: ComputedRef<Piece | null>
  profile: ComputedRef<Profile | null>
  isSupported: ComputedRef<boolean>
  isLoading: ComputedRef<boolean>
  error: ComputedRef<ChainToolbarError | null>
  refresh: () => Promise<void>
}

/** A loaded card's title, avatar initials and subtitle, from the profile's name (trimmed), the profile and the piece. */
type CardLines<Piece, Profile> = (
  name: string | undefined,
  profile: Profile | null,
  piece: Piece,
) => [title: string, initials: string, subtitle: string]

/** What a card's script gives `useCard`: its composable and what is its own. */
export interface UseCardOptions<Piece, Profile> {
  /** The card's composable (useChainContact(), useChainChat()). */
  source: CardSource<Piece, Profile>
  /** The card's texts. */
  t: (key: string, params?: Record<string, string>) => string
  /** Its class, `uct-<name>-card`. */
  name: 'contact' | 'group'
  /** The prefix of its texts (`<kind>.label`, `.error`, `.retry`, `.avatar`). */
  kind: 'contact' | 'chat'
  /** What the loaded card shows. */
  lines: CardLines<Piece, Profile>
}

/** The part of a card's view that every card over one composable shares (keyed by the composable's piece ref). */
const shared = new WeakMap<object, { state: ComputedRef<'loading' | 'error' | 'loaded'>; lines: ComputedRef<[string, string, string]> }>()

/**
 * What the cards' one template (in each card's .vue) reads: state, texts, theme, error and
 * retry, avatar and lines. A card's script makes it from its composable and its options:
 * - `name`: its class, `uct-<name>-card`; `kind`: the prefix of its texts (`<kind>.label`, `.error`, `.retry`, `.avatar`);
 * - `lines`: what the loaded card shows;
 * - the default slot gets `contact` and `chatId` (the composable's; the other card's is undefined) and
 *   `profile`. Each card's types.ts declares its own two: uni's mini program compiler takes neither
 *   `v-bind="object"` nor `:[name]` on a `<slot>`, so the one template names both.
 */
export function useCard<Piece, Profile extends { name?: string; avatar?: string }>({
  source,
  t,
  name,
  kind,
  lines,
}: UseCardOptions<Piece, Profile>) {
  const { contact, chatId, profile, error, refresh } = source
  // The piece (contact or chatId): already a computed ref of the composable.
  const piece = (contact ?? chatId)!
  /** A picture that failed to load falls back to the initials (until the profile brings another one). */
  const failed = ref<string>()
  const avatar = computed(() => {
    const src = textOf(profile.value?.avatar)
    return src != failed.value ? src : undefined
  })
  // What every card over this composable shows alike is made once, not per card: the composable's refs are
  // the store's (src/view.ts), so 100 cards share one state and one set of lines. In a scope of its own, so
  // that no card's unmount stops them.
  let alike = shared.get(piece)
  if (!alike)
    shared.set(
      piece,
      (alike = effectScope(true).run(() => ({
        state: computed(() => cardState(source.isLoading.value, error.value, piece.value)),
        // Read by the loaded state only, where the piece is there.
        lines: computed(() => lines(textOf(profile.value?.name), profile.value, piece.value!)),
      }))!),
    )
  const retry = () => refresh()
  const view = {
    // What the template reads of the composable (its slots: the piece and the profile), not a copy of all of it.
    isSupported: source.isSupported,
    error,
    profile,
    contact,
    chatId,
    name,
    kind,
    t,
    role: mpRole,
    theme: useChainToolbarTheme(),
    errorKey,
    avatar,
    failed,
    retry,
    retryKey: (event: KeyboardEvent) => activateOnKey(event, retry),
    ...alike,
  }
  // #ifdef MP
  // The page's default slot gets a new piece, its error slot a new error, out of sight first (useHandOver);
  // the card shows its loading state meanwhile.
  const read = view.state
  const handing = useHandOver(() =>
    read.value == 'loaded' ? { slot: 'default', value: piece.value } : read.value == 'error' ? { slot: 'error', value: error.value } : null,
  )
  Object.assign(view, { handing, state: computed(() => (handing.value ? 'loading' : read.value)) })
  // #endif
  // `handing`: the mini program's only (the template reads it inside `#ifdef MP`).
  return view as typeof view & { handing?: ComputedRef<string> }
}

/**
 * A card: the component around a `useCard` view, with the cards' props and options and the card's own
 * slot types. Its .vue file holds the one template, written out (uni's H5 build turns `<view>`, `<image>`…
 * into its built-in components only in a `.vue` file's own template: docs/development.md).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Vue's SlotsType takes them (the cards' are an interface)
export const defineCard = <Slots extends Record<string, any>>(name: string, setup: () => ReturnType<typeof useCard>) =>
  defineComponent({ name, ...componentOptions, props: cardProps, slots: Object as SlotsType<Slots>, setup })
