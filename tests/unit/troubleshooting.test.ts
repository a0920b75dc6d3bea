// docs/troubleshooting.md is held to the code: every row's `reason` is produced by the simulator scenario or
// the case its last column names (through the kit's real hosts: the H5 one on the real @wecom/jssdk over
// the simulated bridge, the mini program one on the simulated wx.qy), with a development hint and the
// text the row says the person at the toolbar reads; and every reason the kit can produce has a row.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { createChainToolbar, createMiniProgramHost, createWebHost, useChainContact, useEntry, useShareToChat } from '../../index'
import type { ChainToolbarError } from '../../src/errors'
import { errorKey } from '../../src/i18n'
import { SIMULATED_FAULTS } from '../../simulator/index'
import { createTestingChainToolbar, type TestingChainToolbarOptions } from '../../testing/index'
import { mountKit, sleep } from '../support/kit'
import { WECOM_UA } from '../support/scripted-bridge'

const root = resolve(__dirname, '../..')
const doc = readFileSync(resolve(root, 'docs/troubleshooting.md'), 'utf8')

/** The rows of the tables with a `reason` column: { reason, told, by }. */
function rows() {
  const found: Array<{ reason: string; told: string; by: string; line: string }> = []
  let columns: string[] | null = null
  for (const line of doc.split('\n')) {
    if (!line.startsWith('|')) {
      columns = null
      continue
    }
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim())
    if (!columns) {
      columns = cells
      continue
    }
    if (/^-+$/.test(cells[0]) || !columns.includes('`reason`')) continue
    const at = (name: string) => cells[columns!.findIndex((c) => c.includes(name))] ?? ''
    found.push({ reason: at('`reason`').replace(/`/g, ''), told: at('reads').replace(/`/g, ''), by: at('reproduced by'), line })
  }
  return found
}

/** The reasons the kit can produce: the ErrorReason union of src/errors.ts. */
const reasons = [...readFileSync(resolve(root, 'src/errors.ts'), 'utf8').matchAll(/^\s*\| '([a-z-]+)'$/gm)].map((m) => m[1])

const Page = defineComponent({
  setup: () => ({ entry: useEntry(), contact: useChainContact(), share: useShareToChat() }),
  render: () => null,
})

/** Mounts a page on the testing kit, reads, then shares an image: the first error it meets. */
async function meet(options: TestingChainToolbarOptions, then?: () => void): Promise<ChainToolbarError> {
  const kit = createTestingChainToolbar({ timeoutMs: 300, ...options })
  then?.()
  const page = mount(Page, { global: { plugins: [kit] } }).vm as any
  await kit.flush()
  const read = page.entry.error.value ?? page.contact.error.value
  if (read) return read
  return page.share.share({ msgtype: 'image', image: { mediaid: 'MEDIA_1' } }).then(
    () => {
      throw new Error('no error')
    },
    (error: ChainToolbarError) => error,
  )
}

/** The cases the simulator alone cannot play (the app's options, the kit's own checks). */
const CASES: Record<string, () => Promise<ChainToolbarError>> = {
  'session-exchange-failed': () =>
    meet({
      scenario: { sessionValid: false },
      miniProgram: { exchangeCode: async () => Promise.reject(new Error('session endpoint answered 500')) },
    }),
  'kit-not-configured': () => meet({ host: 'web', scenario: { entry: 'chain_single_chat_tools' }, web: { corpId: '', agentId: 1 } }),
  'sdk-load-failed': async () => {
    const host = createWebHost({ corpId: 'ww', agentId: 1, getSignature: () => ({ timestamp: 1, nonceStr: 'n', signature: 's' }), userAgent: WECOM_UA, sdk: () => Promise.reject(new Error('chunk failed')) })
    const { consumers } = mountKit({ host }, useEntry)
    await vi.waitFor(() => expect(consumers[0].error.value).not.toBeNull())
    return consumers[0].error.value!
  },
  'invalid-message': async () => {
    const kit = createTestingChainToolbar({})
    const page = mount(Page, { global: { plugins: [kit] } }).vm as any
    return page.share.share({ msgtype: 'nope' }).catch((e: ChainToolbarError) => e)
  },
  busy: async () => {
    const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools', latencyMs: 30 } })
    const page = mount(Page, { global: { plugins: [kit] } }).vm as any
    await kit.flush()
    const text = { msgtype: 'text', text: { content: 'hi' } }
    const first = page.share.share(text)
    const second = await page.share.share(text).catch((e: ChainToolbarError) => e)
    await first
    return second
  },
  'activation-ended': async () => {
    const kit = createTestingChainToolbar({ scenario: { entry: 'chain_single_chat_tools', hang: ['getContext'] }, timeoutMs: 2000 })
    const page = mount(Page, { global: { plugins: [kit] } }).vm as any
    const sent = page.share.share({ msgtype: 'text', text: { content: 'hi' } }).catch((e: ChainToolbarError) => e)
    await sleep(20)
    void page.entry.refresh() // a new activation (as when the page comes back from another chat)
    return sent
  },
  'not-in-wecom': async () => {
    const app = mount(Page, { global: { plugins: [(await import('pinia')).createPinia(), createChainToolbar({ host: createMiniProgramHost({ qy: null, app: null }) })] } })
    return (app.vm as any).share.share({ msgtype: 'text', text: { content: 'hi' } }).catch((e: ChainToolbarError) => e)
  },
}

/** Plays the row's reproducer: a simulator scenario on the host where the fault exists, or a case above. */
function reproduce(by: string): Promise<ChainToolbarError> {
  const [kind, name] = by.split(/:\s*/)
  if (kind === 'test') return CASES[name]()
  const fault = SIMULATED_FAULTS[name]
  // iOS's landing-URL rule shows once a history-mode page routed away from the URL it landed on.
  const route = name === 'ios-landing-url' ? () => history.pushState(null, '', '/quote/7') : undefined
  return meet({ host: fault.form === 'qy' ? 'mini-program' : 'web', scenario: { entry: 'chain_single_chat_tools', ...fault.scenario } }, route).finally(
    () => route && history.replaceState(null, '', '/'),
  )
}

describe('docs/troubleshooting.md', () => {
  const table = rows()

  it('has a row for every reason the kit can produce, and names only those', () => {
    expect(reasons.length).toBeGreaterThan(15)
    expect([...new Set(table.map((row) => row.reason))].sort()).toEqual([...reasons].sort())
  })

  it("names every simulator scenario and every case of this test, each a real one", () => {
    const named = table.map((row) => row.by)
    for (const name of Object.keys(SIMULATED_FAULTS)) expect(named).toContain(`simulator: ${name}`)
    for (const name of Object.keys(CASES)) expect(named).toContain(`test: ${name}`)
    for (const by of named) expect(by).toMatch(/^(simulator|test): [\w-]+$/)
  })

  it.each(table.map((row) => [row.by, row.reason, row.told]))(
    '%s gives reason %s, a development hint, and the person at the toolbar reads %s',
    async (by, reason, told) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const error = await reproduce(by)
      expect(error.reason).toBe(reason)
      expect(error.hint, 'a development hint').toMatch(/\S/)
      expect(errorKey(error)).toBe(told)
      warn.mockRestore()
    },
  )
})
