// What the browser tests inject into the page before it loads: a scripted `window.WeixinJSBridge`
// that the real @wecom/jssdk accepts (docs/wecom-host.md §3), written by the test (not the demo's
// simulator), and a recorder of what a user sees while the page switches chats.
// Both functions are serialised into the page (page.addInitScript / page.evaluate): no imports, no closures.

export interface PageBridgeScript {
  entry: string
  contact?: { corpId: string; userId: string }
  chatId?: string
  /** Raw err_msg per API. */
  fail?: Record<string, string>
  hang?: string[]
  /** Answer delay per API, else `latencyMs` (default 20). */
  latency?: Record<string, number>
  latencyMs?: number
}

export interface PageBridgeCall {
  name: string
  params: Record<string, unknown>
  at: number
  /** The page's URL when it called (what WeCom checks an agentConfig signature against). */
  url: string
}

/** Runs in the page: installs `window.WeixinJSBridge` and `window.__uctBridge` ({ script, calls }). */
export function installPageBridge(script: PageBridgeScript) {
  const w = window as any
  const state = { script, calls: [] as PageBridgeCall[] }
  w.__uctBridge = state
  w.WeixinJSBridge = {
    invoke(name: string, params: Record<string, unknown>, callback: (res: Record<string, unknown>) => void) {
      const s = state.script
      const copy: Record<string, unknown> = {}
      // The SDK's callers may leave functions in params: copy the data only (docs/wecom-host.md §3).
      for (const key of Object.keys(params || {})) if (typeof params[key] !== 'function') copy[key] = params[key]
      state.calls.push({ name, params: JSON.parse(JSON.stringify(copy)), at: performance.now(), url: location.href })
      if ((s.hang || []).includes(name)) return
      // The answer is the chat the page is in when it calls (a later switch does not change it).
      let res: Record<string, unknown>
      if (s.fail && s.fail[name]) res = { err_msg: s.fail[name] }
      else if (name === 'agentConfig') res = { err_msg: 'agentConfig:ok', checkResult: {} }
      else if (name === 'getContext') res = { err_msg: 'getContext:ok', entry: s.entry }
      else if (name === 'getCurCorpGroupContact') res = { err_msg: 'getCurCorpGroupContact:ok', ...(s.contact || {}) }
      else if (name === 'getCurCorpGroupChat') res = { err_msg: 'getCurCorpGroupChat:ok', chatId: s.chatId }
      else if (name === 'sendChatMessage') res = { err_msg: 'sendChatMessage:ok' }
      else res = { err_msg: `${name}:fail_function not exist` }
      const delay = s.latency && s.latency[name] != null ? s.latency[name] : s.latencyMs != null ? s.latencyMs : 20
      setTimeout(() => callback(res), delay)
    },
    on() {},
  }
}

export interface TextSample {
  at: number
  text: string
}

/**
 * Runs in the page: records the text of `selector` (all matches joined) after every DOM change, as a
 * MutationObserver sees it, into `window.__uctSamples`. Returns nothing; read the samples later.
 */
export function recordText(selector: string) {
  const w = window as any
  const samples: TextSample[] = []
  w.__uctSamples = samples
  const read = () => Array.from(document.querySelectorAll(selector)).map((el) => (el as HTMLElement).innerText).join(' | ')
  let last = read()
  samples.push({ at: performance.now(), text: last })
  const observer = new MutationObserver(() => {
    const text = read()
    if (text !== last) samples.push({ at: performance.now(), text })
    last = text
  })
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
  w.__uctStopSamples = () => observer.disconnect()
}

/** Runs in the page: the WeCom browser hides the page when the user leaves the chat and shows it from the next one. */
export async function leaveAndReturn(patch: Partial<PageBridgeScript>) {
  const w = window as any
  const set = (state: 'hidden' | 'visible') => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' })
    document.dispatchEvent(new Event('visibilitychange'))
  }
  set('hidden')
  await new Promise((resolve) => setTimeout(resolve, 50))
  Object.assign(w.__uctBridge.script, patch)
  const shownAt = performance.now()
  set('visible')
  delete (document as any).visibilityState
  delete (document as any).hidden
  return shownAt
}
