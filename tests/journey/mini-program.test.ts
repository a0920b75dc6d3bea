// @vitest-environment happy-dom
// The README's journey in the mini program: each template's app (made and installed by the journey's setup,
// the kit from the private registry) built with `uni build -p mp-weixin` and its page rendered on WeChat's own
// component framework (miniprogram-simulate) inside WeCom (the kit's simulated client as wx.qy): the chain
// contact's name shows, with the avatar from the app's own directory.
import { afterEach, describe, expect, inject, it } from 'vitest'
import { uniBuild } from '../support/uni-cli'
import { attr, launchPage, nodes, until, type MiniProgramPage } from '../support/wechat-mini-program'
import { CONTACT, PROFILE, TEMPLATES, readState, requireInstalled, type Template } from './apps'

const state = readState(inject('journey'))
let page: MiniProgramPage | null = null
afterEach(() => {
  page?.close()
  page = null
})

describe.each(Object.keys(TEMPLATES) as Template[])("uni-preset-vue's %s template, following the README", (template) => {
  const app = state.apps[template]

  it('builds for the mini program and shows the chain contact by name on WeChat\'s framework inside WeCom', async () => {
    requireInstalled(app, 'kit')
    const dist = await uniBuild(app.dir, 'src', 'mp-weixin')
    page = launchPage({ dist, page: 'pages/index/index', scenario: { entry: 'chain_single_chat_tools', contact: CONTACT, latencyMs: 5 } })
    const p = page
    await until(() => p.text('contact').includes(PROFILE.name), () => `the page shows "${p.text('contact')}"`)
    const shown = nodes(p.json('contact'))
    const images = shown.filter((n) => n.tagName === 'wx-image').map((n) => attr(n, 'src'))
    expect(images, `no <image> with the avatar; the card has ${shown.map((n) => n.tagName).join(' ')}`).toContain(state.avatarUrl)
  })
})
