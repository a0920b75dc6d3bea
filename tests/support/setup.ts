import { config } from '@vue/test-utils'
import { afterEach } from 'vitest'
import { resetHooks } from './uni-app'

// Easycom does not exist under vitest: register every components/<name>/<name>.vue globally.
const modules = import.meta.glob('../../components/*/*.vue', { eager: true }) as Record<string, { default: unknown }>
for (const [file, mod] of Object.entries(modules)) {
  const match = /components\/([^/]+)\/\1\.vue$/.exec(file)
  if (match) (config.global.components as Record<string, unknown>)[match[1]] = mod.default
}

afterEach(() => resetHooks())
