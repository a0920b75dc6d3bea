import { computed, onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { defineStore, getActivePinia } from 'pinia'
import { ChainToolbarError } from './errors'
import { toHostError } from './host/errors'
import type { HostApi } from './host/types'
import { validateChatMessage } from './message'
import { availability } from './requirements'
import { resolveRuntime } from './runtime'
import type { ChainChatProfile, ChainContact, ChainContactProfile, Entry } from './types'

const done = Promise.resolve()
const isThenable = (value: unknown): value is PromiseLike<unknown> => !!value && typeof (value as PromiseLike<unknown>).then === 'function'

/** One piece of the activation's context: its value, loading and error, and the read in flight. */
interface Piece<T> {
  value: ShallowRef<T | null>
  loading: Ref<boolean>
  error: ShallowRef<ChainToolbarError | null>
  /** Starts the read unless one is in flight or done for this activation; shares the one in flight. */
  ensure(): Promise<void>
  /** Clears the value and drops any answer still on its way. */
  reset(): void
}

function createPiece<T>(read: (isCurrent: () => boolean) => Promise<T | null>, api: string): Piece<T> {
  const value = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = shallowRef<ChainToolbarError | null>(null)
  let task: Promise<void> | null = null
  let token = 0
  return {
    value,
    loading,
    error,
    ensure() {
      if (task) return task
      const mine = ++token
      const isCurrent = () => mine === token
      loading.value = true
      error.value = null
      task = read(isCurrent).then(
        (result) => {
          if (isCurrent()) value.value = result
        },
        (failure) => {
          if (isCurrent()) error.value = toHostError(api, failure)
        },
      )
      task.finally(() => {
        if (isCurrent()) loading.value = false
      })
      return task
    },
    reset() {
      token++
      task = null
      value.value = null
      loading.value = false
      error.value = null
    },
  }
}

/** A profile from the app's resolver, cached per id for the app's life (failures are not cached). */
function createProfile<P>() {
  const value = shallowRef<P | null>(null)
  const error = shallowRef<Error | null>(null)
  let token = 0
  return {
    value,
    error,
    reset() {
      token++
      value.value = null
      error.value = null
    },
    load(cache: Map<string, Promise<any>>, key: string, resolve: () => P | Promise<P>, bound: <R>(p: Promise<R>, api: string) => Promise<R>) {
      const mine = ++token
      let pending = cache.get(key) as Promise<P> | undefined
      if (!pending) {
        pending = bound(Promise.resolve().then(resolve), 'resolveProfile')
        cache.set(key, pending)
        pending.catch(() => cache.delete(key))
      }
      pending.then(
        (profile) => {
          if (mine === token) value.value = profile ?? null
        },
        (failure) => {
          if (mine === token) error.value = failure instanceof Error ? failure : new Error(String(failure))
        },
      )
    },
  }
}

/**
 * The current activation of the toolbar page: entry, client version, chain contact, chain chat, and
 * the share in flight. One store per app (id `chain-toolbar`); the composables are views on it.
 */
export const useChainToolbarStore = defineStore('chain-toolbar', () => {
  const runtime = resolveRuntime(getActivePinia())
  const { host, timeoutMs } = runtime
  const isWeCom = host.isWeCom

  /** Increases with every activation; answers for an older one are dropped. */
  const activation = ref(0)

  /** Bounds a host call by timeoutMs: a hung host gives TIMEOUT (the SDK itself has no timeout, WECOM-HOST.md §3). */
  function bound<T>(promise: Promise<T>, api: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ChainToolbarError('TIMEOUT', `${api} did not answer within ${timeoutMs} ms`, { api })), timeoutMs)
      promise.then(
        (result) => {
          clearTimeout(timer)
          resolve(result)
        },
        (failure) => {
          clearTimeout(timer)
          reject(failure)
        },
      )
    })
  }
  const callHost = <T>(api: HostApi, run: () => Promise<T>) => bound(Promise.resolve().then(run), api)

  const initialVersion = host.getClientVersion()
  const clientVersion = ref<string | null>(isThenable(initialVersion) ? null : initialVersion)

  const entryPiece = createPiece<Entry>(async (isCurrent) => {
    // The web host knows its version at once (user agent); the mini program asks wx.qy.getSystemInfo,
    // in parallel with getContext, and getContext is then gated by feature detection alone.
    const answer = host.getClientVersion()
    const pendingVersion = isThenable(answer) ? bound(Promise.resolve(answer), 'getSystemInfo').catch(() => null) : null
    const reason = availability('getContext', null, pendingVersion ? null : (answer as string | null), host.hasApi('getContext'))
    if (reason !== 'ok') throw new ChainToolbarError(reason, 'This WeCom client has no getContext (it needs 3.0.24)')
    const [context, version] = await Promise.all([callHost('getContext', () => host.getContext()), pendingVersion ?? (answer as string | null)])
    if (isCurrent()) clientVersion.value = version
    if (typeof context?.entry !== 'string' || !context.entry) throw new ChainToolbarError('HOST_ERROR', 'getContext answered without an entry', { api: 'getContext', raw: context })
    return context.entry
  }, 'getContext')

  const entry = entryPiece.value
  const isSupportedBy = (api: HostApi) => computed(() => isWeCom && entry.value != null && availability(api, entry.value, clientVersion.value, host.hasApi(api)) === 'ok')
  const contactSupported = isSupportedBy('getCurCorpGroupContact')
  const chatSupported = isSupportedBy('getCurCorpGroupChat')
  const shareSupported = isSupportedBy('sendChatMessage')

  const contactProfile = createProfile<ChainContactProfile>()
  const contactPiece = createPiece<ChainContact>(async (isCurrent) => {
    await ensureEntry()
    if (!isCurrent() || !contactSupported.value) return null
    const answer = await callHost('getCurCorpGroupContact', () => host.getCurCorpGroupContact())
    if (typeof answer?.corpId !== 'string' || typeof answer?.userId !== 'string' || !answer.corpId || !answer.userId) {
      throw new ChainToolbarError('HOST_ERROR', 'getCurCorpGroupContact answered without corpId and userId', { api: 'getCurCorpGroupContact', raw: answer })
    }
    const contact: ChainContact = { corpId: answer.corpId, userId: answer.userId }
    const resolve = runtime.resolveContact
    if (isCurrent() && resolve) contactProfile.load(runtime.profiles, `contact:${contact.corpId}/${contact.userId}`, () => resolve({ ...contact }), bound)
    return contact
  }, 'getCurCorpGroupContact')

  const chatProfile = createProfile<ChainChatProfile>()
  const chatPiece = createPiece<string>(async (isCurrent) => {
    await ensureEntry()
    if (!isCurrent() || !chatSupported.value) return null
    const answer = await callHost('getCurCorpGroupChat', () => host.getCurCorpGroupChat())
    if (typeof answer?.chatId !== 'string' || !answer.chatId) {
      throw new ChainToolbarError('HOST_ERROR', 'getCurCorpGroupChat answered without a chatId', { api: 'getCurCorpGroupChat', raw: answer })
    }
    const resolve = runtime.resolveChat
    if (isCurrent() && resolve) chatProfile.load(runtime.profiles, `chat:${answer.chatId}`, () => resolve(answer.chatId), bound)
    return answer.chatId
  }, 'getCurCorpGroupChat')

  /** What consumers asked for; a new activation reads these again. */
  const wanted = { entry: false, contact: false, chat: false }

  function ensureEntry(): Promise<void> {
    wanted.entry = true
    return isWeCom ? entryPiece.ensure() : done
  }
  function ensureContact(): Promise<void> {
    wanted.contact = true
    return isWeCom ? contactPiece.ensure() : done
  }
  function ensureChat(): Promise<void> {
    wanted.chat = true
    return isWeCom ? chatPiece.ensure() : done
  }

  /** Reads the contact again (after an error, say), and the entry first when it is missing. */
  function refreshContact(): Promise<void> {
    if (entryPiece.error.value) entryPiece.reset()
    contactPiece.reset()
    contactProfile.reset()
    return ensureContact()
  }
  function refreshChat(): Promise<void> {
    if (entryPiece.error.value) entryPiece.reset()
    chatPiece.reset()
    chatProfile.reset()
    return ensureChat()
  }

  /**
   * A new activation: clears entry, contact and chat at once (the previous chat's context is never
   * shown or shared), then reads again what consumers use.
   */
  function activate(): Promise<void> {
    activation.value++
    entryPiece.reset()
    contactPiece.reset()
    chatPiece.reset()
    contactProfile.reset()
    chatProfile.reset()
    shareError.value = null
    if (!isWeCom) return done
    host.beginActivation?.()
    const reads: Promise<void>[] = []
    if (wanted.entry) reads.push(ensureEntry())
    if (wanted.contact) reads.push(ensureContact())
    if (wanted.chat) reads.push(ensureChat())
    return Promise.all(reads).then(() => {})
  }

  const stopForeground = host.onForeground?.(() => {
    // The launch show of a mini program arrives before anything was read: nothing to clear then.
    if (wanted.entry || wanted.contact || wanted.chat) void activate()
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
      if (!isWeCom) throw new ChainToolbarError('NOT_IN_WECOM', 'Sharing needs the WeCom client')
      const started = activation.value
      await ensureEntry()
      if (started !== activation.value) throw new ChainToolbarError('CANCELLED', 'The chat changed before the message was sent')
      if (entryPiece.error.value) throw entryPiece.error.value
      const reason = availability('sendChatMessage', entry.value, clientVersion.value, host.hasApi('sendChatMessage'))
      if (reason !== 'ok') {
        throw new ChainToolbarError(reason, reason === 'UNSUPPORTED_ENTRY' ? `Cannot share to a chat from the ${entry.value} entry` : 'This WeCom client cannot share to the chat')
      }
      if (isSending.value) throw new ChainToolbarError('BUSY', 'Another message is being sent')
      isSending.value = true
      shareError.value = null
      try {
        await callHost('sendChatMessage', () => host.sendChatMessage(message))
      } finally {
        isSending.value = false
      }
    } catch (failure) {
      const error = toHostError('sendChatMessage', failure)
      if (error.code !== 'BUSY') shareError.value = error
      throw error
    }
  }

  return {
    isWeCom,
    hostName: host.name,
    activation,
    clientVersion,
    entry,
    entryLoading: entryPiece.loading,
    entryError: entryPiece.error,
    isChainSingle: computed(() => entry.value === 'chain_single_chat_tools'),
    isChainGroup: computed(() => entry.value === 'chain_group_chat_tools'),
    contact: contactPiece.value,
    contactLoading: contactPiece.loading,
    contactError: contactPiece.error,
    contactProfile: contactProfile.value,
    contactProfileError: contactProfile.error,
    contactSupported,
    chatId: chatPiece.value,
    chatLoading: chatPiece.loading,
    chatError: chatPiece.error,
    chatProfile: chatProfile.value,
    chatProfileError: chatProfile.error,
    chatSupported,
    shareSupported,
    isSending,
    shareError,
    locale: runtime.locale,
    messages: runtime.messages,
    ensureEntry,
    ensureContact,
    ensureChat,
    refreshContact,
    refreshChat,
    activate,
    share,
  }
})

export type ChainToolbarStore = ReturnType<typeof useChainToolbarStore>
