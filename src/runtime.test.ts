// The kit loaded twice on one page: two copies of its modules, as Vite's dependency pre-bundling made in uni's
// dev server (main.ts used the pre-bundled copy, easycom's components the package's files) until the build
// plugin excluded the kit from it. A copy's components cannot see a runtime the other copy installed; the
// error must tell the developer that, instead of only "app.use(createChainToolbar()) is missing".
import { expect, it, vi } from 'vitest'
import { miniProgram, thrownIn } from '../tests/support/kit'

const chainSingle = { entry: 'chain_single_chat_tools', version: '4.1.22', contact: { corpId: 'wwdown', userId: 'lisi' } }

it('a component of one copy in an app that installed the other copy: the error names the second copy', async () => {
  const appCopy = await import('../index')
  // The same copy works, and an app without the plugin gets the plain error (nothing about copies).
  expect(thrownIn(appCopy.useEntry, appCopy.createChainToolbar({ host: miniProgram(chainSingle).host }))).toBeNull()
  const plain = String(thrownIn(appCopy.useEntry))
  expect(plain).toContain('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
  expect(plain).not.toContain('copy')

  vi.resetModules()
  const componentCopy = await import('../index')
  expect(componentCopy.useEntry).not.toBe(appCopy.useEntry)
  const twice = String(thrownIn(componentCopy.useEntry, appCopy.createChainToolbar({ host: miniProgram(chainSingle).host })))
  expect(twice).toContain('[uni-chain-toolbar] app.use(createChainToolbar()) is missing')
  expect(twice).toContain('the app installed another copy of uni-chain-toolbar')
  expect(twice).toContain("optimizeDeps.include: ['uni-chain-toolbar']")
})
