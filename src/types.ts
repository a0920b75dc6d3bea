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
  /**
   * Turns content a message names (`path`, `url`, `blob`) into a `mediaid` (docs/media.md). Default: the
   * server companion's `POST /wecom/media` at `media.endpoint`. Call `onProgress(0..1)` as bytes go out.
   */
  uploadMedia?: (request: UploadMediaRequest) => UploadedMedia | Promise<UploadedMedia>
  /** How content is uploaded and kept (docs/media.md). */
  media?: ChainToolbarMediaOptions
}

/** What the uploader is asked to upload: the content, its checked type and name, and where to report progress. */
export type UploadMediaRequest = MediaContent & {
  type: MediaType
  name: string
  /** The size in bytes where it is known (a Blob; a path, from uni.getFileInfo). */
  size?: number
  /** Report the fraction sent, 0..1. */
  onProgress(fraction: number): void
}

/** An uploader's answer: the id, and when WeCom drops it (epoch ms; default 3 days after the upload). */
export interface UploadedMedia {
  mediaid: string
  expiresAt?: number
}

export interface ChainToolbarMediaOptions {
  /** The server companion's media endpoint (`https://app.example.com/api/wecom/media`). Needed by the default uploader. */
  endpoint?: string
  /** Headers of every upload (your session token): an object, or a function asked before each upload. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>)
  /** Deadline of one upload, in ms (not `timeoutMs`, which bounds host calls). Default 120000. */
  timeoutMs?: number
  /** Largest sizes in bytes, checked before a byte is sent. Default image 2 MB, video 10 MB, file 20 MB. */
  limits?: Partial<Record<MediaType, number>>
  /** Where uploaded ids are kept between launches (default uni's storage); `false`: memory only. */
  storage?: false | ProfileStorage
}
