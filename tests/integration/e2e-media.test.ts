// Files, images and videos shared end to end in the H5 build, in real Chromium inside "WeCom": a wxwork user agent
// and a WeixinJSBridge scripted by the test, the real @wecom/jssdk between them and the page. The demo page picks
// each with uni's own picker (a real file chooser), the kit's default uploader sends it to the server companion
// (mounted in Express beside the built app, one origin, as an app serves both), and the companion streams it to
// the fake WeCom API's media/upload. The message that reaches sendChatMessage must carry the id the fake issued
// for that very file.
import { join, resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, type LaunchedChromium } from '../support/browser'
import { startMediaCompanion, type MediaCompanion } from '../support/media-companion'
import { writeMediaFiles, type MediaFile } from '../support/media-files'
import { installPageBridge, leaveAndReturn, type PageBridgeCall, type PageBridgeScript } from '../support/page-bridge'

const root = resolve(__dirname, '../..')
const WECOM_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh'
const alice = { corpId: 'wwe2emedia00000a01', userId: 'media.alice' }
const bob = { corpId: 'wwe2emedia00000b02', userId: 'media.bob' }

let companion: MediaCompanion
let chromium: LaunchedChromium
let media: ReturnType<typeof writeMediaFiles>
const contexts: BrowserContext[] = []

beforeAll(async () => {
  media = writeMediaFiles()
  companion = await startMediaCompanion({ site: join(root, 'dist/build/h5') })
  chromium = await launchChromium()
})

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})))
  await chromium?.close()
  await companion?.close()
  media?.remove()
})

/** The demo at 360 px inside "WeCom" on the test's bridge; its agentConfig signature is the companion's, for real. */
async function openInWeCom(bridge: PageBridgeScript): Promise<{ page: Page; errors: string[] }> {
  const context = await chromium.browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'zh-CN', userAgent: WECOM_UA })
  contexts.push(context)
  const page = await context.newPage()
  page.setDefaultTimeout(10000)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.addInitScript(installPageBridge, bridge)
  await page.goto(`${companion.url}/`)
  await waitForText(page, 'contact', `${bridge.contact!.corpId} / ${bridge.contact!.userId}`)
  return { page, errors }
}

async function waitForText(page: Page, testId: string, expected: string) {
  await page.waitForFunction(
    ([id, want]) => ((document.querySelector(`[data-testid=${id}]`) as HTMLElement | null)?.innerText ?? '').includes(want),
    [testId, expected] as const,
  )
}

/** The messages the SDK handed to the client's sendChatMessage, in order. */
const sent = async (page: Page) =>
  ((await page.evaluate(() => (window as any).__uctBridge.calls)) as PageBridgeCall[]).filter((c) => c.name === 'sendChatMessage')

async function waitForSends(page: Page, count: number) {
  await page.waitForFunction(
    (n) => (window as any).__uctBridge.calls.filter((c: { name: string }) => c.name === 'sendChatMessage').length === n,
    count,
  )
}

/** Picks `file` with the demo's picker for its type: uni's picker opens the browser's file chooser. */
async function pick(page: Page, file: MediaFile) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(`[data-testid=pick-${file.type}]`).click()])
  await chooser.setFiles(file.path)
  await waitForText(page, 'picked-name', `${file.type}: ${file.name}`)
}

const shareButton = (page: Page) => page.locator('[data-testid=share-picked-slot] .uct-share__button')

/** The id in a sent message, checked against what the fake WeCom API issued for `file`. */
function issuedFor(call: PageBridgeCall, file: MediaFile): string {
  expect(call.params.msgtype).toBe(file.type)
  const mediaid = (call.params[file.type] as { mediaid: string }).mediaid
  expect(Object.keys(call.params[file.type] as object)).toEqual(['mediaid'])
  expect(companion.fake.media.status(mediaid)).toBe('valid')
  const { type, name: filename, size, sha256 } = file
  expect(companion.fake.media.issued.get(mediaid)).toMatchObject({ type, filename, size, sha256 })
  return mediaid
}

describe('inside WeCom (H5): picked content through the default uploader, the server companion and the fake WeCom API', () => {
  it('a file, an image and a video: each message carries the id WeCom issued for that file; the same file again uploads nothing', async () => {
    const { page, errors } = await openInWeCom({ entry: 'chain_single_chat_tools', contact: alice })
    const { file, image, video } = media.files
    const requestsBefore = companion.mediaRequests()
    const uploadsBefore = companion.fake.count('media/upload')

    await pick(page, file)
    await shareButton(page).click()
    await waitForSends(page, 1)
    await waitForText(page, 'share-picked-slot', '已发送')
    const fileId = issuedFor((await sent(page))[0], file)
    expect([companion.mediaRequests() - requestsBefore, companion.fake.count('media/upload') - uploadsBefore]).toEqual([1, 1])

    // The same file shared again: the kit has its id, nothing goes to the companion or WeCom, only the send.
    await shareButton(page).click()
    await waitForSends(page, 2)
    expect((await sent(page))[1].params).toMatchObject({ msgtype: 'file', file: { mediaid: fileId } })
    expect([companion.mediaRequests() - requestsBefore, companion.fake.count('media/upload') - uploadsBefore]).toEqual([1, 1])

    await pick(page, image)
    await shareButton(page).click()
    await waitForSends(page, 3)
    issuedFor((await sent(page))[2], image)

    await pick(page, video)
    await shareButton(page).click()
    await waitForSends(page, 4)
    issuedFor((await sent(page))[3], video)
    expect([companion.mediaRequests() - requestsBefore, companion.fake.count('media/upload') - uploadsBefore]).toEqual([3, 3])
    await waitForText(page, 'share-picked-slot', '已发送')
    expect(errors).toEqual([])
  })

  it('the chat changes while the upload runs: nothing is sent, and the finished upload is what the next share in the new chat sends', async () => {
    const { page, errors } = await openInWeCom({ entry: 'chain_single_chat_tools', contact: alice })
    const fresh = writeMediaFiles() // content new to the companion and to WeCom
    const { video } = fresh.files
    await pick(page, video)
    const requestsBefore = companion.mediaRequests()
    const issuedBefore = companion.fake.media.issued.size
    const held = companion.holdNextUpload()
    await shareButton(page).click()
    await held.arrived

    // The rep opens the page from Bob's chat while the video is still on its way.
    await page.evaluate(leaveAndReturn, { contact: bob })
    await waitForText(page, 'contact', `${bob.corpId} / ${bob.userId}`)
    held.release()
    await expect.poll(() => companion.fake.media.issued.size, { timeout: 10000 }).toBe(issuedBefore + 1)
    await page.waitForTimeout(500) // a send would have reached the bridge by now
    expect(await sent(page)).toEqual([])

    // In Bob's chat: the same video is sent with the id uploaded before, and nothing is uploaded again.
    await shareButton(page).click()
    await waitForSends(page, 1)
    const mediaid = issuedFor((await sent(page))[0], video)
    expect([...companion.fake.media.issued.keys()].slice(-1)).toEqual([mediaid])
    expect(companion.mediaRequests() - requestsBefore).toBe(1)
    expect(errors).toEqual([])
    fresh.remove()
  })
})
