import { describe, expect, it } from 'vitest'
import { createApp, defineComponent, h, nextTick } from 'vue'
import { createPinia } from 'pinia'
import { createChainToolbar, createMiniProgramHost, useChainContact, useEntry } from 'uni-chain-toolbar'
import { createScriptedQy } from '../support/scripted-qy'

const flush = () => new Promise((r) => setTimeout(r, 20))

describe('smoke', () => {
  it('reads the chain contact through wx.qy', async () => {
    const sim = createScriptedQy({ entry: 'chain_single_chat_tools', version: '4.1.22' })
    const host = createMiniProgramHost({ qy: sim.qy, exchangeCode: async () => {} })
    let entry: any, contact: any
    const App = defineComponent({ setup() { entry = useEntry(); contact = useChainContact(); return () => h('div') } })
    const app = createApp(App)
    app.use(createPinia())
    app.use(createChainToolbar({ host }))
    app.mount(document.createElement('div'))
    await flush()
    await nextTick()
    expect(entry.entry.value).toBe('chain_single_chat_tools')
    expect(contact.contact.value).toEqual({ corpId: 'wwcorp', userId: 'zhangsan' })
    expect(sim.order()).toEqual(['getSystemInfo', 'checkSession', 'getContext', 'getCurCorpGroupContact'])
  })
})
