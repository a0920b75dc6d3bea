// `npm run bench`'s mini program launch (bench/mp-launch.test.ts): the built demo on WeChat's component
// framework, as the integration suites load it (tests/support/wechat-mini-program.ts), under happy-dom.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    name: 'bench-mp-launch',
    environment: 'node',
    include: ['bench/mp-launch.test.ts'],
    testTimeout: 300000,
  },
})
