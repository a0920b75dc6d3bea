// Bytes the kit adds to an app, measured the way a production uni build makes them: Rollup (through
// Vite) with uni's own #ifdef preprocessing for the platform, minified with terser (uni's production
// minifier), gzip level 9. vue, pinia and @dcloudio/uni-app are external (the app has them anyway).
// Shared by `npm run bench` (bench/run.mjs) and the size budgets (tests/integration/budgets.test.ts),
// so the budgets check exactly the figures the bench reports.
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { uniIfdef } from '../tests/support/uni-ifdef.mjs'
import { UNI_TAGS } from '../tests/support/uni-tags.mjs'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * String literals of @wecom/jssdk that survive minification and appear nowhere else. Not
 * 'WeixinJSBridgeReady': the simulator (simulator/index.ts) dispatches that event itself.
 */
export const SDK_MARKERS = ['preVerifyJSAPI', 'Missing getAgentConfigSignature', 'CLProximityImmediate']
export const hasSdk = (code) => SDK_MARKERS.some((marker) => code.includes(marker))

const EXTERNAL = /^(vue|pinia|@dcloudio\/uni-app)(\/|$)/
/** The SDK subset the kit imports (src/host/wecom-sdk.ts), named here for the anchor. */
export const SDK_SUBSET = ['env', 'register', 'getContext', 'getCurCorpGroupContact', 'getCurCorpGroupChat', 'sendChatMessage']

export const bytes = (code) => ({ min: Buffer.byteLength(code), gzip: gzipSync(Buffer.from(code), { level: 9 }).length })

/** A module whose source is given here (the measured entries). */
function virtualEntry(source) {
  const id = '\0bench-entry.js'
  return {
    name: 'bench:entry',
    resolveId: (source_) => (source_ === 'bench-entry' ? id : null),
    load: (id_) => (id_ === id ? source : null),
  }
}


/**
 * Builds `source` (an ES module) for `platform` and returns its chunks and CSS: { chunks: [{ name,
 * isEntry, isDynamicEntry, code, imports, dynamicImports }], css: string }. `external` decides which
 * imports stay out of the bytes.
 */
export async function build(source, { platform = 'mp-weixin', external = (id) => EXTERNAL.test(id), vue = false, plugins: extra = [] } = {}) {
  const plugins = [uniIfdef(platform), ...extra, virtualEntry(source)]
  // A production build, whoever calls (vitest sets NODE_ENV=test): Vite and the Vue plugin read it when
  // they resolve the config. Template comments are dropped as in a production uni build, even where a
  // development build of Vue's compiler is already loaded.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    return await buildProduction(source, { platform, external, vue, plugins })
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
}

async function buildProduction(source, { platform, external, vue, plugins }) {
  const { build: viteBuild } = await import('vite')
  if (vue) {
    const { default: vuePlugin } = await import('@vitejs/plugin-vue')
    plugins.push(vuePlugin({ template: { compilerOptions: { comments: false, isCustomElement: (tag) => UNI_TAGS.has(tag) } } }))
  }
  const out = await viteBuild({
    root,
    configFile: false,
    logLevel: 'silent',
    mode: 'production',
    plugins,
    define: { 'process.env.UNI_PLATFORM': JSON.stringify(platform), 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: 'terser',
      target: 'es2020',
      modulePreload: false,
      cssCodeSplit: false,
      reportCompressedSize: false,
      rollupOptions: {
        input: 'bench-entry',
        external,
        preserveEntrySignatures: 'strict',
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: '[name].js',
          // A project file left out of a measurement is imported by its path in the project, not on this
          // machine: the same bytes in every clone (the budgets are checked in whatever folder CI clones to).
          paths: (id) => (id.startsWith(root + '/') ? 'kit/' + id.slice(root.length + 1) : id),
        },
      },
    },
  })
  const output = (Array.isArray(out) ? out[0] : out).output
  return {
    chunks: output
      .filter((o) => o.type === 'chunk')
      .map(({ name, fileName, isEntry, isDynamicEntry, code, imports, dynamicImports, moduleIds }) => ({
        name,
        fileName,
        isEntry,
        isDynamicEntry,
        code,
        imports,
        dynamicImports,
        moduleIds,
      })),
    css: output
      .filter((o) => o.type === 'asset' && o.fileName.endsWith('.css'))
      .map((o) => String(o.source))
      .join(''),
  }
}

const abs = (path) => JSON.stringify(join(root, path))

/** Entry chunk plus its static imports (what loads before any dynamic import runs). */
function initial(chunks) {
  // By file name: two chunks may share a name (src/index.ts and src/media/index.ts), rollup then numbers the file.
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const seen = new Set()
  const visit = (chunk) => {
    if (seen.has(chunk)) return
    seen.add(chunk)
    for (const dep of chunk.imports) if (byName.has(dep)) visit(byName.get(dep))
  }
  for (const chunk of chunks.filter((c) => c.isEntry)) visit(chunk)
  return [...seen]
}
const sum = (parts) => parts.reduce((acc, p) => ({ min: acc.min + p.min, gzip: acc.gzip + p.gzip }), { min: 0, gzip: 0 })

/** The kit's whole public surface (every export of the package entry, index.ts) for one platform. */
async function kit(platform) {
  const { chunks } = await build(`export * from ${abs('index.ts')}`, { platform })
  const first = initial(chunks)
  const lazy = chunks.filter((c) => !first.includes(c))
  const firstCode = first.map((c) => c.code).join('\n')
  return {
    initial: bytes(firstCode),
    initialHasSdk: hasSdk(firstCode),
    lazy: lazy.length ? bytes(lazy.map((c) => c.code).join('\n')) : { min: 0, gzip: 0 },
    lazyHasSdk: lazy.some((c) => hasSdk(c.code)),
  }
}

/**
 * What an app's own code imports (main.ts: createChainToolbar; pages: the composables and the error
 * helpers): the uni build tree-shakes the rest, e.g. the other platform's host.
 */
const APP_IMPORTS = ['createChainToolbar', 'useEntry', 'useChainContact', 'useChainChat', 'useShareToChat', 'isChainToolbarError']
async function app(platform) {
  const { chunks } = await build(`export { ${APP_IMPORTS.join(', ')} } from ${abs('index.ts')}`, { platform })
  const first = initial(chunks)
  const firstCode = first.map((c) => c.code).join('\n')
  const lazy = chunks
    .filter((c) => !first.includes(c))
    .map((c) => c.code)
    .join('\n')
  return {
    initial: bytes(firstCode),
    initialHasSdk: hasSdk(firstCode),
    lazy: lazy ? bytes(lazy) : { min: 0, gzip: 0 },
    lazyHasSdk: hasSdk(lazy),
    /** The project files only a lazy chunk holds (the SDK on H5; the media uploader on H5), by their path in the project. */
    lazyFiles: chunks
      .filter((c) => !first.includes(c))
      .flatMap((c) => c.moduleIds)
      .filter((id) => id.startsWith(root + '/'))
      .map((id) => id.slice(root.length + 1)),
    /** The project files in it, by their path in the project (for the components' measurement: counted here, once). */
    files: first
      .flatMap((c) => c.moduleIds)
      .filter((id) => id.startsWith(root + '/'))
      .map((id) => id.slice(root.length + 1)),
  }
}

/** The easycom components: components/<name>/<name>.vue. */
export function componentNames() {
  const dir = join(root, 'components')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, `${name}.vue`)))
    .sort()
}

/**
 * What every kit component with a UI carries, whichever it is: the theme (palette, root, buttons, and
 * following the app's scheme) and the i18n runtime with the error texts (and following the app's
 * locale). A page pays it once, with its first kit component.
 */
const SHARED = {
  css: 'components/_shared/theme.css',
  js: { 'src/i18n.ts': ['translate', 'errorTexts', 'errorKey'], 'src/locale.ts': ['followAppLocale'], 'components/_shared/theme.ts': ['useChainToolbarTheme'] },
}

/** Leaves the shared theme out of a component's styles (for its own bytes). */
function withoutSharedTheme() {
  return {
    name: 'bench:without-shared-theme',
    enforce: 'pre',
    transform(code, id) {
      if (id.split('?')[0].endsWith('.vue'))
        return { code: code.replace(/@import\s+['"][^'"]*_shared\/theme\.css['"]\s*;/g, ''), map: null }
    },
  }
}

/**
 * Components compiled (script, template, style), the core and composables an app imports anyway
 * (`coreFiles`, counted above) external: what the components add on top. `own`: without the shared
 * part (SHARED, measured by `shared()`), i.e. the component's script, template, style and texts.
 * Otherwise everything they use (the i18n runtime, the theme, helpers) is counted with them.
 */
async function components(names, coreFiles, { own = false } = {}) {
  const outside = new Set(coreFiles)
  if (own) for (const file of Object.keys(SHARED.js)) outside.add(join(root, file))
  const source = names
    .map((name, i) => `export { default as C${i} } from ${JSON.stringify(join(root, 'components', name, `${name}.vue`))}`)
    .join('\n')
  const { chunks, css } = await build(source, {
    platform: 'h5',
    vue: true,
    plugins: own ? [withoutSharedTheme()] : [],
    external: (id, _importer, isResolved) => EXTERNAL.test(id) || (isResolved && outside.has(id.split('?')[0])),
  })
  const code = chunks.map((c) => c.code).join('\n')
  const js = bytes(code)
  const style = css ? bytes(css) : { min: 0, gzip: 0 }
  return { js, css: style, total: sum([js, style]), hasSdk: hasSdk(code) }
}

/** The shared part alone (SHARED), as the components use it: the theme's CSS, `translate`, the error texts, the app's settings. */
async function shared(coreFiles) {
  const core = new Set(coreFiles)
  const exports = Object.entries(SHARED.js).map(([file, names]) => `export { ${names.join(', ')} } from ${abs(file)}`)
  const { chunks, css } = await build([`import ${abs(SHARED.css)}`, ...exports].join('\n'), {
    platform: 'h5',
    external: (id, _importer, isResolved) => EXTERNAL.test(id) || (isResolved && core.has(id.split('?')[0])),
  })
  const js = bytes(chunks.map((c) => c.code).join('\n'))
  const style = bytes(css)
  return { js, css: style, total: sum([js, style]) }
}

/** The anchors: the same build of the SDK subset the kit uses, and of the whole SDK. */
async function sdk() {
  const subset = await build(`export { ${SDK_SUBSET.join(', ')} } from '@wecom/jssdk'`, { platform: 'h5' })
  const whole = await build(`export * from '@wecom/jssdk'`, { platform: 'h5' })
  return { subset: bytes(subset.chunks.map((c) => c.code).join('\n')), whole: bytes(whole.chunks.map((c) => c.code).join('\n')) }
}

/**
 * Every size figure: { mp: { surface, app }, h5: { surface, app }, components: { name: … },
 * componentsTogether, componentsShared, sdk }. A component's figures: the component alone (what a
 * page pays for its first and only kit component: js, css, total), `own` (without the shared part)
 * and `marginal` (what it adds next to all the others).
 * `surface` keeps every export of index.ts (an upper bound); `app` is what an app's code imports.
 * Figures are bytes, { min, gzip }.
 */
export async function measureSizes() {
  const result = { mp: {}, h5: {}, components: {}, sdk: null }
  // One build at a time: uni's preprocessor context is global.
  result.mp.surface = await kit('mp-weixin')
  result.mp.app = await app('mp-weixin')
  result.h5.surface = await kit('h5')
  result.h5.app = await app('h5')
  const names = componentNames()
  const core = result.h5.app.files.map((file) => join(root, file))
  result.componentsTogether = names.length ? await components(names, core) : null
  result.componentsShared = await shared(core)
  for (const name of names) {
    const alone = await components([name], core)
    const own = await components([name], core, { own: true })
    // What it adds to a page that has the other components already (shared code paid once).
    const others =
      names.length > 1
        ? await components(
            names.filter((n) => n !== name),
            core,
          )
        : { total: { min: 0, gzip: 0 } }
    const marginal = {
      min: result.componentsTogether.total.min - others.total.min,
      gzip: result.componentsTogether.total.gzip - others.total.gzip,
    }
    result.components[name] = { ...alone, own: { js: own.js, css: own.css, total: own.total }, marginal }
  }
  result.sdk = await sdk()
  return result
}

/** The budgets that `npm test` enforces (bytes, gzip): tests/integration/budgets.test.ts. */
export const BUDGETS = {
  /**
   * The mini program: core + composables as an app imports them (bench row 1 of the sizes). Above the goal
   * is behaviour (each alone, about: message validation 438 B, the entry/version table 253 B, the persisted
   * cache 250 B, host texts → codes 221 B), the store as the composition of its parts, each composable
   * building its own view (about 240 B), and every error the kit can classify naming its cause (`reason`,
   * docs/troubleshooting.md: about 184 B; the development hints cost 0 B, a production build drops them).
   * Files, images and videos named by their content (a path, a URL, a Blob) cost about 2,100 B: the media
   * uploader (src/media: WeCom's limits, the id cache in memory and storage, one upload per content, the server
   * companion's uploader: ~1,800 B) is in the mini program bundle, because uni's mp-weixin build cannot load a
   * lazy chunk (it renders `import()` as a path string; on H5 it is lazy), plus the content checks in the
   * message and the share's upload-then-send with one re-upload. An app that never shares content still pays
   * the uploader: making it an opt-in import would win it back. A resolver refused for the app's server session
   * (HTTP 401: a cold start finds WeCom's session valid and the app's token gone) logs in once and asks again:
   * 72 B (the mini program host's renewSession and the store's one retry). Measured 7,452 B; the budget sits
   * just above.
   */
  mpKitGzip: 7488,
  /**
   * Each component's own script, template, style and texts (`own`), i.e. without what every kit
   * component shares (`componentsShared`, budgeted below). A page's first kit component costs both.
   * Above the goal: custom-class/custom-style, the theme class and the mini program's role attributes put a
   * card at ~2,650 B. Each card's template is written out in its .vue (uni's H5 build resolves its built-ins
   * only in a .vue file's own template): a card alone ~2,835 B, a second card on a page ~290 B. Raised from
   * 2,880 B for the cards' shared state (components/_shared/card.ts): +75 B per card buys a mount of 100
   * cards about a fifth faster (the render goal against bbcf787, docs/performance.md 5b).
   */
  componentGzip: 2956,
  /**
   * What every kit component with a UI shares: the theme (palette, root, buttons), following the app's
   * scheme and locale, the i18n runtime and the error texts, and telling a setup fault ("not set up for this
   * chat yet — tell the app's developer", `error.setup`) from a permission refusal (`errorKey`, about 142 B).
   * Measured 1,671 B with the scheme and the locale followed in modules of their own (the store split).
   */
  componentsSharedGzip: 1696,
}

/** Where the kit should be; the bench reports the distance. */
export const GOALS = {
  mpKitGzip: 4096,
  componentGzip: 2560,
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measureSizes(), null, 2))
}
