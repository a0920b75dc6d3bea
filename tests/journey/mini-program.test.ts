// @vitest-environment happy-dom
// The README's journey in the mini program: each template's app (made and installed by the journey's setup,
// the kit from the private registry) built with `uni build -p mp-weixin` and its page rendered on WeChat's own
// component framework (miniprogram-simulate) inside WeCom (the kit's simulated client as wx.qy), with the
// README's main.ts unchanged and the README's server behind `wx.request`, against the fake WeCom API: the
// chain contact's name and avatar show, from a cold start whose WeCom session is still valid.
import { afterEach, describe, expect, inject, it } from 'vitest'
import { uniBuild } from '../support/uni-cli'
import { attr, launchPage, nodes, until, type MiniProgramPage } from '../support/wechat-mini-program'
import { CONTACT, PROFILE, TEMPLATES, readState, requireInstalled, type Template } from './apps'
import { MEMBER, aroundApp, wxRequest } from './wecom'

const state = readState(inject('journey'))
let page: MiniProgramPage | null = null
afterEach(() => {
  page?.close()
  page = null
})

describe.each(Object.keys(TEMPLATES) as Template[])("uni-preset-vue's %s template, following the README", (template) => {
  const app = state.apps[template]
  // WeCom's API (the fake) and the README's server against it, for this app's checks.
  const world = aroundApp(app, state.avatarUrl)

  it("builds for the mini program and shows the chain contact's name and avatar on WeChat's framework inside WeCom", async () => {
    requireInstalled(app, 'kit')
    const dist = await uniBuild(app.dir, 'src', 'mp-weixin')
    const asked: string[] = []
    page = launchPage({
      dist,
      page: 'pages/index/index',
      // A cold start: WeCom's session is still valid (no login at launch), the app's server token is not.
      scenario: { entry: 'chain_single_chat_tools', contact: CONTACT, latencyMs: 5, sessionValid: true },
      wx: (wx) => ({
        request: wxRequest(world.server!, asked),
        // The WeCom client's login code is one WeCom's API knows (the member signed in on this phone).
        qy: {
          ...wx.qy,
          login: (options: { success?: (res: { code: string }) => void; [k: string]: unknown }) =>
            wx.qy.login({
              ...options,
              success: (res: { code: string }) => {
                world.wecom.addCode(res.code, MEMBER)
                options.success?.(res)
              },
            }),
        },
      }),
    })
    const p = page
    await until(
      () => p.text('contact').includes(PROFILE.name),
      () => `the page shows "${p.text('contact')}"; the app asked its server: ${asked.join(', ') || 'nothing'}; the server said:\n${world.server!.output()}`,
      15000,
    )
    const shown = nodes(p.json('contact'))
    const images = shown.filter((n) => n.tagName === 'wx-image').map((n) => attr(n, 'src'))
    expect(images, `no <image> with the avatar; the card has ${shown.map((n) => n.tagName).join(' ')}`).toContain(state.avatarUrl)
    expect(asked).toContain('POST /api/wecom/session 200')
  })
})
