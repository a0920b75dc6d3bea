import { markRaw } from 'vue'
import { defineStore, type Pinia } from 'pinia'
import { createActivation } from './activation'
import { createChainPiece, createEntry } from './context'
import { resolveRuntime } from './runtime'
import { createSharing } from './share'
import { createViews } from './view'

/**
 * The current activation of the toolbar page: entry, client version, chain contact, chain chat, and the
 * share in flight — state and actions, composed of its parts: the activation (src/activation.ts), the
 * pieces of its context (src/context.ts, each a src/piece.ts), sharing (src/share.ts). One store per app
 * (id `chain-toolbar`). The activation's context is held in refs outside Pinia's `state` (`context`,
 * markRaw): persisted-state plugins, SSR hydration and `$patch` cannot restore or write it. Each composable
 * builds its own readonly view of it, once per store (`context.view`, src/view.ts).
 */
const defineChainToolbarStore = defineStore('chain-toolbar', () => {
  const runtime = resolveRuntime()
  const { host, options } = runtime
  const activation = createActivation(host, options.timeoutMs, runtime.cleanups)
  const entry = createEntry(host, activation)
  const parts = { host, activation, entry, profiles: runtime.profiles }
  const contact = createChainPiece(
    parts,
    'getCurCorpGroupContact',
    ['corpId', 'userId'],
    (a) => ({ corpId: a.corpId, userId: a.userId }),
    options.resolveContact,
  )
  const chat = createChainPiece(parts, 'getCurCorpGroupChat', ['chatId'], (a) => a.chatId, options.resolveChat)
  const sharing = createSharing(host, activation, entry, options)
  activation.parts.push(entry, contact, chat, sharing)

  return {
    locale: runtime.locale,
    messages: runtime.messages,
    /** The activation's context, for the composables' views (markRaw: outside Pinia's state, handed out as it is). */
    context: markRaw({
      isWeCom: host.isWeCom,
      entry,
      contact,
      chat,
      share: { isSupported: entry.supports('sendChatMessage'), isSending: sharing.isSending, error: sharing.error, progress: sharing.progress },
      view: createViews(),
    }),
    ensureEntry: entry.ensure,
    ensureContact: contact.ensure,
    ensureChat: chat.ensure,
    refreshContact: contact.refresh,
    refreshChat: chat.refresh,
    activate: activation.activate,
    share: sharing.share,
  }
})

/**
 * The kit's store in the app in use (or in `pinia`). Throws `[uni-chain-toolbar] app.use(createChainToolbar())
 * is missing` where the kit was not installed: it never borrows another app's host.
 */
export const useChainToolbarStore = Object.assign(
  (pinia?: Pinia | null) => {
    // Checked before Pinia registers the store: a store whose setup threw would stay registered, broken.
    resolveRuntime(pinia)
    return defineChainToolbarStore(pinia)
  },
  { $id: defineChainToolbarStore.$id },
)

export type ChainToolbarStore = ReturnType<typeof defineChainToolbarStore>
