// Types of uni-chain-toolbar/server (the code is plain ES modules: server/*.mjs).
import type { IncomingMessage, ServerResponse } from 'node:http'

export type ServerErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_CODE'
  | 'SESSION_INVALID'
  | 'FORBIDDEN'
  | 'ORIGIN_NOT_ALLOWED'
  | 'CONTACT_NOT_VISIBLE'
  | 'CONTACT_NOT_FOUND'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'CONFIG_ERROR'
  | 'INTERNAL'
  | 'TOKEN_INVALID'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_TIMEOUT'

/** HTTP status per error code (what the handlers answer). */
export declare const ERROR_STATUS: Readonly<Record<ServerErrorCode, number>>

/** Every failure of the server module. The message holds no secret, token or session key. */
export declare class ChainToolbarServerError extends Error {
  constructor(code: ServerErrorCode, message: string, details?: { api?: string; errcode?: number; errmsg?: string; cause?: unknown })
  readonly name: 'ChainToolbarServerError'
  readonly code: ServerErrorCode
  /** The HTTP status the handlers answer with. */
  readonly status: number
  /** The WeCom API (path under cgi-bin/) involved, when one was. */
  readonly api?: string
  /** WeCom's errcode, when WeCom answered with one (45009 → RATE_LIMITED, 40029 → INVALID_CODE, …). */
  readonly errcode?: number
  /** WeCom's errmsg, for your own logs only (it may name your server's IP). */
  readonly errmsg?: string
}

/** Strings in, strings out, TTL in milliseconds. */
export interface ChainToolbarCache {
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlMs: number): Promise<void>
  delete(key: string): Promise<void>
  /**
   * Takes the lock `key` for `ttlMs`: a release function, or null when someone else holds it.
   * Optional; without it, credential fetches are single-flight within one process only.
   */
  lock?(key: string, ttlMs: number): Promise<(() => Promise<void>) | null>
}

export interface RedisCacheOptions {
  /** A connected node-redis client (v4 or later), or anything with `sendCommand(args: string[])`. */
  client?: { sendCommand(args: string[]): Promise<unknown> }
  /** Or a Redis URL: the cache imports the optional peer `redis` and connects its own client. */
  url?: string
  /** Deadline of each Redis command (a Redis outage fails requests instead of hanging them). Default 2000 ms. */
  commandTimeoutMs?: number
  /** Key prefix. Default 'uni-chain-toolbar:'. */
  prefix?: string
  /** Connection errors of a client created from `url` (node-redis emits them while reconnecting). */
  onError?: (error: unknown) => void
}

export interface RedisCache extends ChainToolbarCache {
  lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | null>
  /** Disconnects the client created from `url` (a client you passed stays yours). */
  close(): Promise<void>
}

/** What the module reports to an optional `log` hook. Entries never hold secrets or tokens. */
export interface ServerLogEntry {
  level: 'debug' | 'warn' | 'error'
  event: string
  api?: string
  errcode?: number
  code?: string
  ms?: number
  /** Only for unexpected (non-ChainToolbarServerError) failures in the handlers. */
  error?: unknown
}

export interface ChainToolbarServerOptions {
  /** The upstream corp's id. Default: env WECOM_CORP_ID. */
  corpId?: string
  /** The app's agentid (needed for chain contacts). Default: env WECOM_AGENT_ID. */
  agentId?: number | string
  /** The app's secret. Default: env WECOM_AGENT_SECRET. Never send it to a browser. */
  secret?: string
  /** Secret of the app the mini program belongs to, when not the same app. Default: env WECOM_MINIPROGRAM_SECRET, else `secret`. */
  miniProgramSecret?: string
  /** HMAC key of session tokens, at least 32 bytes. Needed for exchangeCode. Default: env CHAIN_TOOLBAR_SESSION_SECRET. */
  sessionSecret?: string
  /** Session token lifetime. Default 7200 s. */
  sessionTtlSeconds?: number
  /**
   * Origins whose pages may be signed (`https://app.example.com`), or a predicate. Default: env
   * CHAIN_TOOLBAR_ALLOWED_ORIGINS (comma separated); none → every URL is refused.
   */
  allowedOrigins?: string[] | ((origin: string) => boolean)
  /** Default 'https://qyapi.weixin.qq.com' (env WECOM_API_BASE_URL). */
  apiBaseUrl?: string
  /** Deadline of each WeCom API call. Default 5000 ms. */
  timeoutMs?: number
  /** Where tokens, tickets and session keys live. Default: createMemoryCache(). */
  cache?: ChainToolbarCache
  /** Optional log hook. Without it the module logs nothing. */
  log?: (entry: ServerLogEntry) => void
  /** Environment to read defaults from. Default process.env. */
  env?: Record<string, string | undefined>
  /** For tests: the fetch to call WeCom with, the clock (ms), the nonce generator. */
  fetch?: typeof fetch
  now?: () => number
  createNonce?: () => string
}

/** The JS-SDK's own shape, what `createChainToolbar({ web: { getSignature } })` expects. */
export interface AgentConfigSignature {
  timestamp: number
  nonceStr: string
  signature: string
}

export interface CodeExchangeResult {
  /** Opaque, HMAC-signed, expiring; send it back as `Authorization: Bearer <token>`. */
  token: string
  expiresIn: number
  /** Epoch ms. */
  expiresAt: number
  corpId: string
  userId: string
}

export interface VerifiedSession {
  sessionId: string
  corpId: string
  userId: string
  /** Epoch ms. */
  expiresAt: number
}

export interface ChainContactProfile {
  corpId: string
  userId: string
  name: string
  corpName: string
  /** Department ids in the downstream corp, as user/get returns them. */
  department: number[]
  position: string
  /** Only when WeCom returns one (apps created after 2022-06-20 get none). */
  avatar?: string
}

export interface ChainToolbarServer {
  /**
   * `{ timestamp, nonceStr, signature }` for `url` (its #hash removed), with the app's agent_config
   * ticket. ORIGIN_NOT_ALLOWED unless the URL's origin is in allowedOrigins.
   */
  signAgentConfig(url: string): Promise<AgentConfigSignature>
  /** wx.qy.login code → jscode2session; session_key stays in the cache. INVALID_CODE for 40029. */
  exchangeCode(code: string): Promise<CodeExchangeResult>
  /** Checks a session token (SESSION_INVALID when forged, malformed or expired). */
  verifySession(token: string): VerifiedSession
  /** The session_key of a live session (SESSION_INVALID when gone). */
  getSessionKey(token: string): Promise<string>
  /** Display data of a chain contact. CONTACT_NOT_VISIBLE outside the app's visible range. */
  resolveChainContact(contact: { corpId: string; userId: string }): Promise<ChainContactProfile>
  /** The app's access token (cached). */
  getAccessToken(): Promise<string>
  /** The app's agent_config jsapi ticket (cached). */
  getAgentTicket(): Promise<string>
  isOriginAllowed(origin: string): boolean
}

export declare function createChainToolbarServer(options?: ChainToolbarServerOptions): ChainToolbarServer

export interface ChainToolbarHandlersOptions extends ChainToolbarServerOptions {
  /** Use this server instead of creating one from the options. */
  server?: ChainToolbarServer
  /** Prefix of every path, e.g. '/api'. Default ''. */
  basePath?: string
  /** Defaults: '/wecom/agent-signature', '/wecom/session', '/chain' (+ '/:corpId/:userId'). */
  paths?: { agentSignature?: string; session?: string; chainContact?: string }
  /** Largest accepted request body. Default 4096 bytes. */
  maxBodyBytes?: number
  /**
   * Who may read chain contact profiles. Default: a valid session token from the session endpoint
   * (`Authorization: Bearer <token>`). Return false to answer 403 FORBIDDEN.
   */
  authorizeChainContact?: (request: Request, contact: { corpId: string; userId: string }) => boolean | Promise<boolean>
}

export type WebHandler = (request: Request) => Promise<Response>

export interface ChainToolbarHandlers {
  /** GET ?url= → AgentConfigSignature */
  agentSignature: WebHandler
  /** POST { code } → { token, expiresIn, corpId, userId } */
  session: WebHandler
  /** GET …/:corpId/:userId (or ?corpId=&userId=, or `params` from your router) → ChainContactProfile */
  chainContact(request: Request, params?: { corpId: string; userId: string }): Promise<Response>
  /** The handler for the request's path, or null when it is none of the three. */
  route(request: Request): (() => Promise<Response>) | null
  /** Routes by path; 404 JSON for any other path. */
  handle: WebHandler
  server: ChainToolbarServer
  paths: { agentSignature: string; session: string; chainContact: string }
}

export declare function createChainToolbarHandlers(options?: ChainToolbarHandlersOptions): ChainToolbarHandlers

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void

/** A `node:http` listener (and Express/Connect middleware: other paths go to `next`). */
export declare function toNodeHandler(handlers: ChainToolbarHandlers | WebHandler): NodeHandler

export declare function createMemoryCache(): ChainToolbarCache
export declare function createRedisCache(options: RedisCacheOptions): RedisCache

/** sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (40 hex digits). */
export declare function computeJsSdkSignature(input: { ticket: string; nonceStr: string; timestamp: number | string; url: string }): string
