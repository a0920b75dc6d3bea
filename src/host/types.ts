import type { ActivationScope } from './scope'

export type { ActivationScope }

/** The entries WeCom reports in `getContext().entry` (docs/wecom-host.md §1). */
export type KnownEntry =
  | 'contact_profile'
  | 'single_chat_tools'
  | 'group_chat_tools'
  | 'chat_attachment'
  | 'single_kf_tools'
  | 'chain_single_chat_tools'
  | 'chain_group_chat_tools'
  | 'internal_group_chat_board'
  | 'normal'

/** A known entry, or an entry string a future client introduces (carried through as-is). */
export type Entry = KnownEntry | (string & {})

/** The upstream/downstream (上下游) contact of the current single chat. */
export interface ChainContact {
  corpId: string
  userId: string
}

interface MessageBase {
  /** Open the chat after sending (client ≥ 3.1.10). */
  enterChat?: boolean
}
export interface TextMessage extends MessageBase {
  msgtype: 'text'
  text: { content: string }
}
/** An id from WeCom's temporary-media upload (valid 3 days): sent as it is. */
export interface MediaId {
  mediaid: string
}
/**
 * Content the kit uploads first (docs/media.md): exactly one of `path` (a local file: the temp path from
 * uni.chooseImage / chooseMessageFile / chooseVideo), `url` (an http(s) URL your server companion may fetch)
 * or `blob` (a File or Blob, H5), and `name`, the name the chat shows (default: the File's name, else the last
 * part of the path or URL).
 */
export type MediaContent = ({ path: string } | { url: string } | { blob: Blob }) & { name?: string }
/** An image, video or file message's body: an id, or the content to upload. */
export type MediaBody = MediaId | MediaContent
/** The message types whose body is media. */
export type MediaType = 'image' | 'video' | 'file'
export interface ImageMessage extends MessageBase {
  msgtype: 'image'
  /** A JPG or PNG, at most `media.limits.image` (2 MB by default). */
  image: MediaBody
}
export interface VideoMessage extends MessageBase {
  msgtype: 'video'
  /** An MP4 of at most 10 MB. */
  video: MediaBody
}
export interface FileMessage extends MessageBase {
  msgtype: 'file'
  /** Any file of at most 20 MB. */
  file: MediaBody
}
export interface NewsMessage extends MessageBase {
  msgtype: 'news'
  news: { link: string; title: string; desc: string; imgUrl: string }
}
export interface MiniProgramMessage extends MessageBase {
  msgtype: 'miniprogram'
  miniprogram: { appid: string; title: string; imgUrl: string; page: string }
}
/** A `sendChatMessage` payload: `msgtype` plus its body, and optional `enterChat`. */
export type ChatMessage = TextMessage | ImageMessage | VideoMessage | FileMessage | NewsMessage | MiniProgramMessage
export type ChatMessageType = ChatMessage['msgtype']

/** What the app's server returns for an agentConfig signature (the SDK's own shape). */
export interface AgentConfigSignature {
  timestamp: number | string
  nonceStr: string
  signature: string
}

/** How the H5 host registers the app identity with @wecom/jssdk (`ww.register`, docs/wecom-host.md §3). */
export interface ChainToolbarWebOptions {
  /** Your corp ID. Required unless `register: false`. */
  corpId?: string
  /** Your app's agentId. Required unless `register: false`. */
  agentId?: string | number
  /**
   * Your server's agentConfig signature for exactly this URL (the app jsapi ticket), the SDK's own name
   * and shape. Required unless `register: false`. Bounded by `timeoutMs`; asked again after a failure.
   */
  getAgentConfigSignature?: (url: string) => AgentConfigSignature | Promise<AgentConfigSignature>
  /** The former name of `getAgentConfigSignature`, still accepted (`getAgentConfigSignature` wins when both are given). */
  getSignature?: (url: string) => AgentConfigSignature | Promise<AgentConfigSignature>
  /**
   * Your app's own JS APIs, merged into the kit's registration: the kit owns `ww.register`, and your app
   * calls `ww.<api>` directly (without calling `ww.register` itself).
   */
  jsApiList?: string[]
  /**
   * `false`: your app calls `ww.register` itself (with `getAgentConfigSignature`, and a `jsApiList` that
   * includes getContext, getCurCorpGroupContact, getCurCorpGroupChat and sendChatMessage); the kit only
   * calls APIs. Default true: the kit registers (`ww.register` keeps one options object, the last call wins).
   */
  register?: boolean
  /**
   * The H5 twin of `miniProgram.exchangeCode`: sends the member's WeCom OAuth code (`snsapi_base`) to your
   * server, which exchanges it (`auth/getuserinfo`) for its session, e.g. `POST /wecom/oauth-session`. The kit
   * takes the code from the page URL (the toolbar opened the page through WeCom's OAuth URL), else redirects
   * there once (`oauthRedirect`); it removes `code` and `state` from the URL before agentConfig signs it. One
   * exchange per code, bounded by `timeoutMs`; every host call waits for it, and a code that failed fails them
   * with LOGIN_FAILED (no second redirect in the tab).
   */
  exchangeOAuthCode?: (code: string) => unknown
  /**
   * Whether the kit redirects to WeCom's OAuth when the page URL has no code. Default true
   * (`location.replace`, with `corpId`, `agentId` and a random `state` it checks on the way back). `false`: only
   * a code the toolbar brought is used. A function: called with the OAuth URL to navigate there itself.
   */
  oauthRedirect?: boolean | ((authorizeUrl: string) => void)
}

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
  /**
   * Signs in to the app's server again (mini program: `login` → `exchangeCode`), for when that server refused a
   * resolver for its session (HTTP 401): its session lives in the app's memory, WeCom's outlives a launch. A host
   * that cannot sign in mid-page (H5: the OAuth code is spent at load) has none.
   */
  renewSession?(scope?: ActivationScope): Promise<void>
}
