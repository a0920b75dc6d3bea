import { computed, ref, shallowRef } from 'vue'
import type { Activation } from './activation'
import { ChainToolbarError } from './errors'
import { bound, type ActivationScope } from './host/scope'
import type { ChainHost, HostApi } from './host/types'
import { createPiece, type Piece } from './piece'
import type { ProfileCache } from './profile-cache'
import { refusal } from './requirements'
import type { Entry } from './types'

type ReadApi = Exclude<HostApi, 'sendChatMessage'>
type Answer<A extends ReadApi> = Awaited<ReturnType<ChainHost[A]>>

const noop = () => {}
const isThenable = (value: unknown): value is PromiseLike<unknown> => !!value && typeof (value as PromiseLike<unknown>).then === 'function'

/**
 * A host read in `scope` (the piece reading it bounds it), once its answer holds the non-empty strings the
 * kit reads from it (HOST_ERROR otherwise).
 */
async function ask<A extends ReadApi>(host: ChainHost, api: A, scope: ActivationScope, keys: readonly (keyof Answer<A> & string)[]) {
  const answer = (await host[api](scope)) as Answer<A>
  if (!keys.every((key) => typeof answer?.[key] == 'string' && answer[key]))
    throw new ChainToolbarError('HOST_ERROR', `${api} answered without ${keys}`, { api, raw: answer })
  return answer
}

/**
 * The entry of the activation (`getContext`) and the client version, which it never waits for: the web host
 * knows its version at once (user agent); the mini program asks wx.qy.getSystemInfo in parallel with
 * getContext, which is then gated by feature detection alone. A version that comes later is shown when it
 * comes (docs/wecom-host.md §2). `supports(api)`: whether `api` can succeed from this entry on this client.
 */
export function createEntry(host: ChainHost, activation: Activation) {
  const initialVersion = host.getClientVersion(activation.scope)
  const clientVersion = ref<string | null>(isThenable(initialVersion) ? null : initialVersion)
  const piece = createPiece<Entry>(
    'getContext',
    async (scope, live) => {
      const answer = host.getClientVersion(scope)
      const pending = isThenable(answer)
      const refused = refusal('getContext', null, pending ? null : answer, host)
      if (refused) throw refused
      if (pending) answer.then((version) => live() && (clientVersion.value = version), noop)
      else clientVersion.value = answer
      return (await ask(host, 'getContext', scope, ['entry'])).entry
    },
    activation,
  )
  // Every API gated here is limited to some entries: without an entry (outside WeCom, loading, failed) it is not supported.
  const supports = (api: HostApi) => computed(() => !refusal(api, piece.value.value, clientVersion.value, host))
  return Object.assign(piece, { clientVersion, supports })
}

export type EntryPiece = ReturnType<typeof createEntry>

/**
 * A chain piece (contact, chat): read once the entry allows it, then its profile from the app's resolver
 * (`resolveContact` / `resolveChat`), asked once per id for the app's life (failures are not kept) and kept in
 * storage between launches (src/profile-cache.ts). The resolver gets its own copy: it cannot change the
 * piece's value. A stored profile shows at once, with the value; the resolver's answer replaces it
 * (stale-while-revalidate). `refresh()` reads it again (after an error, say), and the entry first when that failed.
 */
/** What every chain piece reads through: the host, the activation, the entry it waits for, the profile cache. */
export interface ChainPieceContext {
  host: ChainHost
  activation: Activation
  entry: EntryPiece
  profiles: ProfileCache
}

/** The app's server refused a resolver for its session: HTTP 401, as the README's request helper reports it. */
const refusedForSession = (error: unknown) => {
  const e = error as { status?: unknown; statusCode?: unknown } | null
  return e?.status === 401 || e?.statusCode === 401
}

/**
 * Asks the resolver; when the app's server refuses it for the session, signs in again once (where the host can)
 * and asks once more (docs/reference.md#the-apps-server-session).
 */
async function withAppSession<P>(host: ChainHost, scope: ActivationScope, ask: () => P | Promise<P>): Promise<P> {
  try {
    return await ask()
  } catch (error) {
    if (!host.renewSession || !refusedForSession(error)) throw error
    await host.renewSession(scope)
    return ask()
  }
}

export function createChainPiece<A extends 'getCurCorpGroupContact' | 'getCurCorpGroupChat', T, P>(
  { host, activation, entry, profiles }: ChainPieceContext,
  api: A,
  keys: readonly (keyof Answer<A> & string)[],
  pick: (answer: Answer<A>) => T,
  resolve: ((value: T) => P | Promise<P>) | undefined,
) {
  const supported = entry.supports(api)
  const profile = shallowRef<P | null>(null)
  const profileError = shallowRef<Error | null>(null)
  const piece: Piece<T> = createPiece<T>(
    api,
    async (scope, live) => {
      await entry.ensure()
      if (!live() || !supported.value) return null
      const answer = await ask(host, api, scope, keys)
      if (live() && resolve) {
        const [stored, pending] = profiles.get(api + JSON.stringify(pick(answer)), () =>
          bound('resolveProfile', scope.timeoutMs, activation.life, () => withAppSession(host, scope, () => resolve(pick(answer)))),
        )
        if (stored) profile.value = stored
        pending.then(
          (result) => live() && (profile.value = result ?? null),
          (failure) => live() && (profileError.value = failure instanceof Error ? failure : new Error(String(failure))),
        )
      }
      return pick(answer)
    },
    activation,
    () => {
      profile.value = null
      profileError.value = null
    },
  )
  const refresh = (): Promise<void> => {
    if (entry.error.value) entry.reset()
    piece.reset()
    return piece.ensure()
  }
  return Object.assign(piece, {
    refresh,
    /** What a consumer reads besides the value. */
    state: {
      profile,
      profileError,
      // When the entry could not be read, the piece is not known unsupported: its card shows why, with a retry.
      isSupported: computed(() => supported.value || !!entry.error.value),
      isLoading: piece.loading,
      /** The read's failure, or the entry's when that could not be read. */
      error: computed(() => piece.error.value ?? entry.error.value),
    },
  })
}
