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

export default defineConfig({
  plugins: [uni(), withoutCloudAuthScript()],
  server: { host: '127.0.0.1', port: 5173 },
})
