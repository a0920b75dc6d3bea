import { ref, shallowRef } from 'vue'
import type { Activation } from './activation'
import { ChainToolbarError } from './errors'
import { toHostError } from './host/errors'
import { bound, within } from './host/scope'
import type { ChainHost } from './host/types'
import { validateChatMessage } from './message'
import type { EntryPiece } from './context'
import { refusal } from './requirements'

/**
 * Sharing into the chat of the activation: `share(input)`, `isSending`, and `error`, the last failure (not
 * BUSY) in this activation. An activation part: a new activation clears `error`.
 */
export function createSharing(host: ChainHost, activation: Activation, entry: EntryPiece) {
  const isSending = ref(false)
  const error = shallowRef<ChainToolbarError | null>(null)

  /**
   * Sends into the chat of the activation it was called in, once. If that activation ends before the
   * host received the send, it rejects CANCELLED and nothing is sent (never into the new chat).
   */
  async function share(input: unknown): Promise<void> {
    const scope = activation.scope
    // One deadline for the whole share: the entry it may wait for, then the send.
    const until = Date.now() + scope.timeoutMs
    try {
      const message = validateChatMessage(input)
      if (!activation.reads) throw new ChainToolbarError('NOT_IN_WECOM', 'Not in WeCom')
      await within(scope, entry.ensure())
      const refused = entry.error.value ?? refusal('sendChatMessage', entry.value.value, entry.clientVersion.value, host)
      if (refused) throw refused
      if (isSending.value) throw new ChainToolbarError('BUSY', 'Already sending a message')
      isSending.value = true
      error.value = null
      try {
        // The host drops the send while `scope` ends before it dispatched it; once dispatched, its answer counts.
        await bound('sendChatMessage', until - Date.now(), activation.life, () => host.sendChatMessage(message, scope))
      } finally {
        isSending.value = false
      }
    } catch (failure) {
      const hostError = toHostError('sendChatMessage', failure)
      // Errors belong to the activation they happened in.
      if (hostError.code !== 'BUSY' && scope === activation.scope) error.value = hostError
      throw hostError
    }
  }

  return {
    isSending,
    error,
    share,
    reset() {
      error.value = null
    },
  }
}
