// Test double for @dcloudio/uni-app: its lifecycle hooks call uni's forked Vue (injectHook) and
// throw under plain Vue (docs/development.md). This records each hook so a test can fire it.
import { getCurrentInstance, onUnmounted } from 'vue'

type Hook = (...args: any[]) => unknown
const registered = new Map<string, Set<Hook>>()

function createHook(name: string) {
  return (hook: Hook) => {
    let set = registered.get(name)
    if (!set) registered.set(name, (set = new Set()))
    set.add(hook)
    if (getCurrentInstance()) onUnmounted(() => set!.delete(hook))
  }
}

/** Fires every registered hook of that name (e.g. fireHook('onShow')). */
export function fireHook(name: string, ...args: any[]) {
  for (const hook of [...(registered.get(name) ?? [])]) hook(...args)
}
export function resetHooks() {
  registered.clear()
}

export const onLaunch = createHook('onLaunch')
export const onShow = createHook('onShow')
export const onHide = createHook('onHide')
export const onLoad = createHook('onLoad')
export const onReady = createHook('onReady')
export const onUnload = createHook('onUnload')
export const onPullDownRefresh = createHook('onPullDownRefresh')
export const onShareAppMessage = createHook('onShareAppMessage')
