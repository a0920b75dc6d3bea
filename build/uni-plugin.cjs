// A build plugin that uni's own Vite plugin loads by itself, with no step for the app: uni reads the
// `"uni-app"` field of every package the app lists in package.json (dependencies and devDependencies)
// and adds the plugin named by its `main` to the build (the same way it loads @dcloudio/uni-h5).
//
// Why: uni names an H5 chunk after its module's folder relative to the input folder
// (@dcloudio/uni-h5-vite, `chunkFileNames`). In the standard src/ layout the kit sits outside it, so
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

function uniChainToolbar() {
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
  return [chunkNames]
}

module.exports = uniChainToolbar
module.exports.default = uniChainToolbar
module.exports.withoutParentPrefix = withoutParentPrefix
