import type { ChainContact, ChainHost, ChainToolbarWebOptions, MediaContent, MediaType } from './host/types'

// What the WeCom host answers and takes: declared with the host (src/host/types.ts), part of the kit's types.
export type {
  AgentConfigSignature,
  ChainContact,
  ChainToolbarWebOptions,
  ChatMessage,
  ChatMessageType,
  Entry,
  FileMessage,
  ImageMessage,
  MediaBody,
  MediaContent,
  MediaId,
  MediaType,
  KnownEntry,
  MiniProgramMessage,
  NewsMessage,
  TextMessage,
  VideoMessage,
} from './host/types'

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
   * Inside WeCom, start the first activation when the kit is installed (the H5 SDK chunk, the signature,
   * agentConfig and getContext; in the mini program checkSession, getSystemInfo and getContext), so it
   * overlaps uni's boot and the first page's chunk; the first page's consumers join it. Outside WeCom
   * installing starts nothing either way. Default true; `false` starts it when the first consumer mounts.
   */
  startAtInstall?: boolean
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
