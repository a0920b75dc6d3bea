import { computed, proxyRefs, ref, type ComputedRef } from 'vue'
import type { ChainToolbarError } from '../../src/errors'
import { useChainToolbarTheme } from '../../composables/useChainToolbarTheme'
import { mpRole } from './a11y'
import { textOf } from './display'
import { activateOnKey } from './keyboard'
import { cardState } from './props'

/** What a card reads of its composable (useChainContact, useChainChat), and its piece: `contact` or `chatId`. */
interface CardSource<Piece, Profile> {
  contact?: ComputedRef<Piece | null>
  chatId?: ComputedRef<Piece | null>
  profile: ComputedRef<Profile | null>
  isSupported: ComputedRef<boolean>
  isLoading: ComputedRef<boolean>
  error: ComputedRef<ChainToolbarError | null>
  refresh: () => Promise<void>
}

/** The title, the avatar's initials and the subtitle of a loaded card, from the profile's name (trimmed) and the piece. */
type CardLines<Piece, Profile> = (
  name: string | undefined,
  profile: Profile | null,
  piece: Piece,
) => [title: string, initials: string, subtitle: string]

/**
 * The view of a card that the cards' one template reads as `c` (components/_shared/card.html, imported
 * by each card with `<template src>`): the state, the texts, the theme, the error and its retry, the
 * avatar and the lines. A card's own `<script setup>` makes it from its composable:
 * - `name`: the card's class, `uct-<name>-card`; `k`: the prefix of its texts (`<k>.label`, `.error`, `.retry`, `.avatar`);
 * - the default slot gets `contact` or `chatId` (whichever the composable has) and `profile`: the
 *   template binds both names, the other one is undefined (the mini program compiler takes no
 *   `v-bind="object"` and no `:[name]` on a `<slot>`); each card's types.ts declares its own.
 */
export function useCard<Piece, Profile extends { name?: string; avatar?: string }>(
  source: CardSource<Piece, Profile>,
  t: (key: string, params?: Record<string, string>) => string,
  name: 'contact' | 'group',
  k: 'contact' | 'chat',
  lines: CardLines<Piece, Profile>,
) {
  const { profile, error, refresh } = source
  const piece = computed(() => (source.contact ?? source.chatId)!.value)
  const retry = () => refresh()
  /** A picture that failed to load falls back to the initials (until the profile brings another one). */
  const failed = ref<string>()
  const avatar = computed(() => {
    const src = textOf(profile.value?.avatar)
    return src != failed.value ? src : undefined
  })
  return proxyRefs({
    ...source,
    name,
    k,
    t,
    role: mpRole,
    theme: useChainToolbarTheme(),
    state: computed(() => cardState(source.isLoading.value, error.value, piece.value)),
    retry,
    retryKey: (event: KeyboardEvent) => activateOnKey(event, retry),
    avatar,
    avatarFailed: () => (failed.value = avatar.value),
    lines: computed(() => (piece.value == null ? [] : lines(textOf(profile.value?.name), profile.value, piece.value))),
  })
}
