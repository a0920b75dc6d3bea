import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import { UNI_TAGS } from './tests/support/uni-tags.mjs'

const require = createRequire(import.meta.url)
// Every unit test runs once per platform (npm test runs both): UNI_PLATFORM=mp-weixin and UNI_PLATFORM=h5.
const platform = process.env.UNI_PLATFORM === 'mp-weixin' ? 'mp-weixin' : 'h5'
process.env.UNI_PLATFORM = platform

/** uni's own conditional compilation (#ifdef), so each run sees only its platform's branches. */
function uniConditionalCompile(): Plugin {
  const { initPreContext, preJs, preHtml } = require('@dcloudio/uni-cli-shared')
  initPreContext(platform)
  return {
    name: 'uni-chain-toolbar:ifdef',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0]
      if (file.includes('/node_modules/') || !code.includes('#endif')) return
      if (/\.vue$/.test(file)) return { code: preJs(preHtml(code, file, { unbalanced: 'skip' }), file, { unbalanced: 'skip' }), map: null }
      // A `<template src>` (the cards' card.html), as uni's own build does it.
      if (/[?&]type=template\b/.test(id)) return { code: preHtml(code, file, { unbalanced: 'skip' }), map: null }
      if (/\.[cm]?[jt]s$/.test(file)) return { code: preJs(code, file, { unbalanced: 'error' }), map: null }
    },
  }
}


export default defineConfig({
  plugins: [uniConditionalCompile(), vue({ template: { compilerOptions: { isCustomElement: (tag) => UNI_TAGS.has(tag) } } })],
  define: { 'process.env.UNI_PLATFORM': JSON.stringify(platform) },
  resolve: {
    alias: [
      { find: /^@dcloudio\/uni-app$/, replacement: fileURLToPath(new URL('./tests/support/uni-app.ts', import.meta.url)) },
      { find: /^uni-chain-toolbar$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) },
    ],
  },
  test: {
    name: platform,
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', 'composables/**/*.test.ts', 'components/**/*.test.ts', 'testing/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 10000,
    restoreMocks: true,
    unstubGlobals: true,
    // Inline the SDK so that vi.resetModules() gives a fresh instance: it captures the user agent and
    // the bridge when its module is evaluated (docs/wecom-host.md §3).
    server: { deps: { inline: ['@wecom/jssdk'] } },
  },
})
