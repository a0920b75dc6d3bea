// The part of @wecom/jssdk the kit uses. Imported lazily (and only inside WeCom) by the web host, so
// Rollup keeps just this subset in one async chunk (~4.8 KB gzip instead of 16.8 KB, docs/wecom-host.md §3).
export { env, register, ensureConfigReady, getContext, getCurCorpGroupContact, getCurCorpGroupChat, sendChatMessage } from '@wecom/jssdk'
