// @vitest-environment happy-dom
// The demo page of the mini program build (dist/build/mp-weixin) on WeChat's own component framework
// (miniprogram-simulate), started as WeChat starts an app: inside WeCom on the kit's simulated client as
// `wx.qy`, and in WeChat DevTools (no `wx.qy`), where the demo plays the client with its own simulator.
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { launchPage, until, type LaunchOptions, type MiniProgramPage } from '../support/wechat-mini-program'

const dist = join(resolve(__dirname, '../..'), 'dist/build/mp-weixin')

let page: MiniProgramPage | null = null
afterEach(() => {
  page?.close()
  page = null
})

function open(options: Omit<LaunchOptions, 'dist' | 'page'>): MiniProgramPage {
  page = launchPage({ dist, page: 'pages/index/index', ...options })
  return page
}
const waitText = (p: MiniProgramPage, testid: string, expected: string) =>
  until(() => p.text(testid).includes(expected), () => `${testid}: "${p.text(testid)}"`)
const order = (p: MiniProgramPage) => p.client.log.map((c) => c.api)
const count = (p: MiniProgramPage, api: string) => order(p).filter((a) => a === api).length

describe('the demo page on the real framework (pages/index/index)', () => {
  it("inside WeCom: the kit reads wx.qy in order, the demo's simulator stays off; app show starts a new activation", async () => {
    const first = { corpId: 'wwmpsmoke00000a01', userId: 'mp.smoke.alice' }
    const p = open({ scenario: { entry: 'chain_single_chat_tools', contact: first, latencyMs: 5 } })
    await waitText(p, 'contact', `${first.corpId} / ${first.userId}`)
    expect(p.text('entry')).toBe('chain_single_chat_tools')
    expect(p.text('simulator-status')).toBe('模拟器：未开启')

    const calls = order(p)
    expect(calls.indexOf('checkSession')).toBeGreaterThanOrEqual(0)
    expect(calls.indexOf('checkSession')).toBeLessThan(calls.indexOf('getContext'))
    expect(calls.indexOf('getContext')).toBeLessThan(calls.indexOf('getCurCorpGroupContact'))
    expect(count(p, 'getContext')).toBe(1)
    expect(count(p, 'getCurCorpGroupContact')).toBe(1)
    expect(count(p, 'getCurCorpGroupChat')).toBe(0)
    expect(count(p, 'login')).toBe(0)

    // WeCom brings the app back from another chain chat: a new activation with the new contact.
    const next = { corpId: 'wwmpsmoke00000b02', userId: 'mp.smoke.bob' }
    p.hideApp()
    p.client.set({ contact: next })
    p.showApp()
    await new Promise((r) => setTimeout(r, 0)) // the render after the show, before any answer (latency 5 ms)
    expect(p.client.log.length).toBeGreaterThan(calls.length)
    expect(p.text('contact')).not.toContain(first.userId)
    await waitText(p, 'contact', `${next.corpId} / ${next.userId}`)
    expect(count(p, 'getContext')).toBe(2)
    expect(count(p, 'checkSession')).toBe(2)
  })

  it('logs in when the session expired: checkSession fails, login, then the context', async () => {
    const p = open({ scenario: { entry: 'chain_single_chat_tools', sessionValid: false, latencyMs: 5 } })
    await waitText(p, 'contact', 'wwd6f2ad1e8b7c3a90 / ZhangWei')
    const calls = order(p)
    expect(p.client.log.find((c) => c.api === 'checkSession')?.status).toBe('fail')
    expect(calls.indexOf('checkSession')).toBeLessThan(calls.indexOf('login'))
    expect(calls.lastIndexOf('getContext')).toBeGreaterThan(calls.indexOf('login'))
  })

  it('in WeChat DevTools (no wx.qy) the demo plays the client with its simulator, and logs its calls', async () => {
    const p = open({ inWeCom: false })
    await waitText(p, 'contact', 'wwd6f2ad1e8b7c3a90 / ZhangWei')
    expect(p.text('simulator-status')).toBe('模拟器：已开启')
    // The page's host-call log lists what the kit asked the demo's simulator.
    const log = p.dom.textContent ?? ''
    for (const api of ['checkSession', 'getSystemInfo', 'getContext', 'getCurCorpGroupContact']) expect(log).toContain(api)
    expect(p.client.log).toEqual([]) // the test's client was never reached
  })
})

describe('the demo shares a PDF quote and a product image on the real framework', () => {
  it("in WeChat DevTools: the simulator's upload shows its progress on the button, and its client takes the ids it issued", async () => {
    const p = open({ inWeCom: false })
    await waitText(p, 'contact', 'wwd6f2ad1e8b7c3a90 / ZhangWei')
    const buttons = () => [...p.element('share-media-slot').querySelectorAll('wx-button')]
    await until(() => buttons().length === 2, () => `${buttons().length} media buttons`)
    const log = () => p.element('call-log').textContent ?? ''
    await p.tap(buttons()[0])
    await until(() => /\d+%/.test(p.text('share-media-slot')), () => `while uploading: "${p.text('share-media-slot')}"`)
    await waitText(p, 'share-media-slot', '已发送')
    expect(log()).toMatch(/"file":\{"mediaid":"sim-media-file-[^"]+"\}/)
    await p.tap(buttons()[1])
    await until(() => /"image":\{"mediaid":"sim-media-image-/.test(log()), () => log().slice(0, 400), 6000)
    await waitText(p, 'share-media-slot', '已发送')
    expect(p.client.log).toEqual([]) // the test's client was never reached
  })
})
