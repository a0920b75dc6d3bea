import { ChainToolbarError } from './errors'
import { explain } from './host/hints'
import type { ChainHost, HostApi } from './host/types'
import type { Entry } from './types'
import { isAtLeast } from './version'

// uni (and any Vite build) replaces `process.env.NODE_ENV` with a string (src/runtime.ts).
declare const process: { env: { NODE_ENV?: string } }

const CHAIN_SINGLE = 'chain_single_chat_tools'
const CHAIN_GROUP = 'chain_group_chat_tools'

/**
 * Where each API can succeed (docs/wecom-host.md §1; chain entries per the seed doc 38713): the minimum
 * client version, then the entries it works from (none listed: any entry).
 */
export const API_REQUIREMENTS: Readonly<Record<HostApi, readonly [minVersion: string, ...entries: string[]]>> = {
  getContext: ['3.0.24'],
  getCurCorpGroupContact: ['4.0.8', CHAIN_SINGLE],
  getCurCorpGroupChat: ['4.0.12', CHAIN_GROUP],
  sendChatMessage: ['2.8.10', 'single_chat_tools', 'group_chat_tools', 'chat_attachment', 'single_kf_tools', CHAIN_SINGLE, CHAIN_GROUP],
}

/**
 * Why `api` cannot succeed from `entry` on a client of `version` (null: unknown, feature detection
 * decides through `host.hasApi`), as the error to throw; null where it can.
 */
export function refusal(api: HostApi, entry: Entry | null, version: string | null, host: ChainHost): ChainToolbarError | null {
  const [minVersion, ...entries] = API_REQUIREMENTS[api]
  const refused =
    entries[0] && !entries.includes(entry!)
      ? new ChainToolbarError('UNSUPPORTED_ENTRY', `${api} is not available from ${entry}`, { reason: 'wrong-entry' })
      : host.hasApi(api) && (version == null || isAtLeast(version, minVersion))
        ? null
        : new ChainToolbarError('CLIENT_TOO_OLD', `${api} needs WeCom ${minVersion}+`)
  // Development only: the hint names the entry and the client version the kit saw (src/host/hints.ts).
  if (process.env.NODE_ENV !== 'production' && refused) explain(refused, { api, entry, version })
  return refused
}
