// uni replaces `process.env.UNI_PLATFORM` with a string at build time; declared here so that an app's
// type check needs no Node types (a src/-layout app from uni's template has none).
declare const process: { env: { UNI_PLATFORM?: string } }

/**
 * True where uni's mini program runtime renders the components. Not in H5, and not in an app's own page
 * tests, which compile the components with no uni build (no #ifdef applied) and render them as H5 does.
 */
export const inMiniProgram = process.env.UNI_PLATFORM == 'mp-weixin'
