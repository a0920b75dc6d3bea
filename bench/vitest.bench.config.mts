// `npm run bench`'s runtime measurements (bench/runtime.test.ts): the plugins, aliases and setup of the
// unit tests (vitest.config.mts: uni's #ifdef, @vitejs/plugin-vue, the @dcloudio/uni-app double,
// happy-dom), one file, one forked process with --expose-gc so heap figures come after a full GC.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import base from '../vitest.config.mts'

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    ...base.test,
    name: 'bench',
    include: ['bench/runtime.test.ts'],
    testTimeout: 600000,
    hookTimeout: 60000,
    restoreMocks: false,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true, execArgv: ['--expose-gc'] } },
  },
})
