import { computed, getCurrentScope, isReadonly, type ComputedRef, type Ref } from 'vue'

/** A readonly view of some refs: what a composable hands out (computed refs are readonly already). */
export type ReadonlyView<T> = { readonly [K in keyof T]: ComputedRef<T[K] extends Ref<infer V> ? V : never> }

/** A readonly view over refs (as Pinia's `storeToRefs`, but readonly): a writable ref is read through a computed one. */
export function readonlyView<T extends Record<string, Ref<unknown>>>(refs: T): ReadonlyView<T> {
  const view: Record<string, Ref<unknown>> = {}
  for (const key in refs) view[key] = isReadonly(refs[key]) ? refs[key] : computed(() => refs[key].value)
  return view as ReadonlyView<T>
}

/** Makes (the first time) or returns the readonly view `name` over the refs `build` returns. */
export type Views = <T extends Record<string, Ref<unknown>>>(name: string, build: () => T) => ReadonlyView<T>

/**
 * The views the composables hand out, made once per store. Created in the store's setup; `view(name, build)`
 * makes the readonly view of the refs `build` returns the first time, in the store's effect scope, and returns
 * that view from then on: a composable's callers only copy it, so 100 callers share its computed refs, and a
 * caller's unmount stops none of them.
 */
export function createViews(): Views {
  const scope = getCurrentScope()!
  const views: Record<string, unknown> = {}
  return (name, build) => (views[name] ??= scope.run(() => readonlyView(build()))) as never
}
