import { inMiniProgram } from './render-target'

/**
 * The role attribute the mini program reads besides `role`: `aria-role`. On H5 the DOM reads `role`
 * only, and `aria-role` is an invalid ARIA attribute there, so `:aria-role="mpRole('img')"` leaves it
 * out (Vue drops an attribute whose value is undefined).
 */
export const mpRole = (role: string) => (inMiniProgram ? role : undefined)
