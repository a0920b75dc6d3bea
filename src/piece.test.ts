// The async piece: value, loading and error of one read, shared while in flight, bounded by its activation.
import { describe, expect, it, vi } from 'vitest'
import { ChainToolbarError } from './errors'
import { createScope } from './host/scope'
import { createPiece, type PieceActivation } from './piece'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

const activationOf = (timeoutMs = 1000, reads = true): PieceActivation & { scope: ReturnType<typeof createScope> } => ({
  scope: createScope(timeoutMs),
  reads,
})

describe('createPiece', () => {
  it('loads, then holds the value; callers during the read share it (one read)', async () => {
    const answer = deferred<string>()
    const read = vi.fn(() => answer.promise)
    const piece = createPiece('getContext', read, activationOf())
    expect([piece.value.value, piece.loading.value, piece.error.value]).toEqual([null, false, null])
    const first = piece.ensure()
    const second = piece.ensure()
    expect(second).toBe(first)
    expect(piece.loading.value).toBe(true)
    answer.resolve('chain_single_chat_tools')
    await first
    expect([piece.value.value, piece.loading.value, piece.error.value]).toEqual(['chain_single_chat_tools', false, null])
    await piece.ensure()
    expect(read).toHaveBeenCalledTimes(1)
  })

  it('a failed read lands in error as a ChainToolbarError naming the API; ensure() itself never rejects', async () => {
    const piece = createPiece('getCurCorpGroupChat', () => Promise.reject({ errMsg: 'getCurCorpGroupChat:fail no permission' }), activationOf())
    await expect(piece.ensure()).resolves.toBeUndefined()
    expect(piece.value.value).toBeNull()
    expect(piece.loading.value).toBe(false)
    expect(piece.error.value).toBeInstanceOf(ChainToolbarError)
    expect(piece.error.value).toMatchObject({ code: 'NO_PERMISSION', api: 'getCurCorpGroupChat' })
  })

  it('a read that never answers ends in TIMEOUT after the activation’s timeoutMs', async () => {
    const piece = createPiece('getContext', () => new Promise<string>(() => {}), activationOf(30))
    await piece.ensure()
    expect(piece.error.value).toMatchObject({ code: 'TIMEOUT', api: 'getContext' })
    expect(piece.loading.value).toBe(false)
  })

  it('reset() clears the piece and drops the answer still on its way; the next ensure() reads again', async () => {
    const answers = [deferred<string>(), deferred<string>()]
    let calls = 0
    const onReset = vi.fn()
    const piece = createPiece('getContext', () => answers[calls++].promise, activationOf(), onReset)
    const first = piece.ensure()
    piece.reset()
    expect(onReset).toHaveBeenCalledTimes(1)
    const second = piece.ensure()
    answers[0].resolve('from the previous chat')
    await first
    expect(piece.value.value).toBeNull()
    expect(piece.loading.value).toBe(true)
    answers[1].resolve('chain_group_chat_tools')
    await second
    expect(piece.value.value).toBe('chain_group_chat_tools')
  })

  it('the read gets the activation it started in; when that activation ends the read ends CANCELLED', async () => {
    const activation = activationOf()
    const seen: unknown[] = []
    const piece = createPiece(
      'getContext',
      (scope) => {
        seen.push(scope)
        return new Promise<string>(() => {})
      },
      activation,
    )
    const pending = piece.ensure()
    expect(seen).toEqual([activation.scope])
    activation.scope.end()
    await pending
    expect(piece.error.value).toMatchObject({ code: 'CANCELLED' })
  })

  it('outside WeCom (reads false) it reads nothing and stays empty, not loading', async () => {
    const read = vi.fn(async () => 'normal')
    const piece = createPiece('getContext', read, activationOf(1000, false))
    await piece.ensure()
    expect(read).not.toHaveBeenCalled()
    expect([piece.value.value, piece.loading.value, piece.error.value]).toEqual([null, false, null])
    expect(piece.wanted).toBe(true)
  })
})
