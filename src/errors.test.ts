// The mini program's JS reaches old phones compiled to ES5 by WeChat DevTools ("compile JS to ES5", the
// only mode since DevTools 1.05.2106091): Babel 7, preset-env, targets { chrome: 53, ios: 8 }. uni's own
// builds keep classes as they are. ChainToolbarError must stay an instance of its class through that.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { transformSync } from '@babel/core'
import { transformWithEsbuild } from 'vite'
import { describe, expect, it } from 'vitest'
import { ChainToolbarError, isChainToolbarError } from './errors'

/** src/errors.ts as uni's build emits it (Vite's esbuild step), then as WeChat DevTools compiles that. */
async function compiledForOldPhones() {
  const file = resolve(__dirname, 'errors.ts')
  const emitted = await transformWithEsbuild(readFileSync(file, 'utf8'), file, { target: 'es2020' })
  const { code } = transformSync(emitted.code, {
    configFile: false,
    babelrc: false,
    presets: [['@babel/preset-env', { targets: { chrome: '53', ios: '8' }, modules: 'commonjs' }]],
  })!
  expect(code).not.toMatch(/\bclass\s+\w+\s+extends\b/) // really down-levelled
  const module = { exports: {} as { ChainToolbarError: typeof ChainToolbarError; isChainToolbarError: typeof isChainToolbarError } }
  new Function('module', 'exports', code!)(module, module.exports)
  return module.exports
}

describe('ChainToolbarError', () => {
  it.each([
    ['as written', async () => ({ ChainToolbarError, isChainToolbarError })],
    ['compiled to ES5 as WeChat DevTools does', compiledForOldPhones],
  ])('%s: an instance of its class and of Error, with code, api and raw', async (_, load) => {
    const kit = await load()
    const raw = { errMsg: 'qy__getContext:fail no permission' }
    const error = new kit.ChainToolbarError('NO_PERMISSION', 'getContext failed', { api: 'getContext', raw })
    expect(error).toBeInstanceOf(kit.ChainToolbarError)
    expect(error).toBeInstanceOf(Error)
    expect(kit.isChainToolbarError(error)).toBe(true)
    expect(kit.isChainToolbarError(new Error('x'))).toBe(false)
    expect(error).toMatchObject({ name: 'ChainToolbarError', message: 'getContext failed', code: 'NO_PERMISSION', api: 'getContext', raw })
    expect(Object.keys(new kit.ChainToolbarError('TIMEOUT', 'x'))).not.toContain('api')
    class Subclass extends kit.ChainToolbarError {}
    expect(new Subclass('BUSY', 'b')).toBeInstanceOf(Subclass)
  })
})
