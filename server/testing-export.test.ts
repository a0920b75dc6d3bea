import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The fake WeCom server API as an app's own tests import it: by the path its header comment gives, from the
// packed package installed in node_modules (the package's "exports" decide what a consumer may import).
const root = resolve(__dirname, '..')
let app: string

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'uct-fake-wecom-consumer-'))
  const packed = execFileSync('npm', ['pack', '--pack-destination', app, '--json'], { cwd: root, encoding: 'utf8' })
  const into = join(app, 'node_modules/uni-chain-toolbar')
  mkdirSync(into, { recursive: true })
  execFileSync('tar', ['-xzf', join(app, JSON.parse(packed)[0].filename), '-C', into, '--strip-components=1'])
}, 60000)
afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true })
})

describe('uni-chain-toolbar/server/testing/fake-wecom.mjs from the packed package', () => {
  it('imports in plain Node and answers gettoken like WeCom', () => {
    writeFileSync(
      join(app, 'check.mjs'),
      `import { createFakeWeComApi, FAKE_DEFAULTS } from 'uni-chain-toolbar/server/testing/fake-wecom.mjs'
const fake = await createFakeWeComApi()
const res = await fetch(fake.url + '/cgi-bin/gettoken?corpid=' + FAKE_DEFAULTS.corpId + '&corpsecret=' + FAKE_DEFAULTS.secret)
const body = await res.json()
await fake.close()
process.stdout.write(JSON.stringify({ errcode: body.errcode, token: typeof body.access_token }))`,
    )
    const run = spawnSync(process.execPath, ['check.mjs'], { cwd: app, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 15000 })
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual({ errcode: 0, token: 'string' })
  })

  it('comes with its types for TypeScript consumers (NodeNext resolution)', () => {
    writeFileSync(
      join(app, 'check.mts'),
      `import { createFakeWeComApi, type FakeWeComApi } from 'uni-chain-toolbar/server/testing/fake-wecom.mjs'
const fake: FakeWeComApi = await createFakeWeComApi({ corpId: 'ww1' })
const port: number = fake.url
export {}`,
    )
    const tsc = join(root, 'node_modules/typescript/bin/tsc')
    const args = [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), 'check.mts']
    const run = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', timeout: 30000 })
    // The one error is the deliberate one: the module and its types were found, and `url` is a string.
    expect(run.stdout.trim().split('\n')).toEqual([expect.stringMatching(/check\.mts\(3,7\): error TS2322: Type 'string' is not assignable to type 'number'/)])
  }, 30000)
})
