import { computed, isReadonly, markRaw, onScopeDispose, ref, shallowRef, type ComputedRef, type Ref } from 'vue'
import { defineStore, type Pinia } from 'pinia'
import { ChainToolbarError } from './errors'
import { reportError } from './host/errors'
import { bound, createScope, within, type ActivationScope } from './host/scope'
import type { ChainHost, HostApi } from './host/types'
import { validateChatMessage } from './message'
import { refusal } from './requirements'
import { resolveRuntime } from './runtime'
import type { Entry } from './types'

type ReadApi = Exclude<HostApi, 'sendChatMessage'>
type Answer<A extends ReadApi> = Awaited<ReturnType<ChainHost[A]>>

const done = Promise.resolve()
const noop = () => {}
const isThenable = (value: unknown): value is PromiseLike<unknown> => !!value && typeof (value as PromiseLike<unknown>).then === 'function'

/** A readonly view of some refs: what a composable hands out (computed refs are readonly already). */
type ReadonlyView<T> = { readonly [K in keyof T]: ComputedRef<T[K] extends Ref<infer V> ? V : never> }

/**
 * A readonly view over refs the store writes (as `storeToRefs`, but readonly). Made once per store, in its
 * scope, so a composable's caller only copies the view: 100 callers share its computed refs (a view per
 * caller made mounting 100 consumers 2.3× slower) and a caller's unmount stops none of them.
 */
function readonlyView<T extends Record<string, Ref<unknown>>>(refs: T): ReadonlyView<T> {
  const view: Record<string, Ref<unknown>> = {}
  for (const key in refs) view[key] = isReadonly(refs[key]) ? refs[key] : computed(() => refs[key].value)
  return view as ReadonlyView<T>
}

/**
 * The current activation of the toolbar page: entry, client version, chain contact, chain chat, and
 * the share in flight. One store per app (id `chain-toolbar`). The activation's context is held in
 * refs outside Pinia's `state` (`sources`, markRaw): persisted-state plugins, SSR hydration and
 * `$patch` cannot restore or write it. The composables hand out copies of the readonly views in `sources`.
 */
const defineChainToolbarStore = defineStore('chain-toolbar', () => {
  const runtime = resolveRuntime()
  const { host, timeoutMs } = runtime
  const isWeCom = host.isWeCom

  /** The current activation: every host call carries it, and it ends when the next one begins. */
  let scope = createScope(timeoutMs)
  /** The app's life: a send the host already received is waited for until the app goes. */
  const life = createScope(timeoutMs)
  runtime.cleanups.add(() => {
    scope.end()
    life.end()
  })

  /**
   * A host read in `activation` (the piece reading it bounds it), once its answer holds the non-empty
   * strings the kit reads from it (HOST_ERROR otherwise).
   */
  async function ask<A extends ReadApi>(api: A, activation: ActivationScope, keys: readonly (keyof Answer<A> & string)[]) {
    const answer = (await host[api](activation)) as Answer<A>
    if (!keys.every((key) => typeof answer?.[key] == 'string' && answer[key]))
      throw new ChainToolbarError('HOST_ERROR', `${api} answered without ${keys}`, { api, raw: answer })
    return answer
  }

  /**
   * One piece of the activation's context: its value, loading and error, and the read in flight.
   * `read` gets the activation and `live`, false once the piece was reset (its answer is then dropped).
   * The whole read (the entry it waits for included) is bounded by timeoutMs (the SDK itself has no
   * timeout, docs/wecom-host.md §3) and by its activation.
   */
  type Read<T> = (activation: ActivationScope, live: () => boolean) => Promise<T | null>
  function createPiece<T>(api: HostApi, read: Read<T>, onReset?: () => void) {
    const value = shallowRef<T | null>(null)
    const loading = ref(false)
    const error = shallowRef<ChainToolbarError | null>(null)
    let task: Promise<void> | null = null
    let token = 0
    const set = (result: T | null, busy: boolean, failure: ChainToolbarError | null) => {
      value.value = result
      loading.value = busy
      error.value = failure
    }
    const piece = {
      value,
      loading,
      error,
      /** A consumer uses it: a new activation reads it again. */
      wanted: false,
      /** Starts the read unless one is in flight or done for this activation; shares the one in flight. */
      ensure(): Promise<void> {
        piece.wanted = true
        return isWeCom
          ? (task ??= (async () => {
              // The value is null here: a read starts on a reset piece.
              const mine = ++token
              const live = () => mine === token
              const activation = scope
              let result: T | null = null
              let failure: ChainToolbarError | null = null
              set(null, true, null)
              try {
                result = await bound(api, timeoutMs, activation, () => read(activation, live))
              } catch (thrown) {
                failure = reportError(api, thrown)
              }
              if (live()) set(result, false, failure)
            })())
          : done
      },
      /** Clears the value and drops any answer still on its way. */
      reset() {
        token++
        task = null
        set(null, false, null)
        onReset?.()
      },
    }
    return piece
  }

  const initialVersion = host.getClientVersion()
  const clientVersion = ref<string | null>(isThenable(initialVersion) ? null : initialVersion)

  const entryPiece = createPiece<Entry>('getContext', async (activation, live) => {
    // The web host knows its version at once (user agent); the mini program asks wx.qy.getSystemInfo in
    // parallel with getContext, which is then gated by feature detection alone. The entry never waits
    // for the version: one that comes later is shown when it comes (docs/wecom-host.md §2).
    const answer = host.getClientVersion()
    const pending = isThenable(answer)
    const refused = refusal('getContext', null, pending ? null : answer, host)
    if (refused) throw refused
    if (pending) answer.then((version) => live() && (clientVersion.value = version), noop)
    else clientVersion.value = answer
    return (await ask('getContext', activation, ['entry'])).entry
  })

  const entry = entryPiece.value
  // Every API gated here is limited to some entries: without an entry (outside WeCom, loading, failed) it is not supported.
  const isSupportedBy = (api: HostApi) => computed(() => !refusal(api, entry.value, clientVersion.value, host))

  /** A chain piece (contact, chat): read once the entry allows it, then its profile from the app's resolver. */
  function createChainPiece<A extends 'getCurCorpGroupContact' | 'getCurCorpGroupChat', T, P>(
    api: A,
    keys: readonly (keyof Answer<A> & string)[],
    pick: (answer: Answer<A>) => T,
    resolve: ((value: T) => P | Promise<P>) | undefined,
  ) {
    const supported = isSupportedBy(api)
    const profile = shallowRef<P | null>(null)
    const profileError = shallowRef<Error | null>(null)
    const piece = createPiece<T>(
      api,
      async (activation, live) => {
        await entryPiece.ensure()
        if (!live() || !supported.value) return null
        const answer = await ask(api, activation, keys)
        if (live() && resolve) {
          // The app's resolver (`resolveContact` / `resolveChat`), asked once per id for the app's life (failures
          // are not kept) and kept in storage between launches (src/profile-cache.ts). It gets its own copy: it
          // cannot change the store's value. A stored profile shows at once, with the contact; the resolver's
          // answer replaces it (stale-while-revalidate).
          const [stored, pending] = runtime.profiles.get(api + JSON.stringify(pick(answer)), () =>
            bound('resolveProfile', timeoutMs, life, () => resolve(pick(answer))),
          )
          if (stored) profile.value = stored
          pending.then(
            (result) => live() && (profile.value = result ?? null),
            (failure) => live() && (profileError.value = failure instanceof Error ? failure : new Error(String(failure))),
          )
        }
        return pick(answer)
      },
      () => {
        profile.value = null
        profileError.value = null
      },
    )
    /** Reads it again (after an error, say), and the entry first when that failed. */
    const refresh = (): Promise<void> => {
      if (entryPiece.error.value) entryPiece.reset()
      piece.reset()
      return piece.ensure()
    }
    const sources = {
      profile,
      profileError,
      // When the entry could not be read, the piece is not known unsupported: its card shows why, with a retry.
      isSupported: computed(() => supported.value || !!entryPiece.error.value),
      isLoading: piece.loading,
      error: computed(() => piece.error.value ?? entryPiece.error.value),
    }
    return Object.assign(piece, { refresh, sources })
  }

  const contactPiece = createChainPiece(
    'getCurCorpGroupContact',
    ['corpId', 'userId'],
    (a) => ({ corpId: a.corpId, userId: a.userId }),
    runtime.options.resolveContact,
  )
  const chatPiece = createChainPiece('getCurCorpGroupChat', ['chatId'], (a) => a.chatId, runtime.options.resolveChat)
  const pieces = [entryPiece, contactPiece, chatPiece]

  /**
   * A new activation: ends the previous one (its calls are dropped, a share not yet received by the
   * host is cancelled), clears entry, contact and chat at once (the previous chat's context is never
   * shown or shared), then reads again what consumers use.
   */
  function activate(): Promise<void> {
    scope.end()
    scope = createScope(timeoutMs)
    for (const piece of pieces) piece.reset()
    shareError.value = null
    if (!isWeCom) return done
    return Promise.all(pieces.map((piece) => piece.wanted && piece.ensure())).then(noop)
  }

  const stopForeground = host.onForeground?.(() => {
    // The launch show of a mini program arrives before anything was read: nothing to clear then.
    if (pieces.some((piece) => piece.wanted)) void activate()
  })
  if (stopForeground) {
    runtime.cleanups.add(stopForeground)
    onScopeDispose(() => {
      runtime.cleanups.delete(stopForeground)
      stopForeground()
    })
  }

  // Sharing
  const isSending = ref(false)
  const shareError = shallowRef<ChainToolbarError | null>(null)

  /**
   * Sends into the chat of the activation it was called in, once. If that activation ends before the
   * host received the send, it rejects CANCELLED and nothing is sent (never into the new chat).
   */
  async function share(input: unknown): Promise<void> {
    const activation = scope
    // One deadline for the whole share: the entry it may wait for, then the send.
    const until = Date.now() + timeoutMs
    try {
      const message = validateChatMessage(input)
      if (!isWeCom) throw new ChainToolbarError('NOT_IN_WECOM', 'Not in WeCom')
      await within(activation, entryPiece.ensure())
      const refused = entryPiece.error.value ?? refusal('sendChatMessage', entry.value, clientVersion.value, host)
      if (refused) throw refused
      if (isSending.value) throw new ChainToolbarError('BUSY', 'Already sending a message')
      isSending.value = true
      shareError.value = null
      try {
        // The host drops the send while `activation` ends before it dispatched it; once dispatched, its answer counts.
        await bound('sendChatMessage', until - Date.now(), life, () => host.sendChatMessage(message, activation))
      } finally {
        isSending.value = false
      }
    } catch (failure) {
      const error = reportError('sendChatMessage', failure)
      // Errors belong to the activation they happened in.
      if (error.code !== 'BUSY' && activation === scope) shareError.value = error
      throw error
    }
  }

  /** What the composables hand out: readonly views of refs outside Pinia's state (markRaw: handed out as they are). */
  const sources = markRaw({
    entry: readonlyView({
      entry,
      clientVersion,
      isWeCom: computed(() => isWeCom),
      isChainSingle: computed(() => entry.value === 'chain_single_chat_tools'),
      isChainGroup: computed(() => entry.value === 'chain_group_chat_tools'),
      isLoading: entryPiece.loading,
      error: entryPiece.error,
    }),
    contact: readonlyView({ contact: contactPiece.value, ...contactPiece.sources }),
    chat: readonlyView({ chatId: chatPiece.value, ...chatPiece.sources }),
    share: readonlyView({
      isSupported: isSupportedBy('sendChatMessage'),
      isSending,
      error: shareError,
    }),
  })

  return {
    locale: runtime.locale,
    messages: runtime.messages,
    sources,
    ensureEntry: entryPiece.ensure,
    ensureContact: contactPiece.ensure,
    ensureChat: chatPiece.ensure,
    refreshContact: contactPiece.refresh,
    refreshChat: chatPiece.refresh,
    activate,
    share,
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
