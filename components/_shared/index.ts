// What the kit's components share, from one place: their base props, options, texts, theme and helpers.
export { useCardTexts, useContactCardTexts, useGroupCardTexts, useShareButtonTexts } from '../../composables/useChainToolbarI18n'
export { useChainToolbarTheme } from './theme'
export { mpRole } from './a11y'
export { defineCard, useCard } from './card'
export { initialsOf, textOf } from './display'
export { useHandOver } from './hand-over'
export { activateOnKey } from './keyboard'
export { baseProps, componentOptions } from './props'
