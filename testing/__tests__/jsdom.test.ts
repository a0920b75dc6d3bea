// @vitest-environment jsdom
// The same example under jsdom instead of happy-dom.
import { afterEach, describe, expect, it } from 'vitest'
import { runExample } from './example'

const ordinaryUA = navigator.userAgent
afterEach(() => {
  expect('wx' in globalThis).toBe(false)
  expect('WeixinJSBridge' in window).toBe(false)
  expect(navigator.userAgent).toBe(ordinaryUA)
})

describe.each(['mini-program', 'web'] as const)('under jsdom, host %j', (host) => {
  it('runs a page test as an app writes it', async () => {
    await runExample(host)
  })
})
