import { computed, markRaw, onScopeDispose, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import { defineStore, getActivePinia } from 'pinia'
import { ChainToolbarError } from './errors'
import { toHostError } from './host/errors'
import type { ChainHost, HostApi } from './host/types'
import { validateChatMessage } from './message'
import { refusal } from './requirements'
import { resolveRuntime } from './runtime'
import type { Entry } from './types'

type ReadApi = Exclude<HostApi, 'sendChatMessage'>
type Answer<A extends ReadApi> = Awaited<ReturnType<ChainHost[A]>>

/** What a view of a chain piece (contact, chat) reads. */
interface ChainPiece<T, P> {
  value: ShallowRef<T | null>
  loading: Ref<boolean>
  error: ShallowRef<ChainToolbarError | null>
  supported: ComputedRef<boolean>
  profile: ShallowRef<P | null>
  profileError: ShallowRef<Error | null>
}

const done = Promise.resolve()
const isThenable = (value: unknown): value is PromiseLike<unknown> => !!value && typeof (value as PromiseLike<unknown>).then === 'function'

/** The host's answer, once it holds the non-empty strings the kit reads from it (HOST_ERROR otherwise). */
function checked<T>(api: HostApi, answer: T, keys: readonly (keyof T & string)[]): T {
  if (!keys.every((key) => typeof answer?.[key] === 'string' && answer[key])) throw new ChainToolbarError('HOST_ERROR', `${api} answered without ${keys}`, { api, raw: answer })
  return answer
}

/**
 * The current activation of the toolbar page: entry, client version, chain contact, chain chat, and
 * the share in flight. One store per app (id `chain-toolbar`); the composables are views on it.
 */
export const useChainToolbarStore = defineStore('chain-toolbar', () => {
  const runtime = resolveRuntime(getActivePinia())
  const { host, timeoutMs } = runtime
  const isWeCom = host.isWeCom

  /** Counts the activations: a share that began in an older one is cancelled. */
  let activation = 0

  /** Runs a host call bounded by timeoutMs: a hung host gives TIMEOUT (the SDK itself has no timeout, docs/wecom-host.md §3). */
  const bound = <T>(api: string, run: () => T | PromiseLike<T>) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ChainToolbarError('TIMEOUT', `${api} timed out (${timeoutMs} ms)`, { api })), timeoutMs)
      done.then(run).then(resolve, reject).finally(() => clearTimeout(timer))
    })
  const ask = <A extends ReadApi>(api: A) => bound(api, () => host[api]() as Promise<Answer<A>>)

  /**
   * One piece of the activation's context: its value, loading and error, and the read in flight.
   * `read` gets `isCurrent`, false once the piece was reset (its answer is then dropped).
   */
  function createPiece<T>(api: HostApi, read: (isCurrent: () => boolean) => Promise<T | null>, onReset?: () => void) {
    const value = shallowRef<T | null>(null)
    const loading = ref(false)
    const error = shallowRef<ChainToolbarError | null>(null)
    let task: Promise<void> | null = null
    let token = 0
    const piece = {
      value,
      loading,
      error,
      /** A consumer uses it: a new activation reads it again. */
      wanted: false,
      /** Starts the read unless one is in flight or done for this activation; shares the one in flight. */
      ensure(): Promise<void> {
        piece.wanted = true
        if (!isWeCom) return done
        return (task ??= (async () => {
          const mine = ++token
          const isCurrent = () => mine === token
          loading.value = true
          error.value = null
          try {
            const result = await read(isCurrent)
            if (isCurrent()) value.value = result
          } catch (failure) {
            if (isCurrent()) error.value = toHostError(api, failure)
          }
          if (isCurrent()) loading.value = false
        })())
      },
      /** Clears the value and drops any answer still on its way. */
      reset() {
        token++
        task = null
        value.value = null
        loading.value = false
        error.value = null
        onReset?.()
      },
    }
    return piece
  }

  const initialVersion = host.getClientVersion()
  const clientVersion = ref<string | null>(isThenable(initialVersion) ? null : initialVersion)

  const entryPiece = createPiece<Entry>('getContext', async (isCurrent) => {
    // The web host knows its version at once (user agent); the mini program asks wx.qy.getSystemInfo,
    // in parallel with getContext, and getContext is then gated by feature detection alone.
    const answer = host.getClientVersion()
    const pending = isThenable(answer)
    const refused = refusal('getContext', null, pending ? null : answer, host)
    if (refused) throw refused
    const [context, version] = await Promise.all([ask('getContext'), pending ? bound('getSystemInfo', () => answer).catch(() => null) : answer])
    if (isCurrent()) clientVersion.value = version
    return checked('getContext', context, ['entry']).entry
  })

  const entry = entryPiece.value
  // Every API gated here is limited to some entries: without an entry (outside WeCom, loading, failed) it is not supported.
  const isSupportedBy = (api: HostApi) => computed(() => !refusal(api, entry.value, clientVersion.value, host))

  /**
   * A chain piece (contact, chat): read once the entry allows it, then its profile from the app's
   * resolver, cached per id for the app's life (failures are not cached).
   */
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
      async (isCurrent) => {
        await entryPiece.ensure()
        if (!isCurrent() || !supported.value) return null
        const answer = checked(api, await ask(api), keys)
        const key = api + JSON.stringify(pick(answer))
        if (isCurrent() && resolve) {
          let pending = runtime.profiles.get(key) as Promise<P> | undefined
          if (!pending) {
            // The resolver gets its own copy: it cannot change the store's value.
            pending = bound('resolveProfile', () => resolve(pick(answer)))
            runtime.profiles.set(key, pending)
            pending.catch(() => runtime.profiles.delete(key))
          }
          pending.then(
            (result) => {
              if (isCurrent()) profile.value = result ?? null
            },
            (failure) => {
              if (isCurrent()) profileError.value = failure instanceof Error ? failure : new Error(String(failure))
            },
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
    return Object.assign(piece, { supported, profile, profileError, refresh })
  }

  const contactPiece = createChainPiece('getCurCorpGroupContact', ['corpId', 'userId'], (a) => ({ corpId: a.corpId, userId: a.userId }), runtime.options.resolveContact)
  const chatPiece = createChainPiece('getCurCorpGroupChat', ['chatId'], (a) => a.chatId, runtime.options.resolveChat)
  const pieces = [entryPiece, contactPiece, chatPiece]

  /**
   * A new activation: clears entry, contact and chat at once (the previous chat's context is never
   * shown or shared), then reads again what consumers use.
   */
  function activate(): Promise<void> {
    activation++
    for (const piece of pieces) piece.reset()
    shareError.value = null
    if (!isWeCom) return done
    host.beginActivation?.()
    return Promise.all(pieces.filter((piece) => piece.wanted).map((piece) => piece.ensure())).then(() => {})
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

  async function share(input: unknown): Promise<void> {
    try {
      const message = validateChatMessage(input)
      if (!isWeCom) throw new ChainToolbarError('NOT_IN_WECOM', 'Not in WeCom')
      const started = activation
      await entryPiece.ensure()
      if (started !== activation) throw new ChainToolbarError('CANCELLED', 'The chat changed before sending')
      const refused = entryPiece.error.value ?? refusal('sendChatMessage', entry.value, clientVersion.value, host)
      if (refused) throw refused
      if (isSending.value) throw new ChainToolbarError('BUSY', 'Already sending a message')
      isSending.value = true
      shareError.value = null
      try {
        await bound('sendChatMessage', () => host.sendChatMessage(message))
      } finally {
        isSending.value = false
      }
    } catch (failure) {
      const error = toHostError('sendChatMessage', failure)
      if (error.code !== 'BUSY') shareError.value = error
      throw error
    }
  }

  /** A readonly view of a ref (what the composables hand out). */
  const view = <T>(source: Ref<T>) => computed(() => source.value)
  /** What useChainContact() / useChainChat() return, with the id under `name`. */
  function chainView<N extends string, T, P>(name: N, piece: ChainPiece<T, P>) {
    return {
      [name]: view(piece.value),
      profile: view(piece.profile),
      profileError: view(piece.profileError),
      isSupported: piece.supported,
      isLoading: view(piece.loading),
      error: view(piece.error),
    } as { [K in N]: ComputedRef<T | null> } & {
      profile: ComputedRef<P | null>
      profileError: ComputedRef<Error | null>
      isSupported: ComputedRef<boolean>
      isLoading: ComputedRef<boolean>
      error: ComputedRef<ChainToolbarError | null>
    }
  }

  /**
   * The composables' readonly refs, made once per app: every consumer shares them (and their
   * computeds). markRaw: Pinia hands them out as they are, refs not unwrapped. The composables add
   * the store's actions (refresh, share) as Pinia wraps them, so $onAction and devtools see them.
   */
  const views = markRaw({
    entry: {
      entry: view(entry),
      clientVersion: view(clientVersion),
      isWeCom: computed(() => isWeCom),
      isChainSingle: computed(() => entry.value === 'chain_single_chat_tools'),
      isChainGroup: computed(() => entry.value === 'chain_group_chat_tools'),
      isLoading: view(entryPiece.loading),
      error: view(entryPiece.error),
    },
    contact: chainView('contact', contactPiece),
    chat: chainView('chatId', chatPiece),
    share: {
      isSupported: isSupportedBy('sendChatMessage'),
      isSending: view(isSending),
      error: view(shareError),
    },
  })

  return {
    clientVersion,
    entry,
    contact: contactPiece.value,
    chatId: chatPiece.value,
    locale: runtime.locale,
    messages: runtime.messages,
    views,
    ensureEntry: entryPiece.ensure,
    ensureContact: contactPiece.ensure,
    ensureChat: chatPiece.ensure,
    refreshContact: contactPiece.refresh,
    refreshChat: chatPiece.refresh,
    activate,
    share,
  }
})

export type ChainToolbarStore = ReturnType<typeof useChainToolbarStore>
