import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import type { ChainToolbarError } from './errors'
import { toHostError } from './host/errors'
import { bound, type ActivationScope } from './host/scope'
import type { HostApi } from './host/types'

/** A read of a piece: gets the activation it runs in and `live`, false once the piece was reset (its answer is then dropped). */
export type Read<T> = (activation: ActivationScope, live: () => boolean) => Promise<T | null>

/** Where a piece reads: the current activation (its scope carries the deadline), and whether reads happen at all. */
export interface PieceActivation {
  readonly scope: ActivationScope
  /** False outside WeCom: `ensure()` then reads nothing. */
  readonly reads: boolean
}

/**
 * One async piece of the activation's context (entry, contact, chat), in the manner of VueUse's
 * `useAsyncState`: `value`, `loading` and `error` refs, and `ensure()`, which starts the read or shares the
 * one in flight (awaitable; it never rejects, the failure lands in `error`). Unlike `useAsyncState`, a
 * piece belongs to an activation: the read gets the activation's scope, is bounded by its `timeoutMs`
 * (the SDK itself has no timeout, docs/wecom-host.md §3) and by the scope's end, and `reset()` clears the
 * piece and drops any answer still on its way, so that a new activation never shows an older one's value.
 */
export interface Piece<T> {
  value: ShallowRef<T | null>
  loading: Ref<boolean>
  error: ShallowRef<ChainToolbarError | null>
  /** A consumer uses it: a new activation reads it again. */
  wanted: boolean
  /** Starts the read unless one is in flight or done for this activation; shares the one in flight. */
  ensure(): Promise<void>
  /** Clears the value and drops any answer still on its way. */
  reset(): void
}

const done = Promise.resolve()

/** A piece read by `read` for `api` (the name its TIMEOUT and host errors carry); `onReset` clears what the read set besides. */
export function createPiece<T>(api: HostApi, read: Read<T>, activation: PieceActivation, onReset?: () => void): Piece<T> {
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
  const piece: Piece<T> = {
    value,
    loading,
    error,
    wanted: false,
    ensure() {
      piece.wanted = true
      return activation.reads
        ? (task ??= (async () => {
            // The value is null here: a read starts on a reset piece.
            const mine = ++token
            const live = () => mine === token
            const scope = activation.scope
            let result: T | null = null
            let failure: ChainToolbarError | null = null
            set(null, true, null)
            try {
              result = await bound(api, scope.timeoutMs, scope, () => read(scope, live))
            } catch (thrown) {
              failure = toHostError(api, thrown)
            }
            if (live()) set(result, false, failure)
          })())
        : done
    },
    reset() {
      token++
      task = null
      set(null, false, null)
      onReset?.()
    },
  }
  return piece
}
