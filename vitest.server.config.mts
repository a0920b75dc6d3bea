import { defineConfig } from 'vitest/config'

// The server companion (uni-chain-toolbar/server): plain Node, real HTTP on 127.0.0.1, real redis-server.
export default defineConfig({
  test: {
    name: 'server',
    environment: 'node',
    include: ['server/**/*.test.ts'],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
})
