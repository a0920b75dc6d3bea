import { defineConfig } from 'vitest/config'

// Suites that need the uni builds (npm test builds both targets first): build checks, the mini program
// on WeChat's own component framework (mp-*.test.ts, under happy-dom), the browser end-to-end tests, size
// budgets, the consumer app.
export default defineConfig({
  test: {
    name: 'integration',
    environment: 'node',
    include: ['tests/integration/**/*.test.ts'],
    testTimeout: 120000,
    hookTimeout: 300000,
    fileParallelism: false,
  },
})
