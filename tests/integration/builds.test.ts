// What a user checks in the two builds that `npm test` made: the platform split holds.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const mp = join(root, 'dist/build/mp-weixin')
const h5 = join(root, 'dist/build/h5')

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? files(full, ext) : ext.test(name) ? [full] : []
  })
}
const read = (dir: string, ext: RegExp) => files(dir, ext).map((f) => ({ f, code: readFileSync(f, 'utf8') }))

/** String literals of @wecom/jssdk that survive minification. */
// String literals of @wecom/jssdk that survive minification (not WeixinJSBridgeReady: the simulator dispatches it).
const SDK_MARKERS = ['preVerifyJSAPI', 'Missing getAgentConfigSignature', 'CLProximityImmediate']

describe('mini program build (dist/build/mp-weixin)', () => {
  it('is a mini program with the demo page', () => {
    const app = JSON.parse(readFileSync(join(mp, 'app.json'), 'utf8'))
    expect(app.pages).toContain('pages/index/index')
    for (const ext of ['js', 'wxml', 'json']) expect(existsSync(join(mp, `pages/index/index.${ext}`))).toBe(true)
  })

  it("ships the demo, not the components' test page", () => {
    const app = JSON.parse(readFileSync(join(mp, 'app.json'), 'utf8'))
    expect(app.pages).toEqual(['pages/index/index'])
    expect(existsSync(join(mp, 'pages/fixture'))).toBe(false)
  })

  it('contains no code of @wecom/jssdk', () => {
    for (const { f, code } of read(mp, /\.js$/)) {
      for (const marker of SDK_MARKERS) expect(code.includes(marker), `${marker} in ${f}`).toBe(false)
    }
  })

  it('reaches wx.qy', () => {
    expect(read(mp, /\.js$/).some(({ code }) => /\.qy\b/.test(code))).toBe(true)
  })
})

describe('H5 build (dist/build/h5)', () => {
  it('has index.html loading the app', () => {
    const html = readFileSync(join(h5, 'index.html'), 'utf8')
    expect(html).toMatch(/<script[^>]+src="[^"]+\.js"/)
  })

  it('contains no wx.qy reference', () => {
    for (const { f, code } of read(h5, /\.(js|html)$/)) expect(/wx\.qy\b/.test(code), f).toBe(false)
  })
})
