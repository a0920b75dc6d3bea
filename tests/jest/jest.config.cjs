// A jest smoke run of uni-chain-toolbar/testing (the kit's own suite is vitest): jsdom, babel-jest for .ts,
// @vue/vue3-jest for .vue, no uni compiler. `npm test -- jest`.
const babelConfig = { presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'] }

module.exports = {
  rootDir: '../..',
  testEnvironment: 'jsdom',
  // Vue and @vue/test-utils: their CommonJS builds, not the browser ones jsdom's conditions would pick.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  testMatch: ['<rootDir>/tests/jest/**/*.test.ts'],
  // The journey's template apps are package folders of their own (two named uni-preset-vue).
  modulePathIgnorePatterns: ['<rootDir>/tests/journey/templates/', '<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'js', 'json', 'vue'],
  transform: {
    '^.+\\.ts$': ['babel-jest', babelConfig],
    '^.+\\.vue$': ['<rootDir>/tests/jest/vue-transform.cjs', { babelConfig }],
  },
}
