// src/main.ts
import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createChainToolbar } from 'uni-chain-toolbar'
import App from './App.vue'

// Your server: uni-chain-toolbar/server (Node), or your own endpoints with the same answers.
const API = 'https://api.example.com/api'
// POST /wecom/session (mini program) and POST /wecom/oauth-session (H5) answer { token, … }: send it with
// every later request (resolveContact needs it).
let sessionToken = ''

/**
 * uni.request as a promise that rejects on a network failure and on any HTTP status but 2xx; the Error keeps
 * the server's { error: { code, message } } (its `code`, and both in its message).
 */
function request<T>(method: 'GET' | 'POST', path: string, data?: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    uni.request({
      url: API + path,
      method,
      data,
      header: sessionToken ? { Authorization: `Bearer ${sessionToken}` } : {},
      success: (res) => {
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(res.data as T)
        const { code, message } = (res.data as { error?: { code?: string; message?: string } } | null)?.error ?? {}
        const text = `${method} ${path}: HTTP ${res.statusCode}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`
        reject(Object.assign(new Error(text), { code, status: res.statusCode }))
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
      // Mini program: wx.qy.login's code → your server (jscode2session) makes the wx.qy session valid.
      miniProgram: {
        exchangeCode: async (code) => {
          sessionToken = (await request<{ token: string }>('POST', '/wecom/session', { code })).token
        },
      },
      // H5 in the WeCom browser: the app identity for agentConfig, signed by your server for exactly `url`.
      web: {
        corpId: 'ww0000000000000000',
        agentId: 1000002,
        getAgentConfigSignature: (url) => request('GET', '/wecom/agent-signature', { url }),
        // The member's WeCom OAuth code (from the page URL, or one redirect the kit makes) → your server.
        exchangeOAuthCode: async (code) => {
          sessionToken = (await request<{ token: string }>('POST', '/wecom/oauth-session', { code })).token
        },
      },
      // Files, images and videos named by path, URL or Blob: uploaded once to your server for a mediaid.
      media: { endpoint: `${API}/wecom/media`, headers: () => ({ Authorization: `Bearer ${sessionToken}` }) },
      timeoutMs: 8000, // every host call; default 8000
      // Optional: name, avatar and corpName for the contact card.
      resolveContact: (c) => request('GET', `/chain/${encodeURIComponent(c.corpId)}/${encodeURIComponent(c.userId)}`),
    }),
  )
  return { app, Pinia }
}
