import { onScopeDispose } from 'vue'
import { createScope, type ActivationScope } from './host/scope'
import type { ChainHost } from './host/types'

/** A part of the activation's context: cleared when a new activation begins, and read again when `wanted`. */
export interface ActivationPart {
  reset(): void
  wanted?: boolean
  ensure?(): Promise<void>
}

/**
 * The activation of the toolbar page, carried like an AbortSignal: `scope` is the current one (every host
 * call carries it; it ends when the next one begins), `life` the app's (a send the host already received is
 * waited for until the app goes). The host's foreground event (mini program: app show; H5: the page shown
 * again) begins a new activation. Made in an effect scope (the store's): its listener goes with it, and with
 * the app (`cleanups`).
 */
export interface Activation {
  scope: ActivationScope & { end(): void }
  readonly life: ActivationScope & { end(): void }
  /** Inside WeCom: parts read and shares send. */
  readonly reads: boolean
  /** The parts a new activation clears. */
  readonly parts: ActivationPart[]
  /**
   * A new activation: ends the previous one (its calls are dropped, a share not yet received by the host is
   * cancelled), clears every part at once (the previous chat's context is never shown or shared), then reads
   * again what consumers use.
   */
  activate(): Promise<void>
}

const noop = () => {}

export function createActivation(host: ChainHost, timeoutMs: number, cleanups: Set<() => void>): Activation {
  const parts: ActivationPart[] = []
  const activation: Activation = {
    scope: createScope(timeoutMs),
    life: createScope(timeoutMs),
    reads: host.isWeCom,
    parts,
    activate() {
      activation.scope.end()
      activation.scope = createScope(timeoutMs)
      for (const part of parts) part.reset()
      return Promise.all(parts.map((part) => activation.reads && part.wanted && part.ensure!())).then(noop)
    },
  }
  cleanups.add(() => {
    activation.scope.end()
    activation.life.end()
  })
  const stopForeground = host.onForeground?.(() => {
    // The launch show of a mini program arrives before anything was read: nothing to clear then.
    if (parts.some((part) => part.wanted)) void activation.activate()
  })
  if (stopForeground) {
    cleanups.add(stopForeground)
    onScopeDispose(() => {
      cleanups.delete(stopForeground)
      stopForeground()
    })
  }
  return activation
}
