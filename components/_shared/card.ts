import { computed, defineComponent, ref, shallowRef, useSlots, watch, type ComputedRef, type SlotsType } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import { useChainToolbarTheme } from '../../composables/useChainToolbarTheme'
import { mpRole } from './a11y'
import { inMiniProgram } from './render-target'
import { textOf } from './display'
import { activateOnKey } from './keyboard'
import { cardProps, cardState, componentOptions } from './props'

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

/**
 * What the cards' one template (components/_shared/card.html) reads: state, texts, theme, error and
 * retry, avatar and lines. A card's script makes it from its composable and what is its own:
 * - `name`: its class, `uct-<name>-card`; `kind`: the prefix of its texts (`<kind>.label`, `.error`, `.retry`, `.avatar`);
 * - `lines`: what the loaded card shows;
 * - the default slot gets `contact` and `chatId` (the composable's; the other card's is undefined) and
 *   `profile`. Each card's types.ts declares its own two: uni's mini program compiler takes neither
 *   `v-bind="object"` nor `:[name]` on a `<slot>`, so the one template names both.
 */
export function useCard<Piece, Profile extends { name?: string; avatar?: string }>(
  source: CardSource<Piece, Profile>,
  t: (key: string, params?: Record<string, string>) => string,
  name: 'contact' | 'group',
  kind: 'contact' | 'chat',
  lines: CardLines<Piece, Profile>,
) {
  const { contact, chatId, profile, error, refresh } = source
  const piece = computed(() => (contact ?? chatId)!.value)
  const retry = () => refresh()
  /** A picture that failed to load falls back to the initials (until the profile brings another one). */
  const failed = ref<string>()
  const avatar = computed(() => {
    const src = textOf(profile.value?.avatar)
    return src != failed.value ? src : undefined
  })
  const view = {
    ...source,
    contact,
    chatId,
    name,
    kind,
    t,
    role: mpRole,
    theme: useChainToolbarTheme(),
    state: computed(() => cardState(source.isLoading.value, error.value, piece.value)),
    retry,
    retryKey: (event: KeyboardEvent) => activateOnKey(event, retry),
    avatar,
    failed,
    // Read by the loaded state only, where the piece is there.
    lines: computed(() => lines(textOf(profile.value?.name), profile.value, piece.value!)),
  }
  // #ifdef MP
  Object.assign(view, handsOver(view.state, piece, error))
  // #endif
  return view
}

type CardState = ReturnType<typeof cardState>

/**
 * Mini program only: a page's slot never shows the previous chat's piece or error. uni hands a scoped
 * slot's props to the page a tick after the card renders the slot (docs/development.md, "Scoped slots in
 * the mini program"): a card that showed a new piece (or error) at once showed the page's slot with the
 * previous one for one render. So, for the slots the page gives, the card first renders a new piece into
 * the default slot (a new error into the error slot) out of sight (`handing`: which slot; the card still
 * shows its loading state), and shows it a task later, once the page has it.
 */
function handsOver<Piece>(read: ComputedRef<CardState>, piece: ComputedRef<Piece | null>, error: ComputedRef<unknown>) {
  const slots = useSlots()
  // Not in an app's own page tests, which run no uni build: their components render as on H5.
  if (!inMiniProgram || !(slots.default || slots.error)) return { state: read, handing: '' }
  /** What the page's slot shows in the state read: the piece (default slot), the error (error slot). */
  const shown = () => (read.value == 'loaded' ? slots.default && piece.value : read.value == 'error' && slots.error && error.value)
  const handed = shallowRef<unknown>(null)
  const handing = computed(() => {
    const now = shown()
    return now && now !== handed.value ? (read.value == 'error' ? 'error' : 'default') : ''
  })
  // A task, not a tick: uni sets the page's slot data in ticks after the card's render.
  watch(handing, (now) => now && setTimeout(() => (handed.value = shown())), { flush: 'post' })
  return { state: computed<CardState>(() => (handing.value ? 'loading' : read.value)), handing }
}

/**
 * A card: the component around a `useCard` view, with the cards' props and options and the card's own
 * slot types. Its .vue file gives it the one template, `<template src="../_shared/card.html">`, and in
 * the mini program build (`#ifdef MP`) a scoped style with no rule: @vitejs/plugin-vue compiles a `src`
 * template once per importer only for an importer with a scoped style (else once, for whichever card
 * came last), and the mini program needs each card's own .wxml (without it the contact card had none and
 * rendered nothing on WeChat's framework). uni's H5 build scopes every component style by itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Vue's SlotsType takes them (the cards' are an interface)
export const defineCard = <Slots extends Record<string, any>>(name: string, setup: () => ReturnType<typeof useCard>) =>
  defineComponent({ name, ...componentOptions, props: cardProps, slots: Object as SlotsType<Slots>, setup })
