import { ChainToolbarError } from '../errors'
import type { ChainHost } from './types'

/** The host outside WeCom (an ordinary browser, plain WeChat, another platform): nothing to call. */
export function createOutsideHost(name = 'none'): ChainHost {
  const refuse = (api: string) => Promise.reject(new ChainToolbarError('NOT_IN_WECOM', 'Not inside WeCom', { api }))
  return {
    name,
    isWeCom: false,
    getClientVersion: () => null,
    hasApi: () => false,
    getContext: () => refuse('getContext'),
    getCurCorpGroupContact: () => refuse('getCurCorpGroupContact'),
    getCurCorpGroupChat: () => refuse('getCurCorpGroupChat'),
    sendChatMessage: () => refuse('sendChatMessage'),
  }
}
