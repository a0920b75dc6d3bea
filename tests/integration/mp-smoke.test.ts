// The built mini program (dist/build/mp-weixin) run in node with WeChat's globals stubbed and a scripted
// wx.qy on the global wx before uni's runtime loads (it copies wx's keys then, docs/wecom-host.md §2): the
// demo page's lifecycle runs and the page renders what the kit read from wx.qy.
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMiniProgram, type MiniProgramInstance } from '../support/mini-program-runtime'
import { createScriptedQy } from '../support/scripted-qy'

const dist = join(resolve(__dirname, '../..'), 'dist/build/mp-weixin')

/** Every string the page rendered (uni passes the template's values to setData under short keys). */
function renderedText(page: MiniProgramInstance): string {
  const out: string[] = []
  const walk = (value: unknown) => {
    if (typeof value === 'string') out.push(value)
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk(page.data)
  return out.join('\n')
}

async function until(check: () => boolean, timeoutMs = 3000) {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) return false
    await new Promise((r) => setTimeout(r, 10))
  }
  return true
}

describe('mini program build in node (dist/build/mp-weixin)', () => {
  it('runs the demo page on a scripted wx.qy: the page data carries the contact, the calls come in order, the simulator stays off', async () => {
    const contact = { corpId: 'wwmpsmoke00000a01', userId: 'mp.smoke.alice' }
    const scripted = createScriptedQy({ entry: 'chain_single_chat_tools', version: '4.1.22', contact, latencyMs: 5 })
    const runtime = loadMiniProgram(dist, { qy: scripted.qy })
    const page = runtime.openPage('pages/index/index')

    expect(await until(() => renderedText(page).includes(`${contact.corpId} / ${contact.userId}`))).toBe(true)
    const text = renderedText(page)
    expect(text).toContain('chain_single_chat_tools')
    // A real wx.qy is there: the demo's simulator did not replace it (its calls reached the scripted one).
    expect(text).toContain('模拟器：未开启')
    expect(text).not.toContain('模拟器：已开启')

    const order = scripted.order()
    const at = (api: string) => order.indexOf(api)
    expect(at('checkSession')).toBeGreaterThanOrEqual(0)
    expect(at('checkSession')).toBeLessThan(at('getContext'))
    expect(at('getContext')).toBeLessThan(at('getCurCorpGroupContact'))
    expect(scripted.count('getContext')).toBe(1)
    expect(scripted.count('getCurCorpGroupContact')).toBe(1)
    expect(scripted.count('getCurCorpGroupChat')).toBe(0)
    expect(scripted.count('login')).toBe(0)

    // The client brings the app back from another chain chat: a new activation with the new contact.
    const next = { corpId: 'wwmpsmoke00000b02', userId: 'mp.smoke.bob' }
    runtime.appHide()
    scripted.state.contact = next
    runtime.appShow()
    await new Promise((r) => setImmediate(r)) // the render after the show, before any answer (latency 5 ms)
    expect(scripted.calls.length).toBeGreaterThan(order.length)
    expect(renderedText(page)).not.toContain(contact.userId)
    expect(await until(() => renderedText(page).includes(`${next.corpId} / ${next.userId}`))).toBe(true)
    expect(scripted.count('getContext')).toBe(2)
    expect(scripted.count('checkSession')).toBe(2)
  })

  it('logs in when the session expired: checkSession fails, login, then the context', async () => {
    const scripted = createScriptedQy({ entry: 'chain_single_chat_tools', version: '4.1.22', sessionValid: false, latencyMs: 5 })
    // The demo's exchangeCode (no server configured) resolves; the scripted client accepts the login.
    const login = scripted.qy.login as (options: any) => void
    scripted.qy.login = (options: any) => {
      scripted.state.sessionValid = true
      login(options)
    }
    const runtime = loadMiniProgram(dist, { qy: scripted.qy })
    const page = runtime.openPage('pages/index/index')
    expect(await until(() => renderedText(page).includes('wwcorp / zhangsan'))).toBe(true)
    const order = scripted.order()
    expect(order.indexOf('checkSession')).toBeLessThan(order.indexOf('login'))
    expect(order.lastIndexOf('getContext')).toBeGreaterThan(order.indexOf('login'))
  })

  it('in WeChat DevTools (no wx.qy) the demo runs on the simulator: its wx.qy reaches the kit, and app show re-activates', async () => {
    const runtime = loadMiniProgram(dist, {})
    const page = runtime.openPage('pages/index/index')
    // The composables' rows render `corpId / userId` once the kit has read the contact.
    expect(await until(() => renderedText(page).includes('wwd6f2ad1e8b7c3a90 / ZhangWei'))).toBe(true)
    const text = renderedText(page)
    expect(text).toContain('模拟器：已开启')
    // The host-call log the demo renders comes from the simulator's record of the kit's calls.
    for (const api of ['checkSession', 'getSystemInfo', 'getContext', 'getCurCorpGroupContact']) expect(text).toContain(api)
  })
})
