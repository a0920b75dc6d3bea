import { randomBytes } from 'node:crypto'
import { defineConfig, type Plugin } from 'vite'
import uni from '@dcloudio/vite-plugin-uni'

/**
 * With the repository root as uni's input folder, uni's dev server scans node_modules/@dcloudio/uni-h5 as
 * if it were app code, finds its face-recognition API and injects Aliyun's cloudauth SDK script into
 * index.html: an outside request on every dev load that fails offline. The demo never uses it.
 */
function withoutCloudAuthScript(): Plugin {
  return {
    name: 'uni-chain-toolbar:no-cloudauth-script',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/<script[^>]+src="https?:\/\/[^"]*cloudauth[^"]*"[^>]*><\/script>\s*/g, ''),
    },
  }
}

/**
 * `npm run dev` (H5): the server companion's real handlers under /api, against the fake WeCom API on
 * 127.0.0.1, so the demo's agentConfig signature is a real round trip (access token → app jsapi ticket
 * → sha1 over the page URL), exactly as an app's backend would answer it.
 */
function serverCompanion(): Plugin {
  return {
    name: 'uni-chain-toolbar:server-companion',
    apply: 'serve',
    async configureServer(server) {
      if (process.env.UNI_PLATFORM !== 'h5') return
      const { createFakeWeComApi, FAKE_DEFAULTS } = await import('./server/testing/fake-wecom.mjs')
      const { createChainToolbarHandlers, toNodeHandler } = await import('uni-chain-toolbar/server')
      const fake = await createFakeWeComApi()
      const handlers = createChainToolbarHandlers({
        corpId: FAKE_DEFAULTS.corpId,
        agentId: FAKE_DEFAULTS.agentId,
        secret: FAKE_DEFAULTS.secret,
        apiBaseUrl: fake.url,
        sessionSecret: randomBytes(32).toString('hex'),
        allowedOrigins: (origin: string) => /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin),
        basePath: '/api',
      })
      server.middlewares.use(toNodeHandler(handlers))
      server.httpServer?.once('close', () => void fake.close())
    },
  }
}

export default defineConfig({
  plugins: [uni(), withoutCloudAuthScript(), serverCompanion()],
  server: { host: '127.0.0.1', port: 5173 },
})
