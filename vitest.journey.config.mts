import { defineConfig } from 'vitest/config'

// The README's journey (tests/journey/): fresh apps from uni-app's official templates, the kit installed by
// its name from a private registry that the setup starts, published from the packed tarball. Needs the
// npm registry and Chromium; no build of this repository.
export default defineConfig({
  test: {
    name: 'journey',
    environment: 'node',
    include: ['tests/journey/**/*.test.ts'],
    globalSetup: ['tests/journey/setup.ts'],
    testTimeout: 240000,
    hookTimeout: 120000,
    fileParallelism: false,
  },
})
