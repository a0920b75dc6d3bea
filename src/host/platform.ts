// The one place that picks the host for the platform the app was built for (STYLE.md).
import type { ChainToolbarOptions } from '../types'
import { createOutsideHost } from './outside'
import type { ChainHost } from './types'
// #ifdef MP-WEIXIN
import { createMiniProgramHost } from './mini-program'
// #endif
// #ifdef H5
import { createWebHost } from './web'
// #endif

export function createPlatformHost(options: ChainToolbarOptions): ChainHost {
  let host: ChainHost | undefined
  // #ifdef MP-WEIXIN
  host = createMiniProgramHost({ exchangeCode: options.miniProgram?.exchangeCode })
  // #endif
  // #ifdef H5
  // Without options.web the page cannot register its app identity; inside WeCom the first call says so.
  host = createWebHost(options.web ?? { corpId: '', agentId: '', getSignature: missingWebOptions })
  // #endif
  return host ?? createOutsideHost()
}

function missingWebOptions(): never {
  throw new Error('createChainToolbar({ web: { corpId, agentId, getSignature } }) is required in the WeCom browser')
}
