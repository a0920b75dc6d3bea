// The simulator fails the way WeCom does: it checks the agentConfig signature as WeCom does (sha1 over its
// own app ticket, the nonce, the timestamp and the page URL without #hash; on iOS the URL the page landed
// on), answers a wrong one with WeCom's own text, and accepts only the media ids WeCom issued.
import { createHash } from 'node:crypto'
import { watch } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useChainContact, useEntry, useShareToChat, type ChainToolbarError } from '../../index'
import { createSimulatedClient, installWeComSimulator, SIMULATED_FAULTS, type WeComSimulator } from '../../simulator/index'
import { FAKE_DEFAULTS } from '../../server/testing/fake-wecom.mjs'
import { mountKit } from '../support/kit'

const platform = process.env.UNI_PLATFORM
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')
/** What the app's server computes (docs/wecom-host.md §5), here with Node's own sha1. */
const serverSignature = (ticket: string, url: string, nonceStr = 'n0nce', timestamp = 1700000000) => ({
  timestamp,
  nonceStr,
  signature: sha1(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`),
})
const callBridge = (client: ReturnType<typeof createSimulatedClient>, name: string, params: Record<string, unknown> = {}) =>
  new Promise<any>((resolve) => client.bridge.invoke(name, params, resolve))
const agentConfig = (sig: { timestamp: number; nonceStr: string; signature: string }) => ({
  corpid: 'ww',
  agentid: '1000002',
  timestamp: String(sig.timestamp),
  nonceStr: sig.nonceStr,
  signature: sig.signature,
})

describe('the simulated client checks the agentConfig signature', () => {
  afterEach(() => history.replaceState(null, '', '/'))

  it('accepts the signature an app server computes with the app ticket over the page URL without #hash', async () => {
    history.replaceState(null, '', '/quote?id=7#/detail')
    const client = createSimulatedClient({ latencyMs: 0 })
    const sig = serverSignature(client.scenario.ticket, `${location.origin}/quote?id=7`)
    expect((await callBridge(client, 'agentConfig', agentConfig(sig))).err_msg).toBe('agentConfig:ok')
  })

  it("its ticket is the fake WeCom API's by default: the server companion on it signs pages the simulator accepts", () => {
    expect(createSimulatedClient().scenario.ticket).toBe(FAKE_DEFAULTS.ticket)
  })

  it.each([
    ['signed with the corp jsapi ticket instead of the app one', (url: string) => serverSignature('corp-jsapi-ticket', url)],
    ['signed for another URL', (url: string) => serverSignature(FAKE_DEFAULTS.ticket, `${url}?other`)],
    ['signed with the #hash', (url: string) => serverSignature(FAKE_DEFAULTS.ticket, `${url}#/detail`)],
    ['a made-up signature', () => ({ timestamp: 1700000000, nonceStr: 'x', signature: 'simulator' })],
  ])("refuses one %s with WeCom's text: invalid signature, 40093", async (_, sign) => {
    history.replaceState(null, '', '/quote#/detail')
    const client = createSimulatedClient({ latencyMs: 0 })
    const answer = await callBridge(client, 'agentConfig', agentConfig(sign(`${location.origin}/quote`)))
    expect(answer).toEqual({ err_msg: 'agentConfig:fail_invalid signature', err_code: 40093 })
    expect(client.log[0].status).toBe('fail')
  })

  it("iOS: the signature must be for the URL the single-page app landed on, not the one it routed to", async () => {
    history.replaceState(null, '', '/landing')
    const client = createSimulatedClient({ latencyMs: 0, landingUrlRule: true })
    history.pushState(null, '', '/quote/7') // history-mode routing after the landing
    const current = await callBridge(client, 'agentConfig', agentConfig(serverSignature(FAKE_DEFAULTS.ticket, `${location.origin}/quote/7`)))
    expect(current.err_msg).toBe('agentConfig:fail_invalid signature')
    const landing = await callBridge(client, 'agentConfig', agentConfig(serverSignature(FAKE_DEFAULTS.ticket, `${location.origin}/landing`)))
    expect(landing.err_msg).toBe('agentConfig:ok')
  })

  it('its own getSignature signs validly, and plays the faults of a signature endpoint', async () => {
    const client = createSimulatedClient({ latencyMs: 0 })
    const url = location.href.split('#')[0]
    expect((await callBridge(client, 'agentConfig', agentConfig(await client.getSignature(url)))).err_msg).toBe('agentConfig:ok')
    client.set({ signatureEndpoint: 'cors' })
    await expect(client.getSignature(url)).rejects.toThrow(TypeError)
    client.set({ signatureEndpoint: 500 })
    await expect(client.getSignature(url)).rejects.toThrow('signature endpoint answered 500')
    client.set({ signatureEndpoint: 'corp-ticket' })
    expect((await callBridge(client, 'agentConfig', agentConfig(await client.getSignature(url)))).err_msg).toBe(
      'agentConfig:fail_invalid signature',
    )
  })
})

describe('the simulated client accepts only the media ids WeCom issued', () => {
  const image = (mediaid: string) => ({ msgtype: 'image', image: { mediaid } })

  it("answers an unknown mediaid with WeCom's text (invalid media_id, 40007), in both forms", async () => {
    const client = createSimulatedClient({ latencyMs: 0, mediaIds: ['MEDIA_1'] })
    expect((await callBridge(client, 'sendChatMessage', image('MEDIA_1'))).err_msg).toBe('sendChatMessage:ok')
    expect(await callBridge(client, 'sendChatMessage', image('MEDIA_X'))).toEqual({
      err_msg: 'sendChatMessage:fail_invalid media_id',
      err_code: 40007,
    })
    const qy = await new Promise<any>((resolve) =>
      (client.qy.sendChatMessage as any)({ ...image('MEDIA_X'), success: resolve, fail: resolve }),
    )
    expect(qy).toEqual({ errMsg: 'qy__sendChatMessage:fail invalid media_id', errCode: 40007 })
  })

  it('asks the fake WeCom API (or any check it is given) whether it issued the id', async () => {
    const issued = new Set(['FROM_UPLOAD'])
    const client = createSimulatedClient({ latencyMs: 0 }, { isMediaIssued: (id) => issued.has(id) })
    expect((await callBridge(client, 'sendChatMessage', image('FROM_UPLOAD'))).err_msg).toBe('sendChatMessage:ok')
    expect((await callBridge(client, 'sendChatMessage', image('NEVER'))).err_code).toBe(40007)
  })
})

describe.runIf(platform === 'h5')('installed (H5): the kit meets the faults as it would in WeCom', () => {
  const ordinaryUA = navigator.userAgent
  let simulator: WeComSimulator | null = null
  beforeEach(() => vi.resetModules())
  afterEach(() => {
    simulator?.uninstall()
    simulator = null
    Object.defineProperty(window.navigator, 'userAgent', { value: ordinaryUA, configurable: true })
    delete (window as any).WeixinJSBridge
  })
  const web = (sim: WeComSimulator) => ({ web: { corpId: 'wwdemo', agentId: '1000002', getSignature: sim.getSignature } })

  it('an app server signing with the corp ticket: the kit reports signature-rejected', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    simulator = installWeComSimulator({ latencyMs: 0, signatureEndpoint: 'corp-ticket' })
    const { consumers } = mountKit(web(simulator!), useEntry)
    await vi.waitFor(() => expect(consumers[0].error.value?.reason).toBe('signature-rejected'))
  })

  it("a share of an image WeCom never issued: INVALID_MESSAGE, media-expired (not WeCom's generic error)", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    simulator = installWeComSimulator({ latencyMs: 0, mediaIds: [] })
    const { consumers } = mountKit(web(simulator!), () => ({ contact: useChainContact(), share: useShareToChat() }))
    await vi.waitFor(() => expect(consumers[0].contact.contact.value).not.toBeNull())
    const error = (await consumers[0].share.share({ msgtype: 'image', image: { mediaid: 'MEDIA_X' } }).catch((e) => e)) as ChainToolbarError
    expect(error.code).toBe('INVALID_MESSAGE')
    expect(error.reason).toBe('media-expired')
  })

  it("plays the media upload where no server runs: the id it issued is sent, one it did not issue is refused", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    simulator = installWeComSimulator({ latencyMs: 0 })
    const { consumers } = mountKit({ ...web(simulator!), uploadMedia: simulator!.uploadMedia }, () => ({
      contact: useChainContact(),
      share: useShareToChat(),
    }))
    await vi.waitFor(() => expect(consumers[0].contact.contact.value).not.toBeNull())
    const photo = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2])], { type: 'image/png' })
    const seen: number[] = []
    const stop = watch(consumers[0].share.progress, (fraction) => fraction != null && seen.push(fraction))
    await consumers[0].share.share({ msgtype: 'image', image: { blob: photo, name: 'product.png' } })
    stop()
    const sends = simulator!.log.filter((c) => c.api === 'sendChatMessage')
    expect(sends.map((c) => c.status)).toEqual(['ok'])
    const mediaid = (sends[0].params.image as { mediaid: string }).mediaid
    expect(mediaid).toMatch(/^sim-media-image-/)
    expect(simulator!.scenario.mediaIds).toEqual([mediaid])
    expect(seen.length).toBeGreaterThan(1)
    expect(seen[seen.length - 1]).toBe(1)
    // The simulator issued ids: from now on, only those are WeCom's.
    const error = (await consumers[0].share.share({ msgtype: 'image', image: { mediaid: 'MEDIA_X' } }).catch((e) => e)) as ChainToolbarError
    expect(error.reason).toBe('media-expired')
    await expect(simulator!.uploadMedia({ type: 'file', blob: new Blob(['tiny']), name: 'a.txt', size: 4, onProgress: () => {} })).rejects.toThrow(
      /larger than 5 bytes/,
    )
  })

  it('an upload still in flight when the simulator is taken away ends with its id', async () => {
    simulator = installWeComSimulator({ latencyMs: 5 })
    const upload = simulator!.uploadMedia({ type: 'file', path: '/tmp/quote.pdf', name: 'quote.pdf', size: 2048, onProgress: () => {} })
    simulator!.uninstall()
    simulator = null
    await expect(upload).resolves.toMatchObject({ mediaid: expect.stringMatching(/^sim-media-file-/) })
  })

  it('offers a scenario for each fault, by name', () => {
    expect(Object.keys(SIMULATED_FAULTS)).toEqual(
      expect.arrayContaining(['signature-endpoint-cors', 'signature-endpoint-500', 'untrusted-domain', 'invalid-signature', 'ios-landing-url', 'unknown-media']),
    )
  })
})
