// The one place that picks the host for the platform the app was built for (docs/development.md).
// Each build includes only its own host.
import type { ChainHost, ChainToolbarWebOptions } from './types'
// #ifdef MP-WEIXIN
import { createMiniProgramHost } from './mini-program'
import { createMediaResolver, isMediaRefusal } from '../media'
// #endif
// #ifdef H5
import { createWebHost } from './web'
// #endif
// #ifndef MP-WEIXIN || H5
import { createOutsideHost } from './outside'
// #endif

/** What the platform's host takes of the app's options, normalised by the plugin (`timeoutMs` is a deadline). */
export interface PlatformHostOptions {
  miniProgram?: { exchangeCode: (code: string) => unknown }
  web?: ChainToolbarWebOptions
  timeoutMs: number
}

export function createPlatformHost(options: PlatformHostOptions): ChainHost {
  // #ifdef MP-WEIXIN
  // Without wx.qy (plain WeChat, DevTools) this host is outside WeCom itself: isWeCom false, calls reject NOT_IN_WECOM.
  return createMiniProgramHost({ exchangeCode: options.miniProgram?.exchangeCode, timeoutMs: options.timeoutMs })
  // #endif
  // #ifdef H5
  // Without options.web the page cannot register its app identity; inside WeCom the first call says so.
  // Outside the WeCom browser this host is outside WeCom itself (the user agent says so, the SDK is never loaded).
  return createWebHost({ ...options.web, timeoutMs: options.timeoutMs })
  // #endif
  // #ifndef MP-WEIXIN || H5
  return createOutsideHost()
  // #endif
}

/**
 * The media uploader (src/media), loaded when a message first names content. H5: a lazy chunk. Mini program: in
 * the bundle, since uni's mp-weixin build renders a lazy `import()` as the chunk's path, a string, not a module
 * (its dynamic-import polyfill, docs/development.md "uni's mini program build has no lazy import").
 */
export function loadMedia(): Promise<Pick<typeof import('../media'), 'createMediaResolver' | 'isMediaRefusal'>> {
  // #ifdef MP-WEIXIN
  return Promise.resolve({ createMediaResolver, isMediaRefusal })
  // #endif
  // #ifndef MP-WEIXIN
  return import('../media')
  // #endif
}
