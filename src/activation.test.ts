// The activation lifecycle: one scope at a time, parts cleared and read again, the host's foreground event.
import { effectScope } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import { createActivation, type ActivationPart } from './activation'
import { createOutsideHost } from './host/outside'
import type { ChainHost } from './host/types'

/** A host in WeCom whose foreground event the test fires. */
function hostWithForeground() {
  const listeners = new Set<() => void>()
  const host: ChainHost = {
    ...createOutsideHost('test'),
    isWeCom: true,
    onForeground(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return { host, listeners, foreground: () => [...listeners].forEach((listener) => listener()) }
}

const part = (wanted = false): ActivationPart & { reset: ReturnType<typeof vi.fn>; ensure: ReturnType<typeof vi.fn> } => ({
  wanted,
  reset: vi.fn(),
  ensure: vi.fn(async () => {}),
})

describe('createActivation', () => {
  it('activate() ends the current scope (CANCELLED), starts a new one, clears every part and reads again the wanted ones', async () => {
    const { host } = hostWithForeground()
    const scope = effectScope()
    const activation = scope.run(() => createActivation(host, 100, new Set()))!
    const first = activation.scope
    const onEnd = vi.fn()
    first.onEnd(onEnd)
    const used = part(true)
    const unused = part(false)
    activation.parts.push(used, unused)
    await activation.activate()
    expect(first.active).toBe(false)
    expect(onEnd.mock.calls[0][0]).toMatchObject({ code: 'CANCELLED' })
    expect(activation.scope).not.toBe(first)
    expect(activation.scope.active).toBe(true)
    expect(activation.scope.timeoutMs).toBe(100)
    expect(used.reset).toHaveBeenCalledTimes(1)
    expect(unused.reset).toHaveBeenCalledTimes(1)
    expect(used.ensure).toHaveBeenCalledTimes(1)
    expect(unused.ensure).not.toHaveBeenCalled()
    scope.stop()
  })

  it('the host’s foreground event begins a new activation once something was read, not before (the launch show)', () => {
    const { host, foreground } = hostWithForeground()
    const scope = effectScope()
    const activation = scope.run(() => createActivation(host, 100, new Set()))!
    const entry = part(false)
    activation.parts.push(entry)
    const launch = activation.scope
    foreground()
    expect(activation.scope).toBe(launch)
    entry.wanted = true
    foreground()
    expect(activation.scope).not.toBe(launch)
    expect(entry.reset).toHaveBeenCalledTimes(1)
    scope.stop()
  })

  it('stops listening when its effect scope stops, and ends both scopes when the app runs its cleanups', () => {
    const { host, listeners } = hostWithForeground()
    const cleanups = new Set<() => void>()
    const scope = effectScope()
    const activation = scope.run(() => createActivation(host, 100, cleanups))!
    expect(listeners.size).toBe(1)
    scope.stop()
    expect(listeners.size).toBe(0)
    for (const cleanup of cleanups) cleanup()
    expect(activation.scope.active).toBe(false)
    expect(activation.life.active).toBe(false)
  })

  it('outside WeCom a new activation clears the parts and reads nothing', async () => {
    const scope = effectScope()
    const activation = scope.run(() => createActivation(createOutsideHost(), 100, new Set()))!
    const entry = part(true)
    activation.parts.push(entry)
    await activation.activate()
    expect(entry.reset).toHaveBeenCalledTimes(1)
    expect(entry.ensure).not.toHaveBeenCalled()
    expect(activation.reads).toBe(false)
    scope.stop()
  })
})
