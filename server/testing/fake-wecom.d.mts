// Types for the fake WeCom server API (tests and the demo's dev server). Not part of the public module.
export declare const FAKE_DEFAULTS: Readonly<{ corpId: string; agentId: number; secret: string; ticket: string }>

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
}
export interface FakeWeComApi {
  /** Base URL, to pass as apiBaseUrl. */
  url: string
  /** The companion's options that point it at this fake (no environment variables read). */
  companion: { env: Record<string, string | undefined>; corpId: string; agentId: number; secret: string; apiBaseUrl: string }
  calls: { api: string; method: string; query: Record<string, string>; body: any }[]
  fail(api: string, errcode: number, times?: number): void
  hang(api: string, times?: number): void
  revokeTokens(): void
  /** A new one-use OAuth code for `userId` (of `corpId`, when a chain member); returns it. */
  addOAuthCode(code: string, userId: string, corpId?: string): string
  /** A one-use OAuth code of a non-member (getuserinfo answers an openid). */
  addOutsiderOAuthCode(code: string, openId?: string): string
  close(): Promise<void>
  [key: string]: unknown
}
export declare function createFakeWeComApi(options?: FakeWeComOptions): Promise<FakeWeComApi>
