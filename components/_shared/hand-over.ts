import { computed, shallowRef, useSlots, watch, type ComputedRef } from 'vue'
import { inMiniProgram } from './render-target'

/** A page's slot and the value its props carry (a contact, a chatId, an error, an entry). */
export interface SlotValue {
  slot: string
  value: unknown
}

/**
 * Mini program only: a page's scoped slot never shows the previous chat's value. uni hands a scoped slot's
 * props to the page a tick after the component renders the slot (docs/development.md, "Scoped slots in the
 * mini program"): shown at once, the page's slot showed the value it was last given for one render. So a
 * component first renders a new value into the page's slot out of sight, and shows it a task later, once the
 * page has it. `now`: the slot the component would show and its value (null: none of the page's slots);
 * a slot first shown with no value (the gate outside WeCom) needs no hand-over.
 * Returns the name of the slot being handed over ('' when none); the component shows its loading state
 * meanwhile, with that slot inside a `display: none` view. Never in an app's own page tests, which run no
 * uni build: there the components render as on H5.
 */
export function useHandOver(now: () => SlotValue | null): ComputedRef<string> {
  const slots = useSlots()
  const handed = shallowRef<SlotValue | null>(null)
  const handing = computed(() => {
    const next = inMiniProgram ? now() : null
    if (!next || !slots[next.slot]) return ''
    // Before the first hand-over the page's slots have no props: nothing to hand over for no value.
    const given = handed.value ? handed.value.slot === next.slot && handed.value.value === next.value : next.value == null
    return given ? '' : next.slot
  })
  // A task, not a tick: uni sets the page's slot data in ticks after the component's render.
  watch(handing, (slot) => slot && setTimeout(() => (handed.value = now())), { flush: 'post' })
  return handing
}
