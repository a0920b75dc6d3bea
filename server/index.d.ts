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
  | 'REQUEST_TIMEOUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'CONFIG_ERROR'
  | 'INTERNAL'
  | 'TOKEN_INVALID'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_TIMEOUT'
  | 'CACHE_UNAVAILABLE'

/** HTTP status per error code (what the handlers answer). */
export declare const ERROR_STATUS: Readonly<Record<ServerErrorCode, number>>

/** Every failure of the server module. The message holds no secret, token or session key. */
export declare class ChainToolbarServerError extends Error {
  constructor(
    code: ServerErrorCode,
    message: string,
    details?: { api?: string; errcode?: number; errmsg?: string; cause?: unknown; retryAfter?: number },
  )
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
  /** Seconds before trying again may succeed, sent as Retry-After (RATE_LIMITED, CACHE_UNAVAILABLE). */
  readonly retryAfter?: number
  /** The media limit a file broke (PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, INVALID_REQUEST for ≤ 5 bytes); also in the answer. */
  readonly limit?: MediaLimitBroken
}

export type MediaType = 'image' | 'voice' | 'video' | 'file'

/** Which media limit a file broke: the largest size, the smallest size, or the formats accepted. */
export interface MediaLimitBroken {
  type: MediaType
  maxBytes?: number
  minBytes?: number
  /** 'jpeg' | 'png' (image), 'amr' (voice), 'mp4' (video). */
  accepts?: string[]
}

/** WeCom's limits: image 2 MB (JPG/PNG), voice 2 MB (AMR), video 10 MB (MP4), file 20 MB; every file larger than 5 bytes. */
export declare const DEFAULT_MEDIA_LIMITS: Readonly<Record<MediaType, number>>
/** A media_id lives 3 days: 259200000 ms. */
export declare const MEDIA_LIFETIME_MS: number
/**
 * True for an address a fetch by URL never connects to: loopback, private, link-local, CGNAT, multicast, unspecified,
 * documentation, reserved and cloud metadata ranges, IPv4 and IPv6 (an IPv4-mapped, NAT64 or 6to4 address judged as
 * its IPv4 address). Not an IP address: true.
 */
export declare function isBlockedAddress(address: string): boolean

export interface MediaOptions {
  /**
   * Largest file per type, in bytes. Default DEFAULT_MEDIA_LIMITS; WeCom's pages give 2 MB or 10 MB for images,
   * so `image` is the one you may raise.
   */
  limits?: Partial<Record<MediaType, number>>
  /**
   * Origins (`https://files.example.com`) the server may fetch media from by URL, or a predicate. Default none:
   * `{ type, url }` uploads are refused (403 FORBIDDEN).
   */
  fetchOrigins?: string[] | ((origin: string) => boolean)
  /**
   * Which addresses a fetch by URL may connect to, checked when the socket connects (every address the name resolves
   * to, and the connected one). Default: `!isBlockedAddress(address)`. Tests that serve files on 127.0.0.1 allow it here.
   */
  isAddressAllowed?: (address: string, family: 4 | 6) => boolean
  /** The DNS lookup of fetches by URL (node:dns lookup's signature). Default dns.lookup. */
  lookup?: typeof import('node:dns').lookup
  /** Redirects followed within the URL's own origin; a redirect to another origin is refused. Default 3. */
  maxRedirects?: number
  /** Deadline of a fetch by URL, body included. Default 30000 ms. */
  fetchTimeoutMs?: number
  /** Deadline of one media/upload call. Default 120000 ms. */
  uploadTimeoutMs?: number
  /** An id is reused for the same content until this long before it expires. Default 6 h. */
  reuseMarginMs?: number
  /** Where uploads are spooled (files of mode 0600, removed after each upload). Default os.tmpdir(). */
  tmpDir?: string
  /**
   * Stream a file on to media/upload while it arrives (its type known first, its first bytes in the type's format),
   * holding back the request's end until the content's hash has decided: a new file then costs WeCom's answer, not a
   * second pass; a known one's request is dropped before its end (WeCom issues nothing, but has received the bytes).
   * `false`: spool first, send after (WeCom never sees a byte of a file over its limit or already uploaded). Default true.
   */
  streamWhileReceiving?: boolean
}

export interface UploadMediaInput {
  type: MediaType
  /** The bytes: a Buffer / Uint8Array, a Node readable, a Web ReadableStream or an async iterable of bytes. */
  data?: Uint8Array | NodeJS.ReadableStream | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>
  /** Or a URL on one of media.fetchOrigins, fetched under the SSRF guards. */
  url?: string
  /** The name the chat shows (a file message). Default: the URL's last segment, else `file` / `image.jpg` / … */
  name?: string
  /** For `file`: the content-type sent to WeCom. Image, voice and video get theirs from their content. */
  contentType?: string
}

export interface UploadedMedia {
  mediaid: string
  /** When WeCom drops the id (epoch ms): 3 days after it was uploaded. */
  expiresAt: number
  type: MediaType
  name: string
  size: number
  /** sha256 of the content, hex: the same content (and type; for a file, name) gets the same id while it is valid. */
  sha256: string
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

/** At most `limit` requests per `windowMs` (defaults: see ChainToolbarHandlersOptions.rateLimits). */
export interface RateLimitRule {
  limit?: number
  windowMs?: number
}

/** Counts hits per key in fixed windows (per-caller rate limits). */
export interface RateLimitStore {
  /** Counts one hit in the key's current window of `windowMs`: the count so far and the time left. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>
}

export interface RedisCacheOptions {
  /** A connected node-redis client (v4 or later), or anything with `sendCommand(args: string[])`. */
  client?: { sendCommand(args: string[]): Promise<unknown> }
  /** Or a Redis URL: the cache imports the optional peer `redis` and connects its own client. */
  url?: string
  /**
   * Deadline of each Redis command (a Redis outage fails requests instead of hanging them). Default 2000 ms.
   * A lock command that misses it is released right behind it, so a stall does not leave a lock behind.
   */
  commandTimeoutMs?: number
  /** After a command failed, the next ones fail at once for this long before one tries again. Default 1000 ms. */
  retryAfterFailureMs?: number
  /** Key prefix. Default 'uni-chain-toolbar:'. */
  prefix?: string
  /** Connection errors of a client created from `url` (node-redis emits them while reconnecting). */
  onError?: (error: unknown) => void
}

export interface RedisCache extends ChainToolbarCache, RateLimitStore {
  /** The release function also renews the lock while it is held: `release.extend(ttlMs)`. */
  lock(key: string, ttlMs: number): Promise<((() => Promise<void>) & { extend(ttlMs: number): Promise<boolean> }) | null>
  readonly renewableLocks: true
  /** Disconnects the client created from `url` (a client you passed stays yours). */
  close(): Promise<void>
}

/**
 * What the module reports to the `log` option. Entries never hold secrets, tokens, login codes or session keys.
 * Without the option, `error` entries and the `warn` entries `dependency-failure` and `origin-refused` are
 * printed on the console, one line each.
 */
export interface ServerLogEntry {
  level: 'debug' | 'info' | 'warn' | 'error'
  /**
   * e.g. 'wecom-call', 'token-fetched', 'token-refresh', 'wecom-error', 'handler-error', 'media-uploaded' (info),
   * 'media-early-refused' (warn: WeCom refused a file streamed on without filelength; it was sent again from the spool,
   * see MediaOptions.streamWhileReceiving), 'client-aborted' (info: the client went away mid-body),
   * 'dependency-failure' (the cache or the rate-limit store failed; `dependency` says which), 'origin-refused' (warn:
   * a URL on an origin outside allowedOrigins was not signed; `message` names the origin).
   */
  event: string
  dependency?: 'cache' | 'rate-limit-store'
  /** 'local-copy' when a credential was served from the in-process copy during a cache failure. */
  fallback?: string
  api?: string
  errcode?: number
  /** WeCom's errmsg on a failed request (handler-error): for a 60020 it names the IP to add to the app's trusted IPs. */
  errmsg?: string
  code?: string
  /** The refusal, for 'origin-refused'. */
  message?: string
  ms?: number
  /** Only for unexpected (non-ChainToolbarServerError) failures in the handlers. */
  error?: unknown
  /** 'media-uploaded': the file's size. */
  bytes?: number
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
   * CHAIN_TOOLBAR_ALLOWED_ORIGINS (comma separated). Required: without either the server does not start;
   * `[]` says on purpose that it signs no page (a server for the mini program only).
   */
  allowedOrigins?: string[] | ((origin: string) => boolean)
  /** Default 'https://qyapi.weixin.qq.com' (env WECOM_API_BASE_URL). */
  apiBaseUrl?: string
  /** Deadline of each WeCom API call. Default 5000 ms. */
  timeoutMs?: number
  /** Where tokens, tickets and session keys live. Default: createMemoryCache(). */
  cache?: ChainToolbarCache
  /**
   * How long a credential read from the cache may be served from an in-process copy while the cache fails
   * (until it expires, at most this long after it was last read). Default 600000 ms (10 min).
   */
  localCopyMs?: number
  /** How long a corp the app is not shared with, or an unknown / invisible user, is remembered. Default 60000 ms. */
  negativeCacheTtlMs?: number
  /**
   * Where log entries go. Default: failures on the console, one line each (no secrets). A function receives every
   * entry instead; `false` silences the module.
   */
  log?: ((entry: ServerLogEntry) => void) | false
  /** Environment to read defaults from. Default process.env. */
  env?: Record<string, string | undefined>
  /** Temporary media (uploadMedia, POST /wecom/media): limits, fetching by URL, deadlines. */
  media?: MediaOptions
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
  /** The upstream corp (the app's own). */
  readonly corpId: string
  /**
   * `{ timestamp, nonceStr, signature }` for `url` (its #hash removed), with the app's agent_config
   * ticket. ORIGIN_NOT_ALLOWED unless the URL's origin is in allowedOrigins.
   */
  signAgentConfig(url: string): Promise<AgentConfigSignature>
  /** wx.qy.login code → jscode2session; session_key stays in the cache. INVALID_CODE for 40029. */
  exchangeCode(code: string): Promise<CodeExchangeResult>
  /**
   * A WeCom OAuth code (H5, snsapi_base) → auth/getuserinfo → the same session token as exchangeCode; a chain
   * member's `CorpId/userid` becomes `{ corpId, userId }`. INVALID_CODE for 40029, and for a code refused or
   * used before (remembered 5 minutes, WeCom is not asked again); FORBIDDEN for a non-member (openid).
   */
  exchangeOAuthCode(code: string): Promise<CodeExchangeResult>
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
  /**
   * A media id for image / voice / video / file messages: checks type, size and the content's first bytes
   * (PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, INVALID_REQUEST before anything is sent), answers the id already
   * uploaded for the same content while it stays valid, else streams the content to WeCom's media/upload (one upload
   * per content at a time, across instances sharing a cache with locks).
   */
  uploadMedia(input: UploadMediaInput): Promise<UploadedMedia>
}

export declare function createChainToolbarServer(options?: ChainToolbarServerOptions): ChainToolbarServer

export interface ChainToolbarHandlersOptions extends ChainToolbarServerOptions {
  /** Use this server instead of creating one from the options. */
  server?: ChainToolbarServer
  /** Prefix of every path, e.g. '/api'. Default ''. */
  basePath?: string
  /** Defaults: '/wecom/agent-signature', '/wecom/session', '/wecom/oauth-session', '/chain' (+ '/:corpId/:userId'), '/wecom/media'. */
  paths?: { agentSignature?: string; session?: string; oauthSession?: string; chainContact?: string; media?: string }
  /** Largest accepted request body. Default 4096 bytes. */
  maxBodyBytes?: number
  /** A body not received within this time is answered 408 REQUEST_TIMEOUT and its connection closed. Default 10000 ms. */
  bodyTimeoutMs?: number
  /**
   * Which signed-in members may read which chain contacts. Default: only members of the app's own (upstream)
   * corp — a downstream member signed in through a shared mini program gets 403 FORBIDDEN. Widening it lets
   * that member read the names, departments and positions of whichever corps you allow (for example a
   * competitor of theirs that is also your downstream): allow the least you need, e.g. their own corp.
   */
  authorize?: (session: VerifiedSession, target: { corpId: string; userId: string }) => boolean | Promise<boolean>
  /**
   * Replaces the session check with your own login (cookie, OAuth) for pages without a session token, such as
   * H5. You then decide tenancy yourself. Return false to answer 403 FORBIDDEN.
   */
  authorizeChainContact?: (request: Request, contact: { corpId: string; userId: string }) => boolean | Promise<boolean>
  /**
   * Per-caller limits on what callers can make the server ask WeCom. `session` and `oauthSession`: per client
   * address (default 30 a minute each); `chainContact`: per signed-in member (default 60 a minute); `media`: per
   * member, else per address (default 30 a minute). `false` turns one, or all, off.
   * Over the limit: 429 RATE_LIMITED with Retry-After.
   */
  rateLimits?:
    | false
    | {
        session?: false | RateLimitRule
        oauthSession?: false | RateLimitRule
        chainContact?: false | RateLimitRule
        media?: false | RateLimitRule
      }
  /**
   * Who may upload media (POST /wecom/media). Default: a session token (Authorization: Bearer) of a member of the
   * app's own corp. With this hook, it decides, given the Web Request (headers only) and the session when a valid
   * token was sent (else null) — for H5 pages on the app's own login. Rate limited per member, else per address.
   */
  authorizeMedia?: (request: Request, session: VerifiedSession | null) => boolean | Promise<boolean>
  /** Deadline of a multipart upload's body (a 20 MB file from a phone takes a while). Default 300000 ms. */
  uploadBodyTimeoutMs?: number
  /** Where the limits count. Default: the cache when it can (createRedisCache: shared by all instances), else memory. */
  rateLimitStore?: RateLimitStore
  /**
   * The client address for the per-address limit. Default: the socket's remote address (node:http), or
   * `handle(request, { remoteAddress })`; when that is a loopback or private address (a reverse proxy), the
   * last X-Forwarded-For entry.
   */
  clientKey?: (request: Request) => string
}

export type WebHandler = (request: Request) => Promise<Response>

export interface ChainToolbarHandlers {
  /** GET ?url= → AgentConfigSignature */
  agentSignature: WebHandler
  /** POST { code } → { token, expiresIn, corpId, userId } */
  session: WebHandler
  /** POST { code } (a WeCom OAuth code, H5) → { token, expiresIn, corpId, userId }; 403 ORIGIN_NOT_ALLOWED from other origins */
  oauthSession: WebHandler
  /** GET …/:corpId/:userId (or ?corpId=&userId=, or `params` from your router) → ChainContactProfile */
  chainContact(request: Request, params?: { corpId: string; userId: string }): Promise<Response>
  /** POST multipart (one file part; fields `type`, `name`) or JSON { type, url, name? } → { mediaid, expiresAt } */
  media: WebHandler
  /** The handler for the request's path, or null when it is none of the companion's. */
  route(request: Request): (() => Promise<Response>) | null
  /** Routes by path; 404 JSON for any other path. `info.remoteAddress` keys the per-address rate limit. */
  handle(request: Request, info?: { remoteAddress?: string }): Promise<Response>
  server: ChainToolbarServer
  paths: { agentSignature: string; session: string; oauthSession: string; chainContact: string; media: string }
}

export declare function createChainToolbarHandlers(options?: ChainToolbarHandlersOptions): ChainToolbarHandlers

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void

/**
 * A `node:http` listener, and Express / Connect middleware: other paths go to `next` untouched (their body
 * is neither read nor attached to).
 */
export declare function toNodeHandler(handlers: ChainToolbarHandlers | WebHandler): NodeHandler

/** Koa middleware: the companion's paths are answered, every other request goes to `next()` untouched. */
export declare function toKoaMiddleware(handlers: ChainToolbarHandlers): (ctx: any, next: () => Promise<unknown>) => Promise<unknown>

/** Per-caller rate limits counted in this process. */
export declare function createMemoryRateLimitStore(): RateLimitStore

export declare function createMemoryCache(): ChainToolbarCache
export declare function createRedisCache(options: RedisCacheOptions): RedisCache

/** sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (40 hex digits). */
export declare function computeJsSdkSignature(input: { ticket: string; nonceStr: string; timestamp: number | string; url: string }): string

/** One check of the setup doctor: passed, failed (with the fix) or skipped (an earlier failure makes it moot). */
export interface DoctorCheck {
  id: 'credentials' | 'trusted-ip' | 'ticket' | 'trusted-domain' | 'mini-program-secret' | 'chain-sharing' | 'redis'
  title: string
  status: 'pass' | 'fail' | 'skip'
  /** What the doctor saw. Never a secret, token, ticket or Redis password. */
  detail: string
  /** What to change, on a failure. */
  fix?: string
  /** WeCom's errcode, when WeCom refused. */
  errcode?: number
}

export interface DoctorReport {
  /** False when any check failed. */
  ok: boolean
  checks: DoctorCheck[]
}

/**
 * The server companion's options (and environment variables) the doctor reads, plus the Redis it pings.
 */
export interface DoctorOptions
  extends Pick<ChainToolbarServerOptions, 'corpId' | 'agentId' | 'secret' | 'miniProgramSecret' | 'allowedOrigins' | 'apiBaseUrl' | 'timeoutMs' | 'env' | 'fetch'> {
  /** Redis to PING. Default: env CHAIN_TOOLBAR_REDIS_URL, else REDIS_URL; none → the check is skipped. */
  redisUrl?: string
  /** Called as each check completes, in order. */
  onCheck?: (check: DoctorCheck) => void
}

/** Checks the app's setup against the WeCom server API (docs/doctor.md). */
export declare function runDoctor(options?: DoctorOptions): Promise<DoctorReport>
/** One line: `PASS  title  detail` or `FAIL  title  detail. Fix: …`. */
export declare function formatDoctorCheck(check: DoctorCheck): string
