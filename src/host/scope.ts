import { ChainToolbarError } from '../errors'

/**
 * An activation as the calls made in it carry it (like an AbortSignal): `active` until the activation
 * ends; then every listener hears why (CANCELLED). A host drops a call whose scope ended at every await,
 * and never dispatches one after that.
 */
export interface ActivationScope {
  readonly active: boolean
  /** Why it ended (CANCELLED), once it did. */
  readonly reason?: ChainToolbarError
  /** The kit's deadline (`timeoutMs`): a host bounds its own steps (session, signature) by it too. */
  readonly timeoutMs: number
  /** Calls `listener` when the scope ends; returns the function that removes it. */
  onEnd(listener: (reason: ChainToolbarError) => void): () => void
}

/** The default `timeoutMs`: the deadline of every host call, in ms. */
export const DEFAULT_TIMEOUT_MS = 8000

/** A new scope and the function that ends it. */
export function createScope(timeoutMs = DEFAULT_TIMEOUT_MS): ActivationScope & { end(): void } {
  const listeners = new Set<(reason: ChainToolbarError) => void>()
  const scope: ActivationScope & { end(): void; reason?: ChainToolbarError; active: boolean } = {
    active: true,
    timeoutMs,
    onEnd(listener: (reason: ChainToolbarError) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    end() {
      if (scope.active) {
        scope.active = false
        // The page was shown again (maybe from another chat), or the app went away.
        const reason = (scope.reason = new ChainToolbarError('CANCELLED', 'The activation ended'))
        for (const listener of listeners) listener(reason)
        listeners.clear()
      }
    },
  }
  return scope
}

/** Throws the scope's CANCELLED error once it ended: a call must not go on. */
export const checkScope = (scope: ActivationScope | undefined): void => {
  if (scope?.reason) throw scope.reason
}

/** setTimeout's largest delay: a `timeoutMs` above it (Infinity included) means no deadline. */
const MAX_DELAY = 2 ** 31 - 1

/**
 * `run()` bounded by `ms` (TIMEOUT) and by `scope` (CANCELLED as soon as it ends; the answer is then
 * dropped). The timer and the listener go as soon as either settles.
 */
export function bound<T>(api: string, ms: number, scope: ActivationScope | undefined, run: () => T | PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    checkScope(scope)
    const settle = () => {
      clearTimeout(timer)
      off?.()
    }
    const fail = (error: unknown) => {
      settle()
      reject(error)
    }
    const timer = ms <= MAX_DELAY ? setTimeout(() => fail(new ChainToolbarError('TIMEOUT', `${api} timed out (${ms} ms)`, { api })), ms) : 0
    const off = scope?.onEnd(fail)
    try {
      Promise.resolve(run()).then((value) => {
        settle()
        resolve(value)
      }, fail)
    } catch (error) {
      fail(error)
    }
  })
}

/** `promise` in `scope`: CANCELLED as soon as the scope ends (no deadline). */
export const within = <T>(scope: ActivationScope | undefined, promise: PromiseLike<T>): Promise<T> =>
  bound('', Infinity, scope, () => promise)

/** A `timeoutMs` option as a deadline: a positive number, else the default. */
export const deadline = (ms: unknown): number => (typeof ms === 'number' && ms > 0 ? ms : DEFAULT_TIMEOUT_MS)
