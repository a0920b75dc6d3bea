// Holds server/index.d.ts (the types the package ships for uni-chain-toolbar/server) to the code it declares:
// compiled by the typecheck:server step (tsconfig.server.json) with the JSDoc-typed server/*.mjs checked too.
import type * as Declared from './index'
import * as Implemented from './index.mjs'

// Every declared export exists and its implementation satisfies the declaration.
export const implemented: typeof Declared = Implemented

// Nothing is exported that the declarations do not name.
type Undeclared = Exclude<keyof typeof Implemented, keyof typeof Declared>
export const undeclared: [Undeclared] extends [never] ? 'none' : Undeclared = 'none'

// The fake WeCom API (uni-chain-toolbar/server/testing/fake-wecom.mjs): `./testing/fake-wecom.mjs` resolves to its
// fake-wecom.d.mts, which fake-wecom.mjs's JSDoc uses, so the code is checked against it; the exports it passes on
// from fake-media.mjs are held to their declarations here, and server/declarations.test.ts compares the names.
import type * as FakeDeclared from './testing/fake-wecom.mjs'
import * as FakeMedia from './testing/fake-media.mjs'

export const fakeMedia: Pick<typeof FakeDeclared, 'FAKE_MEDIA_LIMITS' | 'MEDIA_LIFETIME_MS' | 'fakeMediaStatus'> = FakeMedia
