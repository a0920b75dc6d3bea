import { ChainToolbarError } from './errors'
import type { ChainHost, HostApi } from './host/types'
import type { Entry } from './types'
import { compareVersions } from './version'

interface Requirement {
  /** The entries the API works from; undefined: any entry. */
  entries?: readonly string[]
  minVersion: string
}

/** Where each API can succeed (docs/wecom-host.md §1; chain entries per the seed doc 38713). */
export const API_REQUIREMENTS: Readonly<Record<HostApi, Requirement>> = {
  getContext: { minVersion: '3.0.24' },
  getCurCorpGroupContact: { entries: ['chain_single_chat_tools'], minVersion: '4.0.8' },
  getCurCorpGroupChat: { entries: ['chain_group_chat_tools'], minVersion: '4.0.12' },
  sendChatMessage: {
    entries: [
      'single_chat_tools',
      'group_chat_tools',
      'chat_attachment',
      'single_kf_tools',
      'chain_single_chat_tools',
      'chain_group_chat_tools',
    ],
    minVersion: '2.8.10',
  },
}

/**
 * Why `api` cannot succeed from `entry` on a client of `version` (null: unknown, feature detection
 * decides through `host.hasApi`), as the error to throw; null where it can.
 */
export function refusal(api: HostApi, entry: Entry | null, version: string | null, host: ChainHost): ChainToolbarError | null {
  const { entries, minVersion } = API_REQUIREMENTS[api]
  if (entries && !entries.includes(entry!)) return new ChainToolbarError('UNSUPPORTED_ENTRY', `${api} is not available from ${entry}`)
  return host.hasApi(api) && (version == null || compareVersions(version, minVersion) >= 0)
    ? null
    : new ChainToolbarError('CLIENT_TOO_OLD', `${api} needs WeCom ${minVersion}+`)
}
