// The media uploader's chunk (H5: a lazy import) fails to load once, say offline: the share fails, and the next
// share loads it again instead of failing forever.
import { describe, expect, it, vi } from 'vitest'
import { useShareToChat } from '../../composables/useShareToChat'
import { miniProgram, mountKit } from '../../tests/support/kit'

let failNext = true
vi.mock('../host/platform', async (original) => {
  const actual = await original<typeof import('../host/platform')>()
  return {
    ...actual,
    loadMedia: () => {
      if (!failNext) return actual.loadMedia()
      failNext = false
      return Promise.reject(new Error('Failed to fetch dynamically imported module'))
    },
  }
})

describe('loading the media uploader', () => {
  it('a failed load fails that share only: the next share loads the uploader again and sends', async () => {
    const mp = miniProgram({ entry: 'chain_single_chat_tools', version: '4.1.22' })
    const uploadMedia = vi.fn(async () => ({ mediaid: 'M1' }))
    const { consumers } = mountKit({ host: mp.host, uploadMedia, media: { storage: false } }, useShareToChat)
    const share = consumers[0]
    await vi.waitFor(() => expect(share.isSupported.value).toBe(true))
    const photo = { msgtype: 'image' as const, image: { blob: new File([new Uint8Array(64)], 'a.png', { type: 'image/png' }) } }
    await expect(share.share(photo)).rejects.toMatchObject({ code: 'HOST_ERROR', api: 'uploadMedia' })
    await share.share(photo)
    expect(mp.calls.filter((c) => c.api === 'sendChatMessage').map((c) => c.params)).toEqual([{ msgtype: 'image', image: { mediaid: 'M1' } }])
  })
})
