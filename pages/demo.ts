// The demo app's wiring: the kit's options (simulator or a real server), a small contact directory
// for the resolvers, and the demo's language. Imported by main.ts and the demo page.
import { reactive, ref } from 'vue'
import {
  chainToolbarEn,
  type AgentConfigSignature,
  type ChainChatProfile,
  type ChainContact,
  type ChainContactProfile,
  type ChainToolbarOptions,
  type ChatMessage,
} from '../index'
import type { WeComSimulator } from '../simulator/index'

/**
 * Contacts and groups the demo's resolvers know (what an app's own backend would return). Two contacts have
 * a picture (static/avatars/, served with the app on both hosts); the others show their initials.
 */
export const DEMO_CONTACTS: ReadonlyArray<ChainContact & { name: string; corpName: string; avatar?: string }> = [
  { corpId: 'wwd6f2ad1e8b7c3a90', userId: 'ZhangWei', name: '张伟', corpName: '华东经销商（上海）', avatar: '/static/avatars/zhangwei.png' },
  { corpId: 'wwb3c17e0a55d94f21', userId: 'LiNa', name: '李娜', corpName: '成都晨光贸易' },
  { corpId: 'ww5e88f0c2a1b6d734', userId: 'WangFang', name: '王芳', corpName: '深圳远航供应链', avatar: '/static/avatars/wangfang.png' },
  { corpId: 'ww0c9a7d4e2f1b8a65', userId: 'ChenJie', name: '', corpName: '' },
]
export const DEMO_CHATS: ReadonlyArray<{ chatId: string; name: string }> = [
  { chatId: 'wrkSFfCgAAtMQKg4xqDatM5C9IY7nbqA', name: '华东区上下游对接群' },
  { chatId: 'wrkSFfCgAAb7Xq2mPL0uYtR1eZc9WkDg', name: '西南区经销商群' },
  { chatId: 'wrkSFfCgAAq3NvH8sJd5KfU6oTy2LxBw', name: '' },
]

/** How the demo's resolvers answer: with the directory, not at all (no resolver), or failing. */
export const demoResolvers = reactive({ mode: 'directory' as 'directory' | 'off' | 'fail', latencyMs: 250 })

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function resolveContact(contact: ChainContact): Promise<ChainContactProfile> {
  await wait(demoResolvers.latencyMs)
  if (demoResolvers.mode === 'fail') throw new Error('demo resolver: the profile service is down')
  const known = DEMO_CONTACTS.find((c) => c.corpId === contact.corpId && c.userId === contact.userId)
  // An unknown contact, or a mode without profiles: the card shows the ids.
  if (demoResolvers.mode === 'off' || !known?.name) return {}
  return { name: known.name, corpName: known.corpName, avatar: known.avatar }
}

async function resolveChat(chatId: string): Promise<ChainChatProfile> {
  await wait(demoResolvers.latencyMs)
  if (demoResolvers.mode === 'fail') throw new Error('demo resolver: the profile service is down')
  const known = DEMO_CHATS.find((c) => c.chatId === chatId)
  if (demoResolvers.mode === 'off' || !known?.name) return {}
  return { name: known.name }
}

/**
 * The agentConfig signature from the app's server for exactly this URL (docs/wecom-host.md §3, §5).
 * Default endpoint: `/api/wecom/agent-signature?url=…` on the page's origin; override it with
 * VITE_UCT_SIGNATURE_URL (e.g. in `.env.local`).
 */
export async function fetchAgentSignature(url: string): Promise<AgentConfigSignature> {
  const endpoint: string = import.meta.env.VITE_UCT_SIGNATURE_URL || '/api/wecom/agent-signature'
  const response = await fetch(`${endpoint}${endpoint.includes('?') ? '&' : '?'}url=${encodeURIComponent(url)}`)
  if (!response.ok) throw new Error(`signature endpoint answered ${response.status}`)
  return (await response.json()) as AgentConfigSignature
}

/** Mini program: the wx.qy.login code goes to the app's server (VITE_UCT_SESSION_URL), which runs jscode2session. */
async function exchangeCode(code: string): Promise<void> {
  const endpoint: string | undefined = import.meta.env.VITE_UCT_SESSION_URL
  if (!endpoint) return
  await new Promise<void>((resolve, reject) => {
    uni.request({
      url: endpoint,
      method: 'POST',
      data: { code },
      success: (res) =>
        res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`session endpoint answered ${res.statusCode}`)),
      fail: (err) => reject(new Error(err.errMsg)),
    })
  })
}

/** Whether the demo starts the simulator: on by default; `?simulator=off` (H5) or VITE_UCT_SIMULATOR=off shows a plain browser. */
export function simulatorWanted(): boolean {
  if (import.meta.env.VITE_UCT_SIMULATOR === 'off') return false
  return !(typeof location !== 'undefined' && /[?&]simulator=off\b/.test(location.search || ''))
}

/** What the demo shares as media: a PDF quote and a product image, by the URLs the app serves them from. */
export const DEMO_MEDIA: ReadonlyArray<{ label: string; message: ChatMessage }> = [
  { label: '报价单.pdf', message: { msgtype: 'file', file: { url: 'https://example.com/static/quote-2024-06.pdf', name: '六月报价单.pdf' } } },
  { label: '产品图.png', message: { msgtype: 'image', image: { url: 'https://example.com/static/product-x1.png', name: '产品X1.png' } } },
]

/** The media ids the share form starts with: ids the demo's simulator takes as WeCom's (`scenario.mediaIds`). */
export const DEMO_MEDIA_IDS = {
  image: '3K8bOd2hX6pTzq9-demo-image-mediaid',
  video: '3VbTn5yWq1cZp7-demo-video-mediaid',
  file: '3FqLw0zRk4mNs2-demo-file-mediaid',
} as const

/** The server companion's media endpoint: VITE_UCT_MEDIA_URL, else (H5) /api/wecom/media on the page's origin. */
function mediaEndpoint(): string | undefined {
  return import.meta.env.VITE_UCT_MEDIA_URL || (typeof location !== 'undefined' ? '/api/wecom/media' : undefined)
}

/** The kit's options for the demo: the simulator's signature where it plays WeCom, the server's elsewhere. */
export function demoOptions(simulator: WeComSimulator | null): ChainToolbarOptions {
  return {
    miniProgram: { exchangeCode: simulator ? () => undefined : exchangeCode },
    web: {
      corpId: import.meta.env.VITE_UCT_CORP_ID || 'ww-demo-corp',
      agentId: import.meta.env.VITE_UCT_AGENT_ID || '1000002',
      // In `npm run dev` the dev server answers the endpoint with the server companion's real handlers
      // (vite.config.ts); a static build on the simulator signs with the simulator.
      getSignature: simulator && !import.meta.env.DEV ? simulator.getSignature : fetchAgentSignature,
    },
    timeoutMs: 5000,
    // Media: where the simulator plays WeCom, its upload (ids its client takes). Elsewhere the kit's default
    // uploader to the server companion: VITE_UCT_MEDIA_URL (e.g. https://…/api/wecom/media), else on H5
    // /api/wecom/media on the page's origin, as the signature.
    ...(simulator ? { uploadMedia: simulator.uploadMedia } : { media: { endpoint: mediaEndpoint() } }),
    resolveContact,
    resolveChat,
    // zh-CN is built in; the demo's EN switch needs the English strings.
    messages: { en: chainToolbarEn },
  }
}

/** The demo's own language (the components follow it through the kit's locale). */
export const demoLocale = ref<'zh-CN' | 'en'>('zh-CN')
