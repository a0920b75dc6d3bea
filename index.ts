// The package entry (`uni-chain-toolbar`): above every layer it gathers (docs/development.md).
/// <reference path="./types/wx-qy.d.ts" />
/// <reference path="./types/components.d.ts" />
export { createChainToolbar } from './src/plugin'
export { DEFAULT_TIMEOUT_MS } from './src/host/scope'
export { createMiniProgramHost } from './src/host/mini-program'
export type { MiniProgramHostOptions, QyLike } from './src/host/mini-program'
export { createWebHost } from './src/host/web'
export type { WebHostOptions, WeComSdk } from './src/host/web'
export { createOutsideHost } from './src/host/outside'
export type { ActivationScope, ChainHost, HostApi, HostContext } from './src/host/types'
export { ChainToolbarError, isChainToolbarError } from './src/errors'
export type { ErrorCode, ChainToolbarErrorDetails } from './src/errors'
export { useChainToolbarStore } from './src/store'
export { clearProfileCache } from './src/profile-cache'
export type { ChainToolbarStore } from './src/store'
export { validateChatMessage } from './src/message'
export type {
  AgentConfigSignature,
  ChainChatProfile,
  ChainContact,
  ChainContactProfile,
  ChainToolbarLocale,
  ChainToolbarOptions,
  ChainToolbarWebOptions,
  ChatMessage,
  ChatMessageType,
  Entry,
  FileMessage,
  ImageMessage,
  KnownEntry,
  MediaBody,
  MediaContent,
  MediaId,
  MediaType,
  ChainToolbarMediaOptions,
  UploadedMedia,
  UploadMediaRequest,
  MiniProgramMessage,
  NewsMessage,
  ProfileCacheOptions,
  ProfileStorage,
  TextMessage,
  VideoMessage,
} from './src/types'
export { useEntry } from './composables/useEntry'
export type { UseEntryReturn } from './composables/useEntry'
export { useChainContact } from './composables/useChainContact'
export type { UseChainContactReturn } from './composables/useChainContact'
export { useChainChat } from './composables/useChainChat'
export type { UseChainChatReturn } from './composables/useChainChat'
export { useShareToChat } from './composables/useShareToChat'
export type { UseShareToChatReturn } from './composables/useShareToChat'
export { useChainToolbarI18n } from './composables/useChainToolbarI18n'
export type { UseChainToolbarI18nReturn } from './composables/useChainToolbarI18n'
export { chainToolbarZhCN } from './src/i18n'
export { chainToolbarEn } from './src/locales/en'
export type { ChainToolbarMessageKey, ChainToolbarMessageOverrides, ChainToolbarMessages } from './src/i18n'
export type { ChainContactCardProps, ChainContactCardSlots } from './components/chain-contact-card/types'
export type { ChainGroupCardProps, ChainGroupCardSlots } from './components/chain-group-card/types'
export type { ShareToChatButtonEmits, ShareToChatButtonProps } from './components/share-to-chat-button/types'
export type { ChainEntryGateProps, ChainEntryGateSlots } from './components/chain-entry-gate/types'
