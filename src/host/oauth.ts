import { ChainToolbarError } from '../errors'
import { bound, type ActivationScope, within } from './scope'

/** WeCom's OAuth endpoint for pages in its browser (docs/wecom-host.md §5, "Member identity on H5"). */
export const OAUTH_AUTHORIZE_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize'
/** Where the kit keeps, for this tab, the redirect it made (its `state`) or that a code was already spent. */
export const OAUTH_STORAGE_KEY = 'uni-chain-toolbar:oauth'

export interface WebIdentityOptions {
  corpId?: string
  agentId?: string | number
  /** The app's server exchanges the code (`auth/getuserinfo`) for its session. */
  exchange: (code: string) => unknown
  /** false: never redirect; a function: navigates to WeCom's OAuth URL instead of `location.replace`. */
  redirect?: boolean | ((authorizeUrl: string) => void)
}

/** What the kit stores for this tab: a redirect it made, or a code that came back and was spent. */
type Stored = { state: string; hash: string } | { spent: true }

/**
 * The member's identity on H5, the twin of the mini program's login: the page's OAuth code (`snsapi_base`)
 * goes to the app's `exchange` once, and then every call of this page goes on.
 *
 * When it is created (the app's `createChainToolbar`, before any agentConfig): takes `code` and `state` out of
 * the page URL with `history.replaceState`, so that every agentConfig signs the URL the page keeps
 * (the SDK signs `location.href` without its #hash when agentConfig runs, and signs again when that
 * changes: docs/wecom-host.md §3). Without a code it redirects to WeCom's OAuth at the first call, with a
 * random `state` kept in sessionStorage, and accepts a code only with that `state` back. A code that came
 * back is spent for the tab: used, refused or with the wrong state, the kit never redirects again and
 * every call says why (LOGIN_FAILED); a successful exchange clears it, so a reload signs in again.
 */
export function createWebIdentity(options: WebIdentityOptions) {
  let code: string | null = null
  let failure: ChainToolbarError | null = null
  let done = false
  let exchanging: Promise<void> | null = null
  let leaving: Promise<void> | null = null
  const failed = (message: string, raw?: unknown, api = 'oauth') => new ChainToolbarError('LOGIN_FAILED', message, { api, raw })

  const read = (): Stored | null => {
    try {
      return JSON.parse(sessionStorage.getItem(OAUTH_STORAGE_KEY) ?? 'null')
    } catch {
      return null
    }
  }
  /** False when the tab has no storage: then the kit cannot remember a redirect, and makes none. */
  const write = (value: Stored | null): boolean => {
    try {
      if (value) sessionStorage.setItem(OAUTH_STORAGE_KEY, JSON.stringify(value))
      else sessionStorage.removeItem(OAUTH_STORAGE_KEY)
      return true
    } catch {
      return false
    }
  }

  const url = new URL(location.href)
  const stored = read()
  const given = url.searchParams.get('code')
  // An HTTP redirect keeps the fragment of the URL it left when its Location has none: back from the OAuth
  // URL the page can arrive with `#wechat_redirect`, which a hash router reads as a page (docs/wecom-host.md §5).
  const foreignHash = url.hash === '#wechat_redirect'
  if (foreignHash) url.hash = ''
  if (given !== null) {
    const state = url.searchParams.get('state')
    url.searchParams.delete('code')
    url.searchParams.delete('state')
    // The #hash the page had when the kit redirected (redirect_uri carries none).
    if (stored && 'hash' in stored && !url.hash) url.hash = stored.hash
    history.replaceState(history.state, '', url.href)
    write({ spent: true })
    if (stored && 'state' in stored && stored.state !== state) {
      failure = failed('OAuth state mismatch: code not used')
    } else if (!given) {
      failure = failed('OAuth gave an empty code')
    } else {
      // The kit's own redirect with its state back, or a page the toolbar opened through OAuth (its state is the app's).
      code = given
    }
  } else if (stored) {
    if (foreignHash) history.replaceState(history.state, '', url.href)
    failure =
      'state' in stored
        ? failed('OAuth came back without a code; no new redirect')
        : failed("This tab's OAuth code was spent; no new redirect")
  }
  const redirects = !code && !failure && options.redirect !== false

  /** Navigates to WeCom's OAuth with a new state (docs/wecom-host.md §5); the page leaves. */
  function redirect(): Promise<void> {
    if (!options.corpId || options.agentId == null || options.agentId === '') {
      throw failed('OAuth redirect needs web.corpId and web.agentId')
    }
    const bytes = new Uint8Array(16)
    crypto.getRandomValues(bytes)
    const state = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
    const back = new URL(location.href)
    if (!write({ state, hash: back.hash })) throw failed('No sessionStorage for the OAuth state; no redirect')
    back.hash = ''
    const query = new URLSearchParams({
      appid: options.corpId,
      redirect_uri: back.href,
      response_type: 'code',
      scope: 'snsapi_base',
      state,
      agentid: String(options.agentId),
    })
    const target = `${OAUTH_AUTHORIZE_URL}?${query}#wechat_redirect`
    if (typeof options.redirect === 'function') options.redirect(target)
    else location.replace(target)
    // The page is leaving: nothing goes on here (the caller's deadline ends the wait).
    return new Promise<void>(() => {})
  }

  return {
    /** The first call redirects to WeCom's OAuth: nothing else is worth starting. */
    leaving: redirects,
    /**
     * Resolves once the member's identity is settled for this page: exchanged, or nothing to do (no code,
     * no redirect). Rejects LOGIN_FAILED with the reason, or TIMEOUT after `ms` (a retry exchanges the same
     * code again). One exchange at a time.
     */
    ensure(ms: number, scope?: ActivationScope): Promise<void> {
      if (done) return Promise.resolve()
      if (failure) return Promise.reject(failure)
      // One redirect per page: a later call waits for the same navigation.
      if (redirects) return bound('oauth', ms, scope, () => (leaving ??= redirect()))
      if (!code) return Promise.resolve()
      const mine = code
      exchanging ??= bound('exchangeOAuthCode', ms, undefined, () => options.exchange(mine)).then(
        () => {
          done = true
          code = null
          write(null)
        },
        (error) => {
          exchanging = null
          if (error instanceof ChainToolbarError && error.code === 'TIMEOUT') throw error
          code = null
          const detail = error instanceof Error && error.message ? `: ${error.message}` : ''
          throw (failure = failed(`exchangeOAuthCode(code) failed${detail}`, error, 'exchangeOAuthCode'))
        },
      )
      return within(scope, exchanging)
    },
  }
}

export type WebIdentity = ReturnType<typeof createWebIdentity>
