// uni's own conditional compilation (#ifdef) for one platform, as a Vite plugin: what uni's build does to the
// kit's files, for the builds that do not run uni (the unit tests' vitest config, the bench's size builds).
import { createRequire } from 'node:module'

const { initPreContext, preJs, preHtml } = createRequire(import.meta.url)('@dcloudio/uni-cli-shared')

export function uniIfdef(platform) {
  // uni's preprocessor keeps one global context: set for this platform now, and again at each build's start
  // (the bench runs builds for both platforms, one at a time).
  initPreContext(platform)
  return {
    name: 'uni-chain-toolbar:ifdef',
    enforce: 'pre',
    buildStart() {
      initPreContext(platform)
    },
    transform(code, id) {
      const file = id.split('?')[0]
      if (file.includes('/node_modules/') || !code.includes('#endif')) return
      if (/\.vue$/.test(file)) return { code: preJs(preHtml(code, file, { unbalanced: 'skip' }), file, { unbalanced: 'skip' }), map: null }
      if (/\.[cm]?[jt]s$/.test(file)) return { code: preJs(code, file, { unbalanced: 'error' }), map: null }
    },
  }
}
