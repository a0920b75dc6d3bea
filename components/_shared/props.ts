import type { ChainToolbarError } from '../../src/errors'

/**
 * The props every component with an element takes (wot-design-uni's `baseProps`): a class and a style
 * for its root, which reach it in the mini program too, where the component is a virtual host and a
 * `class` / `style` on its tag would need `mergeVirtualHostAttributes`.
 */
export const baseProps = {
  /** Classes for the component's root element. */
  customClass: { type: String, default: '' },
  /** Inline style for the component's root element. */
  customStyle: { type: String, default: '' },
} as const

/**
 * The mini program options of every component: no wrapper element (so "renders nothing" leaves
 * nothing, and the gate adds no node), and the theme's classes and variables reach it from the page.
 */
export const componentOptions = { options: { virtualHost: true, styleIsolation: 'shared' as const } }

/** The props of both cards: `compact`, one line for a page header (a small avatar, then the two lines side by side). */
export const cardProps = {
  ...baseProps,
  /** One line for a page header: a small avatar, then the title and the subtitle side by side. */
  compact: { type: Boolean, default: false },
} as const

/** The slots of both cards; each replaces the card's content (the card itself stays). */
export interface CardSlots<Loaded> {
  /** The loaded state. */
  default?(props: Loaded): any
  /** While the card's piece is read. */
  loading?(props: Record<string, never>): any
  /** The read failed; `retry()` starts a new read. */
  error?(props: { error: ChainToolbarError; retry: () => Promise<void> }): any
}

/** A card's state: loading until its piece (or an error) is there. */
export function cardState(isLoading: boolean, error: unknown, piece: unknown): 'loading' | 'error' | 'loaded' {
  return isLoading || !(error || piece) ? 'loading' : error ? 'error' : 'loaded'
}
