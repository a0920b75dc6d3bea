// `npm run bench`, render against a baseline: 100 contact cards of this tree and 100 of a baseline commit's
// cards (checked out by bench/run.mjs in bench/.baseline/, its own kit and store), each in its own app on a
// scripted mini program host, mounted alternately in the same process. The estimator is the minimum over
// many samples of the process's CPU time (the run least disturbed by the rest of the machine: another
// process's load does not count in it), with the median of the paired ratios (each sample mounts both, one
// right after the other, so a drift of the machine falls on both) and their quartiles beside it; each sample
// is the mean of MOUNTS_PER_SAMPLE mounts. On a loaded machine the minimum moves most (one GC pause more or
// less); the paired median moves least.
import { createApp, defineComponent, h, nextTick, ref, type Component } from 'vue'
import { createPinia } from 'pinia'
import { createScriptedQy } from '../tests/support/scripted-qy'

/** What a kit gives the measurement: its plugin and mini program host, and its contact card. */
export interface KitUnderTest {
  createChainToolbar: (options: Record<string, unknown>) => { install: (app: any) => void }
  createMiniProgramHost: (options: Record<string, unknown>) => unknown
  Card: Component
}

const CONTACT = { corpId: 'wwdownstream', userId: 'lisi' }
const COUNT = 100
/**
 * Mounts per sample, their CPU time averaged: one mount of 100 cards is about 8 ms, and a sample of one mount
 * moved by ±25 % (a GC pause, the compiler's threads); four narrow the paired ratios' middle half to about ±12 %
 * (measured: 0.78–1.23 with one, 0.88–1.10 with four, 300 samples each).
 */
const MOUNTS_PER_SAMPLE = 4

/** One app with `kit`'s contact card mounted `COUNT` times on demand, the contact already read. */
async function cardsApp(kit: KitUnderTest) {
  const sim = createScriptedQy({ entry: 'chain_single_chat_tools', version: '4.1.22', contact: CONTACT, latencyMs: 0, sessionValid: true })
  const shown = ref(false)
  const Page = defineComponent({
    setup: () => () => h('view', shown.value ? Array.from({ length: COUNT }, () => h(kit.Card)) : []),
  })
  const app = createApp(Page)
  app.use(createPinia())
  app.use(kit.createChainToolbar({ host: kit.createMiniProgramHost({ qy: sim.qy, exchangeCode: () => undefined, app: null }) }))
  const el = document.createElement('div')
  document.body.appendChild(el)
  app.mount(el)
  const cards = () => el.textContent!.split(CONTACT.userId).length - 1
  // Mount once so the contact is read; wait until every card shows it.
  shown.value = true
  for (let i = 0; i < 500 && cards() < COUNT; i++) await new Promise((done) => setTimeout(done, 2))
  if (cards() < COUNT) throw new Error('bench: the cards never showed the contact')
  shown.value = false
  await nextTick()
  return {
    /** CPU milliseconds to mount the cards (the unmount after it is not timed). */
    async time(): Promise<number> {
      let took = 0
      for (let k = 0; k < MOUNTS_PER_SAMPLE; k++) {
        const started = process.cpuUsage()
        shown.value = true
        await nextTick()
        const used = process.cpuUsage(started)
        took += (used.user + used.system) / 1000
        if (cards() < COUNT) throw new Error('bench: a card did not render the contact')
        shown.value = false
        await nextTick()
      }
      return took / MOUNTS_PER_SAMPLE
    },
    close() {
      app.unmount()
      el.remove()
    },
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]
const round2 = (n: number) => Math.round(n * 100) / 100

export async function measureRenderAgainst(current: KitUnderTest, baseline: KitUnderTest, samples = 60) {
  const gc = (globalThis as { gc?: () => void }).gc
  const apps = { current: await cardsApp(current), baseline: await cardsApp(baseline) }
  const times = { current: [] as number[], baseline: [] as number[] }
  const ratios: number[] = []
  for (let i = 0; i < 10; i++) for (const side of ['current', 'baseline'] as const) await apps[side].time()
  for (let i = 0; i < samples; i++) {
    const order = i % 2 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const)
    const took: Record<string, number> = {}
    for (const side of order) {
      gc?.()
      took[side] = await apps[side].time()
      times[side].push(took[side])
    }
    ratios.push(took.current / took.baseline)
  }
  apps.current.close()
  apps.baseline.close()
  return {
    samples,
    currentMinMs: round2(Math.min(...times.current)),
    baselineMinMs: round2(Math.min(...times.baseline)),
    ratioOfMinimums: round2(Math.min(...times.current) / Math.min(...times.baseline)),
    medianRatio: round2(median(ratios)),
    /** The middle half of the paired ratios: how far one run's figure can be trusted. */
    ratioQuartiles: [round2(quantile(ratios, 0.25)), round2(quantile(ratios, 0.75))],
  }
}
