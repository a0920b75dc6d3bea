import type { ChainContact, ChatMessage, Entry } from '../types'
import type { ActivationScope } from './scope'

export type { ActivationScope }

/** The four WeCom APIs the kit wraps. */
export type HostApi = 'getContext' | 'getCurCorpGroupContact' | 'getCurCorpGroupChat' | 'sendChatMessage'

export interface HostContext {
  entry: Entry
  shareTicket?: string
}

/**
 * One WeCom host behind a small promise interface. Adapters reject with `ChainToolbarError`.
 * The store bounds every call with `timeoutMs` and passes the activation's scope: a host drops a call
 * whose scope ended at each of its own awaits (CANCELLED), never retries or dispatches one after
 * that, and bounds its own steps (session, signature) itself.
 */
export interface ChainHost {
  /** 'mini-program', 'web', 'none' or a custom name (the simulator's, a test's). */
  readonly name: string
  /** Inside the WeCom client. Known at once; outside, nothing is ever called. */
  readonly isWeCom: boolean
  /** The WeCom client version ('4.1.22'), or null where it cannot be known; an ask it makes is bounded by `scope`'s deadline. */
  getClientVersion(scope?: ActivationScope): string | null | Promise<string | null>
  /** Feature detection: whether the client exposes the API at all (entry and version aside). */
  hasApi(api: HostApi): boolean
  getContext(scope?: ActivationScope): Promise<HostContext>
  /**
   * The client's answers, as they come (other fields may ride along): the store checks that they hold
   * non-empty strings and keeps only `corpId` + `userId` / `chatId` (HOST_ERROR otherwise).
   */
  getCurCorpGroupContact(scope?: ActivationScope): Promise<ChainContact>
  getCurCorpGroupChat(scope?: ActivationScope): Promise<{ chatId: string }>
  /** Sent at most once per call; never after `scope` ended. */
  sendChatMessage(message: ChatMessage, scope?: ActivationScope): Promise<void>
  /** Calls `listener` when the app comes back to the foreground; returns the unsubscribe function. */
  onForeground?(listener: () => void): () => void
}
