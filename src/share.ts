import { ref, shallowRef } from 'vue'
import type { Activation } from './activation'
import { ChainToolbarError } from './errors'
import { reportError } from './host/hints'
import { loadMedia } from './host/platform'
import { bound, within } from './host/scope'
import type { ChainHost } from './host/types'
import { validateChatMessage } from './message'
import type { EntryPiece } from './context'
import { refusal } from './requirements'
import type { ChainToolbarOptions, ChatMessage, MediaContent, MediaType } from './types'

/** What is loaded when a message first names content to upload (src/media). */
type Media = Awaited<ReturnType<typeof loadMedia>>

/**
 * Sharing into the chat of the activation: `share(input)`, `isSending`, and `error`, the last failure (not
 * BUSY) in this activation. An activation part: a new activation clears `error`.
 */
export function createSharing(host: ChainHost, activation: Activation, entry: EntryPiece, options: ChainToolbarOptions = {}) {
  const isSending = ref(false)
  const error = shallowRef<ChainToolbarError | null>(null)
  /** The upload's fraction sent (0..1) while the share uploads and its uploader reports it; else null. */
  const progress = ref<number | null>(null)
  let media: Promise<[Media, ReturnType<Media['createMediaResolver']>]> | undefined

  /**
   * Sends `message` in `scope` before `until`; content it names (a path, a URL, a Blob) is uploaded first, and a
   * media id the host refused is uploaded again once (docs/media.md).
   */
  async function send(message: ChatMessage, scope: typeof activation.scope, until: number): Promise<void> {
    const type = message.msgtype as MediaType
    const body = (message as unknown as Record<string, unknown>)[type] as MediaContent | { mediaid: string }
    if (!('path' in body || 'url' in body || 'blob' in body)) {
      // The host drops the send while `scope` ends before it dispatched it; once dispatched, its answer counts.
      return bound('sendChatMessage', until - Date.now(), activation.life, () => host.sendChatMessage(message, scope))
    }
    const [{ isMediaRefusal }, resolver] = await within(
      scope,
      (media ??= loadMedia().then(
        (m) => [m, m.createMediaResolver(options)],
        (failure) => {
          // A chunk that failed to load (H5, offline) is loaded again by the next share.
          media = undefined
          throw reportError('uploadMedia', failure)
        },
      )),
    )
    const onProgress = (fraction: number) => {
      if (scope === activation.scope) progress.value = fraction
    }
    for (let again = true; ; again = false) {
      const { mediaid, key } = await within(scope, resolver.resolve(type, body, onProgress))
      progress.value = null
      const sent = { ...message, [type]: { mediaid } } as ChatMessage
      try {
        // The send's deadline starts once the upload is done (the upload has its own, media.timeoutMs).
        return await bound('sendChatMessage', scope.timeoutMs, activation.life, () => host.sendChatMessage(sent, scope))
      } catch (failure) {
        const hostError = reportError('sendChatMessage', failure)
        if (!again || !isMediaRefusal(hostError) || !scope.active) throw hostError
        resolver.forget(key)
      }
    }
  }

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
        await send(message, scope, until)
      } finally {
        isSending.value = false
        progress.value = null
      }
    } catch (failure) {
      const hostError = reportError('sendChatMessage', failure)
      // Errors belong to the activation they happened in.
      if (hostError.code !== 'BUSY' && scope === activation.scope) error.value = hostError
      throw hostError
    }
  }

  return {
    isSending,
    error,
    progress,
    share,
    reset() {
      error.value = null
    },
  }
}
