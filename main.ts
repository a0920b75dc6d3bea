import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createChainToolbar } from './src/index'
import App from './App.vue'

export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(
    createChainToolbar({
      miniProgram: { exchangeCode: async () => {} },
      web: {
        corpId: 'ww-demo-corp',
        agentId: '1000002',
        getSignature: async () => ({ timestamp: Math.floor(Date.now() / 1000), nonceStr: 'demo', signature: 'demo' }),
      },
    }),
  )
  return { app, Pinia }
}
