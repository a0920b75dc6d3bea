import type { ChainHost } from './host/types'

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

/** Display data an app's `resolveContact` returns for the contact card. */
export interface ChainContactProfile {
  name?: string
  avatar?: string
  corpName?: string
  [key: string]: unknown
}

/** Display data an app's `resolveChat` returns for the group card. */
export interface ChainChatProfile {
  name?: string
  avatar?: string
  [key: string]: unknown
}

interface MessageBase {
  /** Open the chat after sending (client ≥ 3.1.10). */
  enterChat?: boolean
}
export interface TextMessage extends MessageBase {
  msgtype: 'text'
  text: { content: string }
}
export interface ImageMessage extends MessageBase {
  msgtype: 'image'
  image: { mediaid: string }
}
export interface VideoMessage extends MessageBase {
  msgtype: 'video'
  video: { mediaid: string }
}
export interface FileMessage extends MessageBase {
  msgtype: 'file'
  file: { mediaid: string }
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

/** A synchronous key-value storage with uni's names (`uni` itself is one). */
export interface ProfileStorage {
  getStorageSync(key: string): unknown
  setStorageSync(key: string, value: unknown): void
  removeStorageSync(key: string): void
}

export interface ProfileCacheOptions {
  /** How long a stored profile may be shown before the resolver answers, in ms. Default 7 days. */
  ttlMs?: number
  /** Profiles kept, least recently used dropped first. Default 200. */
  max?: number
  /** Change it when your resolvers' output changes shape (or per signed-in user): older entries are dropped. */
  version?: string | number
  /** Where profiles are stored. Default `uni` (uni.getStorageSync / setStorageSync, both platforms). */
  storage?: ProfileStorage
}

export type ChainToolbarLocale = 'zh-CN' | 'en' | (string & {})

/** The colour scheme of the components: `auto` follows the app (its uni dark-mode opt-in, then the system). */
export type ChainToolbarTheme = 'light' | 'dark' | 'auto'

export interface ChainToolbarOptions {
  /** Mini program (wx.qy): how a `wx.qy.login` code becomes a valid session on your server (jscode2session). */
  miniProgram?: {
    exchangeCode: (code: string) => unknown
  }
  /** H5 in the WeCom browser (@wecom/jssdk): the app identity for agentConfig. */
  web?: ChainToolbarWebOptions
  /**
   * Deadline of every host call (and of each session step and signature), in ms: any positive number.
   * Default 8000. A value above 2^31-1 (about 24.8 days; Infinity included) means no deadline.
   */
  timeoutMs?: number
  /**
   * Optional: display data for the contact card. Kept per contact for the app's life, and in the app's
   * storage between launches unless `profileCache` is false.
   */
  resolveContact?: (contact: ChainContact) => ChainContactProfile | Promise<ChainContactProfile>
  /** Optional: display data for the group card. Kept per chatId like the contact's. */
  resolveChat?: (chatId: string) => ChainChatProfile | Promise<ChainChatProfile>
  /**
   * The persisted profile cache: what the resolvers returned, shown at once on the next open for the same
   * contact or group, then refreshed from the resolver. `false`: memory only (the app's life), nothing stored.
   */
  profileCache?: false | ProfileCacheOptions
  /** Overrides the host picked for the build's platform (tests, the simulator, a custom bridge). */
  host?: ChainHost
  /**
   * UI language of the components. Default: the app's uni locale (`uni.getLocale()`, followed on
   * `uni.onLocaleChange`; zh-Hans → zh-CN), else 'zh-CN'. Given, it is fixed (changeable with `setLocale`).
   */
  locale?: ChainToolbarLocale
  /**
   * Colour scheme of the components. Default `auto`: dark only where the app opted in to dark mode
   * (manifest.json `h5.darkmode` / `mp-weixin.darkmode`) and the system is dark. `light` / `dark` force it.
   */
  theme?: ChainToolbarTheme
  /** Overrides of the components' strings, per locale. */
  messages?: Record<string, Partial<Record<string, string>>>
}
