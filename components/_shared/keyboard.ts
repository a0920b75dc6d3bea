/**
 * Enter and Space activate a button from the keyboard. On H5 uni renders `<button>` as `<uni-button>`,
 * which handles clicks only; the mini program has no keyboard events, so this is inert there. The
 * default is prevented so a native button (or a future uni) does not click a second time.
 * Call it from a function declaration (`function retryKey(event) { activateOnKey(event, retry) }`): the
 * template then binds that function as it is.
 */
export function activateOnKey(event: KeyboardEvent, activate: () => unknown) {
  if (event.key !== 'Enter' && event.key !== ' ') return
  event.preventDefault()
  void activate()
}
