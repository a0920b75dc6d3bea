/**
 * The role attribute the mini program reads besides `role`: `aria-role`. On H5 the DOM reads `role`
 * only, and `aria-role` is an invalid ARIA attribute there, so `:aria-role="mpRole('img')"` leaves it
 * out (Vue drops an attribute whose value is undefined). uni defines process.env.UNI_PLATFORM in every build.
 */
// uni replaces `process.env.UNI_PLATFORM` with a string at build time; declared here so that an app's
// type check needs no Node types (a src/-layout app from uni's template has none).
declare const process: { env: { UNI_PLATFORM?: string } }

export const mpRole = (role: string) => (process.env.UNI_PLATFORM == 'mp-weixin' ? role : undefined)
