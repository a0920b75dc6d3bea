import { afterEach } from 'vitest'
import { resetHooks } from './uni-app'

// Easycom does not exist under vitest: uni-chain-toolbar/testing registers the components
// (tests/support/components.ts mounts them with it).
afterEach(() => resetHooks())
