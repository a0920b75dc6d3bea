// The one place that picks the host for the platform the app was built for (docs/development.md).
// Each build includes only its own host.
import type { ChainToolbarWebOptions } from '../types'
import type { ChainHost } from './types'
// #ifdef MP-WEIXIN
import { createMiniProgramHost } from './mini-program'
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
