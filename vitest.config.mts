import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import { uniIfdef } from './tests/support/uni-ifdef.mjs'
import { UNI_TAGS } from './tests/support/uni-tags.mjs'

// Every unit test runs once per platform (npm test runs both): UNI_PLATFORM=mp-weixin and UNI_PLATFORM=h5.
const platform = process.env.UNI_PLATFORM === 'mp-weixin' ? 'mp-weixin' : 'h5'
process.env.UNI_PLATFORM = platform

export default defineConfig({
  // uni's own conditional compilation (#ifdef), so each run sees only its platform's branches.
  plugins: [uniIfdef(platform), vue({ template: { compilerOptions: { isCustomElement: (tag) => UNI_TAGS.has(tag) } } })],
  define: { 'process.env.UNI_PLATFORM': JSON.stringify(platform) },
  resolve: {
    alias: [
      { find: /^@dcloudio\/uni-app$/, replacement: fileURLToPath(new URL('./tests/support/uni-app.ts', import.meta.url)) },
      { find: /^uni-chain-toolbar$/, replacement: fileURLToPath(new URL('./index.ts', import.meta.url)) },
      { find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) },
    ],
  },
  test: {
    name: platform,
    environment: 'happy-dom',
    // Unit tests sit beside their code; tests/unit holds the tests of the kit as a whole (docs/development.md).
    include: ['src/**/*.test.ts', 'composables/**/*.test.ts', 'components/**/*.test.ts', 'simulator/**/*.test.ts', 'testing/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 10000,
    restoreMocks: true,
    unstubGlobals: true,
    // Inline the SDK so that vi.resetModules() gives a fresh instance: it captures the user agent and
    // the bridge when its module is evaluated (docs/wecom-host.md §3).
    server: { deps: { inline: ['@wecom/jssdk'] } },
  },
})
