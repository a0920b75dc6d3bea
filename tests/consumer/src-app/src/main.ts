import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createChainToolbar } from 'uni-chain-toolbar'
import App from './App.vue'

const API = 'https://api.example.com'

export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(
    createChainToolbar({
      miniProgram: {
        exchangeCode: async (code) => {
          await uni.request({ url: `${API}/wecom/session`, method: 'POST', data: { code } })
        },
      },
      web: {
        corpId: 'ww0000000000000000',
        agentId: 1000002,
        getSignature: async (url) => {
          const res = await uni.request({ url: `${API}/wecom/agent-signature`, data: { url } })
          return res.data as { timestamp: number; nonceStr: string; signature: string }
        },
      },
      resolveContact: async ({ corpId, userId }) => {
        const res = await uni.request({ url: `${API}/chain/${corpId}/${userId}` })
        return res.data as { name: string; corpName: string }
      },
    }),
  )
  return { app, Pinia }
}
