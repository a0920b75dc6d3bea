// Uploads, sends and chat switches as races: fast-check's scheduler decides when every wx.qy answer and every
// step of the uploader (its progress, its answer or failure) arrives, interleaved with shares of two contents
// and chat switches. The real mini program adapter on a scripted wx.qy; the app's uploader is the outer edge.
// RACE_RUNS=<n> changes the number of runs.
import fc from 'fast-check'
import { createApp, defineComponent, watch } from 'vue'
import { createPinia } from 'pinia'
import { beforeAll, describe, it, vi } from 'vitest'
import { createChainToolbar, createMiniProgramHost, useShareToChat, type ChatMessage, type UploadMediaRequest } from '../../index'
import { createScriptedQy } from '../support/scripted-qy'

const RUNS = Number(process.env.RACE_RUNS ?? 200)
const realSetImmediate = globalThis.setImmediate
const settle = () => new Promise<void>((resolve) => realSetImmediate(() => resolve()))

const CONTENTS: Record<string, ChatMessage> = {
  quote: { msgtype: 'file', file: { path: 'wxfile://tmp_quote.pdf', name: '报价单.pdf' } },
  photo: { msgtype: 'image', image: { path: 'wxfile://tmp_photo.jpg' } },
}
type Action = { kind: 'switch' } | { kind: 'share'; content: keyof typeof CONTENTS } | { kind: 'uploadFails' }
const plans = fc.array(
  fc.oneof(
    fc.constant<Action>({ kind: 'switch' }),
    fc.constant<Action>({ kind: 'uploadFails' }),
    fc.constantFrom<Action>({ kind: 'share', content: 'quote' }, { kind: 'share', content: 'photo' }),
  ),
  { maxLength: 10 },
)

describe('uploads, sends and chat switches in any order (mini program)', () => {
  // The share loads the media module when a message first names content: loaded once here, not in a run.
  beforeAll(() => import('../../src/media'))
  it('sends only into the chat a share began in, uploads each content once, keeps an upload a cancelled share began', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), plans, async (s, plan) => {
        vi.stubGlobal('uni', { getFileInfo: ({ success }: { success: (r: { size: number }) => void }) => success({ size: 4096 }) })
        const problems: string[] = []
        const check = (ok: boolean, what: string) => ok || problems.push(what)
        let chat = 0
        const show = new Set<() => void>()
        // The shares not yet settled: [content, activation].
        const open = new Set<{ content: string; chat: number }>()
        const issued = new Map<string, string>() // mediaid → content
        const uploads: Record<string, number> = {}
        const failedUploads: Record<string, number> = {}
        let failNext = 0
        const sends: Array<{ content: string | undefined; chat: number }> = []
        const qy = createScriptedQy({
          entry: 'chain_single_chat_tools',
          version: '4.1.22',
          deliver(api, respond) {
            if (api === 'sendChatMessage') {
              const params = qy.calls[qy.calls.length - 1].params as Record<string, { mediaid: string }>
              const content = issued.get((params.file ?? params.image).mediaid)
              sends.push({ content, chat })
              check(
                [...open].some((share) => share.content === content && share.chat === chat),
                `${content} received in chat ${chat} without a share of it begun there`,
              )
            }
            s.schedule(Promise.resolve(), api).then(() => respond())
          },
        })
        const uploadMedia = async (request: UploadMediaRequest) => {
          const content = 'path' in request && request.path.includes('quote') ? 'quote' : 'photo'
          uploads[content] = (uploads[content] ?? 0) + 1
          const fails = failNext > 0 && failNext--
          await s.schedule(Promise.resolve(), `upload ${content} starts`)
          request.onProgress(0.5)
          await s.schedule(Promise.resolve(), `upload ${content} ends`)
          if (fails) {
            failedUploads[content] = (failedUploads[content] ?? 0) + 1
            throw new Error('the server failed')
          }
          const mediaid = `M-${content}-${uploads[content]}`
          issued.set(mediaid, content)
          return { mediaid }
        }
        const host = createMiniProgramHost({
          qy: qy.qy,
          exchangeCode: async () => {},
          app: { onAppShow: (fn: () => void) => show.add(fn), offAppShow: (fn: () => void) => show.delete(fn) },
        })
        let share!: ReturnType<typeof useShareToChat>
        const app = createApp(
          defineComponent({
            setup() {
              share = useShareToChat()
              watch(share.progress, (p) => check(p === null || share.isSending.value, `progress ${p} while not sending`), { flush: 'sync' })
              return () => null
            },
          }),
        )
        app.use(createPinia()).use(createChainToolbar({ host, uploadMedia, media: { storage: false } }))
        app.mount(document.createElement('div'))

        const pending: Promise<void>[] = []
        const begin = (content: string) => {
          const record = { content, chat }
          open.add(record)
          pending.push(
            share.share(CONTENTS[content]).then(
              () => {
                open.delete(record)
                check(sends.some((send) => send.content === content && send.chat === record.chat), `${content} resolved but not sent in ${record.chat}`)
              },
              (error) => {
                open.delete(record)
                const expected = ['CANCELLED', 'BUSY'].includes(error.code) || (error.api === 'uploadMedia' && error.code === 'HOST_ERROR')
                check(expected, `${content} from chat ${record.chat} failed ${error.code} ${error.message}`)
              },
            ),
          )
        }
        s.scheduleSequence(
          plan.map((action) => ({
            label: JSON.stringify(action),
            builder: async () => {
              if (action.kind === 'switch') {
                chat++
                show.forEach((fn) => fn())
              } else if (action.kind === 'uploadFails') failNext++
              else begin(action.content)
            },
          })),
        )
        // Every scheduled answer runs until no share is open (the media module loads once, between answers).
        const drain = async () => {
          for (const until = Date.now() + 10000; Date.now() < until; ) {
            await settle()
            if (s.count() > 0) await s.waitOne()
            else if (!open.size) return
            else await new Promise((resolve) => setTimeout(resolve, 1))
          }
          problems.push(`never settled: ${[...open].map((share) => share.content)}`)
          throw new Error(problems.join('\n'))
        }
        await drain()
        await Promise.all(pending)
        for (const content in uploads) {
          check(uploads[content] <= 1 + (failedUploads[content] ?? 0), `${content} uploaded ${uploads[content]} times, ${failedUploads[content] ?? 0} failed`)
        }
        // What was uploaded is kept: a share in the chat now sends it without another upload.
        const before = { ...uploads }
        for (const content of Object.keys(CONTENTS).filter((c) => [...issued.values()].includes(c))) {
          begin(content)
          await drain()
          await Promise.all(pending)
          check(uploads[content] === before[content], `${content} uploaded again after a finished upload`)
          check(sends[sends.length - 1]?.content === content && sends[sends.length - 1]?.chat === chat, `${content} not sent in the chat now`)
        }
        app.unmount()
        if (problems.length) throw new Error(problems.join('\n'))
      }),
      { numRuns: RUNS },
    )
  }, 120000)
})
