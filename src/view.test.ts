// The composables' views: readonly, made once per store, shared by every caller, outliving each caller.
import { effectScope, isReadonly, ref } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import { createViews, readonlyView } from './view'

describe('readonlyView', () => {
  it('reads the refs it views, and cannot write them', () => {
    const entry = ref<string | null>(null)
    const view = readonlyView({ entry })
    expect(isReadonly(view.entry)).toBe(true)
    entry.value = 'chain_single_chat_tools'
    expect(view.entry.value).toBe('chain_single_chat_tools')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    ;(view.entry as unknown as { value: string }).value = 'normal'
    expect(entry.value).toBe('chain_single_chat_tools')
    expect(warn).toHaveBeenCalled()
  })
})

describe('createViews', () => {
  it('makes a view once: every caller gets the same computed refs, which keep following after a caller’s scope stops', () => {
    const store = effectScope(true)
    const entry = ref<string | null>(null)
    const view = store.run(() => createViews())!
    let builds = 0
    const build = () => (builds++, { entry })
    const callers = Array.from({ length: 100 }, () => effectScope(true))
    const seen = callers.map((caller) => caller.run(() => view('entry', build))!)
    expect(builds).toBe(1)
    for (const one of seen) expect(one.entry).toBe(seen[0].entry)
    for (const caller of callers) caller.stop()
    entry.value = 'chain_group_chat_tools'
    expect(seen[0].entry.value).toBe('chain_group_chat_tools')
    store.stop()
  })
})
