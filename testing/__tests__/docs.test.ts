// The README's "Testing your page" example is the consumer app's own test file, which npm test runs.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { docSection } from '../../tests/support/docs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

describe('README: Testing your page', () => {
  it('shows the consumer app’s test file as it is', () => {
    const section = docSection('Testing your page')
    expect(section.page).toBe('README.md')
    const example = /```ts\n([\s\S]*?)```/.exec(section.text)![1]
    expect(example).toBe(readFileSync(resolve(root, 'tests/consumer/app/tests/custom.test.ts'), 'utf8'))
    expect(example).toContain("from 'uni-chain-toolbar/testing'")
  })
})
