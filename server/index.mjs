// uni-chain-toolbar/server: the app backend's half of the kit, for Node ≥ 20 (plain ES modules,
// no build step; types in index.d.ts). docs/wecom-host.md §5 lists the WeCom APIs behind it.
export { createChainToolbarServer } from './server.mjs'
export { createChainToolbarHandlers, toKoaMiddleware, toNodeHandler } from './handlers.mjs'
export { createMemoryRateLimitStore } from './rate-limit.mjs'
export { createMemoryCache } from './cache.mjs'
export { createRedisCache } from './redis-cache.mjs'
export { ChainToolbarServerError, ERROR_STATUS } from './errors.mjs'
export { computeJsSdkSignature } from './signature.mjs'
export { formatDoctorCheck, runDoctor } from './doctor.mjs'
export { DEFAULT_MEDIA_LIMITS, MEDIA_LIFETIME_MS } from './media.mjs'
export { isBlockedAddress } from './media-fetch.mjs'
