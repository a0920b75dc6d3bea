import type { HostContext } from './types'

/** A getContext answer as the kit reads it: the entry (`normal` where the client names none) and the share ticket, if any. */
export function toHostContext(res: { entry?: unknown; shareTicket?: unknown } | null | undefined): HostContext {
  const context: HostContext = { entry: String(res?.entry ?? 'normal') }
  if (res?.shareTicket) context.shareTicket = res.shareTicket as string
  return context
}
