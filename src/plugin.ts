import { ref, type App, type Plugin } from 'vue'
import type { Pinia } from 'pinia'
import { createPlatformHost } from './host/platform'
import { DEFAULT_LOCALE, resolveOptions } from './options'
import { createProfileCache } from './profile-cache'
import { attachRuntime, CHAIN_TOOLBAR_KEY, type ChainToolbarRuntime } from './runtime'
import { useChainToolbarStore } from './store'
import type { ChainToolbarOptions } from './types'

/**
 * The kit's Vue plugin. Install it after Pinia:
 * `app.use(Pinia.createPinia()); app.use(createChainToolbar({ miniProgram, web, resolveContact }))`.
 * The host is the one the app was built for (mini program → wx.qy, H5 → @wecom/jssdk); `options.host` overrides it.
 * Installed on several apps, each app gets its own runtime (host session, listeners, profile cache).
 */
export function createChainToolbar(appOptions: ChainToolbarOptions = {}): Plugin {
  const options = resolveOptions(appOptions)
  return {
    install(app: App) {
      const runtime: ChainToolbarRuntime = {
        host: options.host ?? createPlatformHost(options),
        options,
        profiles: createProfileCache(options.profileCache),
        locale: ref(options.locale ?? DEFAULT_LOCALE),
        messages: ref(options.messages ?? {}),
        cleanups: new Set(),
      }
      app.provide(CHAIN_TOOLBAR_KEY, runtime)
      const pinia = app.config.globalProperties.$pinia as Pinia | undefined
      attachRuntime(pinia, runtime)
      // Everything the first activation needs is known now (the page URL, the SDK, the entry to ask for):
      // start it while uni boots and loads the first page, inside WeCom only. Only the entry is read; the
      // contact and the chat wait for a consumer (nothing is read that no page uses). Pinia installed
      // after the kit: the first consumer starts it, as before.
      if (pinia && options.startAtInstall !== false && runtime.host.isWeCom) void useChainToolbarStore(pinia).ensureEntry()
      // Vue 3.4 has no app.onUnmount: leave no listener behind when the app goes away.
      const unmount = app.unmount
      app.unmount = function (this: App) {
        for (const cleanup of [...runtime.cleanups]) cleanup()
        runtime.cleanups.clear()
        return unmount.call(this)
      }
    },
  }
}
