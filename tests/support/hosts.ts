// What the host-level tests share: fixtures, the web host on the real SDK over a scripted bridge, small promise tools.
import { afterEach, beforeEach, vi } from 'vitest'
import { createWebHost, type ChainHost, type ChainToolbarError } from '../../index'
import { miniProgram } from './kit'
import { enterWeComBrowser, WECOM_UA } from './scripted-bridge'

export const SIGNATURE = { timestamp: 1414587457, nonceStr: 'Wm3WZYTPz0wzccnW', signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' }
export const TEXT = { msgtype: 'text', text: { content: 'hello' } } as const
export const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } }
export const SESSION_EXPIRED = (api: string) => `qy__${api}:fail session expired`

/** Waits for `check` to pass (the first SDK load of a test file can take a while on a busy machine). */
export const until = (check: () => void) => vi.waitFor(check, { timeout: 5000 })
/** The error a promise rejects with, or null. */
export const failure = (promise: Promise<unknown>) => promise.then(() => null, (error) => error as ChainToolbarError)

/** A promise the test settles. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

/** The web host on the real SDK over a scripted bridge (a fresh SDK module per test: it reads the user agent once). */
export function web(script: Parameters<typeof enterWeComBrowser>[1] = {}, overrides: Record<string, unknown> = {}) {
  const bridge = enterWeComBrowser(WECOM_UA, script)
  const getSignature = vi.fn(async (_url: string) => SIGNATURE)
  const host = createWebHost({ corpId: 'wwupstream', agentId: 1000002, getSignature, ...overrides } as any)
  return { bridge, host, getSignature }
}

/** Each test of the calling file in a fresh page: a new SDK module, the ordinary browser's user agent after it. */
export function freshPagePerTest() {
  const ordinaryUA = navigator.userAgent
  beforeEach(() => vi.resetModules())
  afterEach(() => {
    Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
    delete (window as any).WeixinJSBridge
    history.replaceState(null, '', '/')
  })
}

/** A real host on either side whose answers (those named in `defer`) the test releases, and its scripted client. */
export function heldHost(hostName: 'mini-program' | 'web', entry = 'chain_single_chat_tools', defer: string[] = []) {
  if (hostName === 'mini-program') {
    const mp = miniProgram({ ...chainSingle, entry, defer }, {})
    return {
      host: mp.host as ChainHost,
      release: (api: string, fail?: string) => mp.release(api, fail && `qy__${api}:fail ${fail}`),
      heldCount: mp.held,
      count: mp.count,
      set: (s: any) => Object.assign(mp.state, s),
    }
  }
  const w = web({ entry, defer })
  return {
    host: w.host as ChainHost,
    release: (api: string, fail?: string) => w.bridge.release(api, fail && `${api}:fail_${fail}`),
    heldCount: w.bridge.held,
    count: w.bridge.count,
    set: (s: any) => Object.assign(w.bridge.state, s),
  }
}
