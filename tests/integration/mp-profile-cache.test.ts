// The persisted profile cache in the built mini program (dist/build/mp-weixin), run in node on a scripted
// wx.qy: the demo page reads the contact, its resolver (250 ms) brings the name, and uni's storage (wx's,
// shared by the two launches here) keeps it. Launched again, the page has the name as soon as the contact.
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMiniProgram, type MiniProgramInstance } from '../support/mini-program-runtime'
import { createScriptedQy } from '../support/scripted-qy'

const dist = join(resolve(__dirname, '../..'), 'dist/build/mp-weixin')
const CONTACT = { corpId: 'wwd6f2ad1e8b7c3a90', userId: 'ZhangWei' } // in the demo's directory: 张伟

/** Every string the page rendered (uni passes the template's values to setData under short keys). */
function renderedText(page: MiniProgramInstance): string {
  const out: string[] = []
  const walk = (value: unknown) => {
    if (typeof value === 'string') out.push(value)
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk(page.data)
  return out.join('\n')
}

/** Polls every millisecond until `check` holds (false after the timeout). */
async function until(check: () => boolean, timeoutMs = 5000) {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) return false
    await new Promise((r) => setTimeout(r, 1))
  }
  return true
}

function launch(storage: Map<string, unknown>) {
  const scripted = createScriptedQy({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: CONTACT, latencyMs: 5 })
  const runtime = loadMiniProgram(dist, {
    qy: scripted.qy,
    getStorageSync: (key: string) => (storage.has(key) ? structuredClone(storage.get(key)) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, structuredClone(value)),
    removeStorageSync: (key: string) => void storage.delete(key),
  })
  return runtime.openPage('pages/index/index')
}

describe('mini program build: the persisted profile cache', () => {
  it('a second launch has the name with the contact, before the resolver could answer', async () => {
    const storage = new Map<string, unknown>()
    const first = launch(storage)
    expect(await until(() => renderedText(first).includes(CONTACT.userId))).toBe(true)
    // Nothing stored yet: the ids come first, the name 250 ms later.
    expect(renderedText(first)).not.toContain('张伟')
    expect(await until(() => renderedText(first).includes('张伟'))).toBe(true)
    expect(await until(() => [...storage.keys()].some((key) => key.includes('uni-chain-toolbar:profiles')))).toBe(true)

    const second = launch(storage)
    expect(await until(() => renderedText(second).includes(CONTACT.userId))).toBe(true)
    // The first render with the contact already has the name: it came from storage (the resolver takes 250 ms).
    expect(renderedText(second)).toContain('张伟')
  })
})
