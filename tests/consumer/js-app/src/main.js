import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createChainToolbar } from 'uni-chain-toolbar'
import App from './App.vue'

// The consumer apps' main.ts, as a JavaScript project writes it.
const API = 'https://api.example.com/api'
let sessionToken = ''

/** uni.request as a promise that rejects on a network failure and on any HTTP status but 2xx. */
function request(method, path, data) {
  return new Promise((resolve, reject) => {
    uni.request({
      url: API + path,
      method,
      data,
      header: sessionToken ? { Authorization: `Bearer ${sessionToken}` } : {},
      success: (res) => {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data)
        else reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`))
      },
      fail: (err) => reject(new Error(`${method} ${path}: ${err.errMsg}`)),
    })
  })
}

export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(
    createChainToolbar({
      miniProgram: {
        exchangeCode: async (code) => {
          sessionToken = (await request('POST', '/wecom/session', { code })).token
        },
      },
      web: {
        corpId: 'ww0000000000000000',
        agentId: 1000002,
        getAgentConfigSignature: (url) => request('GET', '/wecom/agent-signature', { url }),
        // The member's WeCom OAuth code (from the page URL, or one redirect the kit makes) → your server.
        exchangeOAuthCode: async (code) => {
          sessionToken = (await request('POST', '/wecom/oauth-session', { code })).token
        },
      },
      timeoutMs: 8000,
      resolveContact: (c) => request('GET', `/chain/${encodeURIComponent(c.corpId)}/${encodeURIComponent(c.userId)}`),
    }),
  )
  return { app, Pinia }
}
