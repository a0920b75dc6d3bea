import { deadline } from './host/scope'
import type { ChainToolbarOptions } from './types'

/** The components' language when the app gives none and uni reports none: 简体中文. */
export const DEFAULT_LOCALE = 'zh-CN'

/** The app's options as the kit reads them: `timeoutMs` is a deadline. */
export type ResolvedOptions = ChainToolbarOptions & { timeoutMs: number }

/**
 * The one place the app's options are normalised (`createChainToolbar` calls it once); the store, the platform
 * host and the components read the result. `timeoutMs`: a positive number, else the default (DEFAULT_TIMEOUT_MS).
 */
export const resolveOptions = (options: ChainToolbarOptions): ResolvedOptions => ({ ...options, timeoutMs: deadline(options.timeoutMs) })
