// A build plugin that uni's own Vite plugin loads by itself, with no step for the app: uni reads the
// `"uni-app"` field of every package the app lists in package.json (dependencies and devDependencies)
// and adds the plugin named by its `main` to the build (the same way it loads @dcloudio/uni-h5).
//
// 1. One copy of the kit in uni's dev server (`npm run dev:h5`). Vite pre-bundles the bare imports it finds
// from main.ts (optimizeDeps), so `import { createChainToolbar } from 'uni-chain-toolbar'` got a bundled
// copy of the kit in node_modules/.vite/deps, while easycom loads the components (and, through them, the
// store and the runtime) from the package's own files: two copies, and the components never saw the
// runtime app.use() installed ("app.use(createChainToolbar()) is missing"). This plugin excludes the kit
// from pre-bundling, so the dev server serves every import of it from the package's files. Its one
// dependency, @wecom/jssdk, is an ES module with no dependencies of its own: it needs no pre-bundling.
//
// 2. Names of the kit's lazy chunks in the production build. uni names an H5 chunk after its module's folder
// relative to the input folder (@dcloudio/uni-h5-vite, `chunkFileNames`). In the standard src/ layout the kit
// sits outside it, so
// the lazy @wecom/jssdk chunk was named `assets/..-node_modules-uni-chain-toolbar-src-host-wecom-sdk.<hash>.js`:
// Rollup takes the leading `..` for a parent folder and writes a bare `import("..-node_modules-…")`
// that browsers refuse, and static servers hide the dotfile. This plugin drops those leading `..-`
// from the kit's own chunks, so the name is the one the root layout gets (`assets/node_modules-…`).

const fs = require('node:fs')
const path = require('node:path')

const slash = (file) => file.replace(/\\/g, '/')
const packageRoots = [path.resolve(__dirname, '..')]
try {
  packageRoots.push(fs.realpathSync(packageRoots[0]))
} catch {}
const kitDirs = [...new Set(packageRoots.map((dir) => slash(dir) + '/'))]

/** True for a chunk whose entry module is one of the kit's files. */
function isKitChunk(chunk) {
  const id = chunk.facadeModuleId && slash(chunk.facadeModuleId.split('?')[0])
  return Boolean(id) && kitDirs.some((dir) => id.startsWith(dir))
}

/** `assets/..-..-node_modules-x.[hash].js` → `assets/node_modules-x.[hash].js`; other names unchanged. */
function withoutParentPrefix(fileName) {
  return fileName.replace(/(^|\/)(?:\.\.-)+/g, '$1').replace(/(^|\/)\.+(?=[^/.])/g, '$1')
}

const PACKAGE_NAME = require('../package.json').name

function uniChainToolbar() {
  const oneCopy = {
    name: 'uni-chain-toolbar:one-copy',
    apply: 'serve',
    config() {
      // Vite's exclude also covers the subpaths (uni-chain-toolbar/simulator, …/components/…).
      return { optimizeDeps: { exclude: [PACKAGE_NAME] } }
    },
  }
  const chunkNames = {
    name: 'uni-chain-toolbar:chunk-names',
    apply: 'build',
    outputOptions(output) {
      const chunkFileNames = output.chunkFileNames
      if (typeof chunkFileNames !== 'function') return null
      return {
        ...output,
        chunkFileNames(chunk) {
          const fileName = chunkFileNames(chunk)
          return isKitChunk(chunk) ? withoutParentPrefix(fileName) : fileName
        },
      }
    },
  }
  return [oneCopy, chunkNames]
}

module.exports = uniChainToolbar
module.exports.default = uniChainToolbar
module.exports.withoutParentPrefix = withoutParentPrefix
