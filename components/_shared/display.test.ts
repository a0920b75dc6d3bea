import { describe, expect, it } from 'vitest'
import { initialsOf, textOf } from './display'

describe('initialsOf', () => {
  it.each([
    ['李四', '李'],
    ['  王 芳 ', '王'],
    ['lisi', 'L'],
    ['Li Lei', 'LL'],
    ['li.lei@corp', 'LL'],
    ['anna-maria von trapp', 'AM'],
    ['_李', '李'],
    ['Lei 李', 'L李'],
    ['😀 smile', '😀S'],
    ['', ''],
    ['  ', ''],
    [null, ''],
    [undefined, ''],
  ])('%j → %j', (name, initials) => {
    expect(initialsOf(name)).toBe(initials)
  })
})

describe('textOf', () => {
  it('keeps trimmed non-empty strings only', () => {
    expect(textOf('  李四 ')).toBe('李四')
    expect(textOf('   ')).toBeUndefined()
    expect(textOf(42)).toBeUndefined()
    expect(textOf(null)).toBeUndefined()
  })
})
