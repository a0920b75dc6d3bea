// The app's unit tests: plain vitest with @vitejs/plugin-vue (uni's own vite plugin does not run under
// vitest, and there is no easycom: uni-chain-toolbar/testing registers the kit's components).
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) }] },
  test: { environment: 'happy-dom', include: ['tests/**/*.test.ts'] },
})
