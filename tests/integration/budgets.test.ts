// Size budgets: the bytes `npm run bench` reports (bench/sizes.mjs measures both), checked on every
// `npm test`. Bytes only — they are the same on every machine; timings are reported, never asserted.
import { readFileSync, readdirSync } from 'node:fs'
import { join, posix } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BUDGETS, build, componentNames, hasSdk, measureSizes, root, type Sizes } from '../../bench/sizes.mjs'

let sizes: Sizes
beforeAll(async () => {
  sizes = await measureSizes()
})

describe('size budgets (gzip)', () => {
  it(`mini program: the kit's core + composables, as an app imports them, ≤ ${BUDGETS.mpKitGzip} B`, () => {
    expect(sizes.mp.app.initial.gzip).toBeGreaterThan(0)
    expect(sizes.mp.app.initial.gzip).toBeLessThanOrEqual(BUDGETS.mpKitGzip)
  })

  it('mini program: not a byte of @wecom/jssdk, not even a lazy chunk', () => {
    expect(sizes.mp.app.initialHasSdk).toBe(false)
    expect(sizes.mp.app.lazy.min).toBe(0)
  })

  it('H5: the media uploader only in a lazy chunk, loaded when a message first names content', () => {
    expect(sizes.h5.app.files.some((file) => file.includes('/src/media/'))).toBe(false)
    expect(sizes.h5.app.lazyFiles).toContain('src/media/index.ts')
  })

  it('H5: the SDK subset only in the lazy chunk, never in the initial one', () => {
    expect(sizes.h5.app.initialHasSdk).toBe(false)
    expect(sizes.h5.app.lazyHasSdk).toBe(true)
  })

  const names = componentNames()
  it.skipIf(!names.length).each(names)(`component %s: its own script, template, style and texts ≤ ${BUDGETS.componentGzip} B`, (name) => {
    const measured = sizes.components[name]
    expect(measured.hasSdk).toBe(false)
    expect(measured.own!.total.gzip).toBeGreaterThan(0)
    expect(measured.own!.total.gzip, `${name}: JS ${measured.own!.js.gzip} B + CSS ${measured.own!.css.gzip} B gzip`).toBeLessThanOrEqual(
      BUDGETS.componentGzip,
    )
  })

  it(`what every component shares (theme, i18n runtime, error texts) ≤ ${BUDGETS.componentsSharedGzip} B, and each component alone is its own bytes plus that at most`, () => {
    const shared = sizes.componentsShared.total.gzip
    expect(shared).toBeGreaterThan(0)
    expect(shared, `JS ${sizes.componentsShared.js.gzip} B + CSS ${sizes.componentsShared.css.gzip} B gzip`).toBeLessThanOrEqual(
      BUDGETS.componentsSharedGzip,
    )
    // The split is a real one: nothing of a component escapes both measurements.
    for (const name of names) {
      const c = sizes.components[name]
      expect(c.total.gzip, name).toBeLessThanOrEqual(c.own!.total.gzip + shared)
      expect(c.total.gzip, name).toBeGreaterThanOrEqual(c.own!.total.gzip)
    }
  })
})

describe('development hints (src/host/hints.ts) in production builds', () => {
  it.each(['mp-weixin', 'h5'])('%s: the reasons are in, not a byte of the hints (their texts, the warning)', async (platform) => {
    const { chunks } = await build(`export * from ${JSON.stringify(join(root, 'index.ts'))}`, { platform })
    const code = chunks.map((c) => c.code).join('\n')
    expect(code).toContain('signature-rejected')
    for (const text of ['visible range', 'trusted domain', 'agent_config ticket', 'console.warn']) expect(code).not.toContain(text)
  })
})

describe('the measurement', () => {
  it('records the files it measured by their path in the project (bench/results.json holds no machine path)', () => {
    expect(sizes.h5.app.files).toContain('src/store.ts')
    for (const file of sizes.h5.app.files!) expect(file).not.toMatch(/^\//)
  })

  it('gives the same bytes in every clone: a project file left out of a measurement is imported by its path in the project', async () => {
    const entry = join(root, 'composables/useChainContact/index.ts')
    const { chunks } = await build(`export { useChainContact } from ${JSON.stringify(entry)}`, {
      platform: 'h5',
      external: (id: string, _importer: string | undefined, isResolved: boolean) => isResolved && id === entry,
    })
    const code = chunks.map((c) => c.code).join('\n')
    expect(code).toContain('composables/useChainContact/index.ts')
    expect(code).not.toContain(root.slice(1))
  })
})

describe('H5 build (dist/build/h5): the SDK is only in a lazily loaded chunk', () => {
  const h5 = join(root, 'dist/build/h5')
  const html = () => readFileSync(join(h5, 'index.html'), 'utf8')
  const js = (file: string) => readFileSync(join(h5, file), 'utf8')
  /**
   * Relative static imports of a minified ES chunk (`import{a}from"./x.js"`, `import"./x.js"`, `export{…}from"./x.js"`),
   * not `import("./x.js")`.
   */
  const staticImports = (code: string) =>
    [...code.matchAll(/\b(?:import|export)\s*(?:[\w$*{},\s]*?from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].map((m) => m[1])
  const dynamicImports = (code: string) => [...code.matchAll(/\bimport\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*\)/g)].map((m) => m[1])

  /** index.html's module scripts and modulepreloads, and everything they import statically. */
  function initialChunks(): string[] {
    const entries = [
      ...html().matchAll(/<(?:script[^>]+type="module"[^>]*\ssrc|link[^>]+rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g),
    ].map((m) => m[1])
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const dep of staticImports(js(file))) visit(posix.join(posix.dirname(file), dep))
    }
    entries.forEach(visit)
    return [...seen]
  }

  it('index.html loads an entry chunk', () => {
    expect(initialChunks().length).toBeGreaterThan(0)
  })

  it('no SDK code in the entry chunk or its static imports', () => {
    for (const file of initialChunks()) expect(hasSdk(js(file)), file).toBe(false)
  })

  it('the SDK is in a chunk that is only imported dynamically', () => {
    const initial = new Set(initialChunks())
    const all = readdirSync(join(h5, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => `assets/${f}`)
    const withSdk = all.filter((file) => hasSdk(js(file)))
    expect(withSdk.length).toBeGreaterThan(0)
    const dynamic = new Set(all.flatMap((file) => dynamicImports(js(file)).map((dep) => posix.join(posix.dirname(file), dep))))
    for (const file of withSdk) {
      expect(initial.has(file), file).toBe(false)
      expect(dynamic.has(file), `${file} is imported dynamically`).toBe(true)
    }
  })
})
