// vitest.config.mts (the src/ layout: uni-preset-vue's template)
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./src/', import.meta.url)) }] },
  test: { environment: 'happy-dom', include: ['tests/**/*.test.ts'] },
})
