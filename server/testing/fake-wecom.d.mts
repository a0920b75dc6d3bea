// Types for the fake WeCom server API (tests and the demo's dev server). Not part of the public module.
export declare const FAKE_DEFAULTS: Readonly<{ corpId: string; agentId: number; secret: string; ticket: string }>

/** Server-side setup faults the fake answers with, as WeCom words them (see FAKE_FAULTS in fake-wecom.mjs). */
export type FakeFault = 'untrusted-ip' | 'invalid-credential' | 'invalid-corpid' | 'api-forbidden' | 'not-shared'
export declare const FAKE_FAULTS: readonly FakeFault[]

/** What agent/get answers: the app's name, trusted domain (redirect_domain) and home page (home_url). */
export interface FakeAgent {
  name?: string
  redirectDomain?: string
  homeUrl?: string
}

export interface FakeUser {
  name: string
  department?: number[]
  position?: string
  avatar?: string
  visible?: boolean
}
export interface FakeDownstream {
  corpName: string
  agentId: number
  users: Record<string, FakeUser>
}
export interface FakeWeComOptions {
  corpId?: string
  agentId?: number
  secret?: string
  ticket?: string
  expiresIn?: number
  codes?: Record<string, { userId: string; corpId?: string; sessionKey?: string }>
  /** One-use OAuth codes (H5, auth/getuserinfo): a member (`corpId` of another corp: a chain member) or an outsider. */
  oauthCodes?: Record<string, { userId?: string; corpId?: string; openId?: string }>
  downstream?: Record<string, FakeDownstream>
  latencyMs?: number
  /** Default: redirect_domain 'app.example.com', home_url 'https://app.example.com/'. */
  agent?: FakeAgent
  /** Faults answered from the start. */
  faults?: FakeFault[]
  /** The fake's clock (ms). Default Date.now; `advanceClock` moves it on. */
  now?: () => number
  /** Largest image media/upload accepts. Default 2 MB (WeCom's pages say 2 MB or 10 MB). */
  imageMaxBytes?: number
  /** Refuse (40006) a media part without filelength, as a stricter WeCom might (unconfirmed). Default false. */
  requireFileLength?: boolean
}
export type FakeMediaType = 'image' | 'voice' | 'video' | 'file'
export interface FakeIssuedMedia {
  type: FakeMediaType
  /** The part's filename (what the chat shows). */
  filename: string
  contentType: string
  size: number
  /** sha256 of the bytes received, hex. */
  sha256: string
  createdAt: number
  expiresAt: number
}
/** Largest file per type media/upload accepts (image: the default; see imageMaxBytes). */
export declare const FAKE_MEDIA_LIMITS: Readonly<Record<FakeMediaType, number>>
/** 3 days. */
export declare const MEDIA_LIFETIME_MS: number
/** Whether any fake in this process issued `mediaId` and it is still valid by that fake's clock. */
export declare function fakeMediaStatus(mediaId: string): 'valid' | 'expired' | 'unknown'
export interface FakeWeComApi {
  /** Base URL, to pass as apiBaseUrl. */
  url: string
  /** The upstream corp, app and secret the fake answers for. */
  corpId: string
  agentId: number
  secret: string
  /** The companion's options that point it at this fake (no environment variables read). */
  companion: { env: Record<string, string | undefined>; corpId: string; agentId: number; secret: string; apiBaseUrl: string }
  calls: { api: string; method: string; query: Record<string, string>; body: any }[]
  fail(api: string, errcode: number, times?: number): void
  hang(api: string, times?: number): void
  revokeTokens(): void
  /** WeCom answers with `fault` from now on, until healed. */
  inject(fault: FakeFault): void
  /** Removes `fault`, or every fault. */
  heal(fault?: FakeFault): void
  state: {
    agent: FakeAgent
    faults: Set<FakeFault>
    /** The single-use wx.qy.login codes jscode2session still accepts. */
    codes: Map<string, { userId: string; corpId?: string; sessionKey?: string }>
    [key: string]: unknown
  }
  /** How many calls `api` received. */
  count(api: string): number
  media: {
    issued: Map<string, FakeIssuedMedia>
    status(mediaId: string): 'valid' | 'expired' | 'unknown'
    limits: Readonly<Record<FakeMediaType, number>>
  }
  now(): number
  advanceClock(ms: number): void
  /** A new single-use wx.qy.login code for `userId`. */
  addCode(code: string, userId: string, sessionKey?: string): void
  /** A new one-use OAuth code for `userId` (of `corpId`, when a chain member); returns it. */
  addOAuthCode(code: string, userId: string, corpId?: string): string
  /** A one-use OAuth code of a non-member (getuserinfo answers an openid). */
  addOutsiderOAuthCode(code: string, openId?: string): string
  close(): Promise<void>
}
export declare function createFakeWeComApi(options?: FakeWeComOptions): Promise<FakeWeComApi>
