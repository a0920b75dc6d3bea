// `npm run lint` (and a step of `npm test`): ESLint's recommended rules, typescript-eslint and
// eslint-plugin-vue, with zero warnings allowed. Formatting is not checked beyond a line length.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'

export default tseslint.config(
  {
    // tests/consumer/src-app/src/env.d.ts is uni's Vite template as a new project gets it.
    ignores: ['node_modules/', 'dist/', 'bench/.baseline-*/', 'unpackage/', 'tests/artifacts/', 'tests/consumer/src-app/src/env.d.ts', 'tests/journey/templates/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node, uni: 'readonly', wx: 'readonly', getApp: 'readonly' },
    },
    rules: {
      // Long strings (test names, user agents, report lines) stay whole, where a search finds them.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Unused arguments keep a function's documented signature; a leading _ says so.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Template formatting is the author's; these rules only fight uni's single-line tags.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      // uni's built-in tags (view, text, button, …) and the easycom components are single words or kebab names.
      'vue/multi-word-component-names': 'off',
      // Slot props keep the names the slot's users destructure (`{ chatId }`).
      'vue/attribute-hyphenation': ['error', 'always', { ignore: ['chatId'] }],
    },
  },
  {
    // The host's answers are untyped until the store checks them (adapters, the simulated client and the
    // declarations of host APIs); Vue's own slot signatures return `any`.
    files: [
      'src/host/**',
      'simulator/**',
      'testing/**',
      '**/*.d.ts',
      '**/*.d.mts',
      'components/**/types.ts',
      'components/_shared/props.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The package's type declarations travel with its entry, index.ts, by reference (no build step).
    files: ['index.ts'],
    rules: { '@typescript-eslint/triple-slash-reference': 'off' },
  },
  {
    // Tests and the bench drive internals and doubles: loose types and inline components are their tools.
    files: ['**/*.test.ts', 'tests/**', 'bench/**', 'testing/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'vue/one-component-per-file': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
