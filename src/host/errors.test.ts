import { describe, expect, it } from 'vitest'
import { ChainToolbarError } from '../errors'
import { codeForHostText, toHostError } from './errors'
import { ChainToolbarError as KitError } from '../errors'

// docs/wecom-host.md §4, in the mini program form (qy__api:fail …) and the SDK's normalised form (api:keyword).
const table: Array<[string, string]> = [
  ['qy__getCurCorpGroupContact:fail without context of corpgroup contact', 'UNSUPPORTED_ENTRY'],
  ['getCurCorpGroupContact:without context of corpgroup contact', 'UNSUPPORTED_ENTRY'],
  ['qy__getCurCorpGroupContact:fail only support chain group chat tools entry', 'UNSUPPORTED_ENTRY'],
  ['sendChatMessage:without context of external contact', 'UNSUPPORTED_ENTRY'],
  ['qy.sendChatMessage:fail unsupported msgtype', 'UNSUPPORTED_ENTRY'],
  ['qy__getCurCorpGroupChat:fail function not exist', 'CLIENT_TOO_OLD'],
  ['wx.qy.getCurCorpGroupContact is not a function', 'CLIENT_TOO_OLD'],
  ['qy__getContext:fail no permission', 'NO_PERMISSION'],
  ['sendChatMessage:nopermission', 'NO_PERMISSION'],
  ['getContext:permission denied', 'NO_PERMISSION'],
  ['qy__sendChatMessage:fail not in allow list', 'NO_PERMISSION'],
  ['getCurCorpGroupContact:notinallowlist', 'NO_PERMISSION'],
  ['qy__getCurCorpGroupContact:fail not allow to cross corp', 'NO_PERMISSION'],
  ['agentConfig://open.work.weixin.qq.com/devtool/query?e=80001', 'NO_PERMISSION'],
  ['agentConfig:fail 40093 invalid signature', 'NO_PERMISSION'],
  ['agentConfig:invalid signature', 'NO_PERMISSION'],
  ['sendChatMessage:cancel', 'CANCELLED'],
  ['qy__sendChatMessage:fail cancel', 'CANCELLED'],
  ['qy__sendChatMessage:fail invalid imgUrl', 'INVALID_MESSAGE'],
  ['sendChatMessage:invalid param', 'INVALID_MESSAGE'],
  ['qy__sendChatMessage:fail content empty', 'INVALID_MESSAGE'],
  ['qy__checkSession:fail session expired', 'LOGIN_FAILED'],
  ['qy__login:fail:invalid suiteId', 'LOGIN_FAILED'],
  ['qy__getContext:fail system error', 'HOST_ERROR'],
]

describe('host texts → error codes', () => {
  it.each(table)('"%s" → %s', (text, code) => {
    expect(codeForHostText(text)).toBe(code)
  })

  it('keeps the api and the raw answer, and reads errMsg, err_msg or an Error', () => {
    const raw = { errMsg: 'qy__getContext:fail no permission' }
    const error = toHostError('getContext', raw)
    expect(error).toBeInstanceOf(ChainToolbarError)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ code: 'NO_PERMISSION', api: 'getContext', raw })
    expect(toHostError('getContext', { err_msg: 'getContext:fail_no permission' }).code).toBe('NO_PERMISSION')
    expect(toHostError('x', new TypeError('qy.x is not a function')).code).toBe('CLIENT_TOO_OLD')
    expect(toHostError('x', undefined).code).toBe('HOST_ERROR')
  })
})

// Which cause, so who can fix it (docs/troubleshooting.md has a row for each reason).
const reasons: Array<[string, string | undefined]> = [
  ['qy__getCurCorpGroupContact:fail without context of corpgroup contact', 'wrong-entry'],
  ['sendChatMessage:unsupported msgtype', 'wrong-entry'],
  ['qy__getCurCorpGroupChat:fail function not exist', 'client-too-old'],
  ['getCurCorpGroupContact:nopermission', 'no-permission'],
  ['getContext:permission denied', 'no-permission'],
  ['qy__sendChatMessage:fail not in allow list', 'api-not-allowed'],
  ['qy__getCurCorpGroupContact:fail not allow to cross corp', 'cross-corp-not-allowed'],
  ['agentConfig://open.work.weixin.qq.com/devtool/query?e=80001', 'untrusted-domain'],
  ['agentConfig:invalid signature', 'signature-rejected'],
  ['agentConfig:fail -1 40093', 'signature-rejected'],
  ['sendChatMessage:invalid media_id', 'media-expired'],
  ['sendChatMessage:fail 40007', 'media-expired'],
  ['qy__sendChatMessage:fail invalid imgUrl', 'invalid-message'],
  ['sendChatMessage:cancel', 'cancelled'],
  ['qy__checkSession:fail session expired', 'session-expired'],
  ['qy__login:fail:invalid suiteId', 'login-failed'],
  ['qy__getContext:fail system error', undefined],
]

describe('host texts → reasons', () => {
  it.each(reasons)('"%s" → %s', (text, reason) => {
    expect(toHostError('api', { errMsg: text }).reason).toBe(reason)
  })

  it("an error the kit makes itself has its code's reason, and a HOST_ERROR it cannot classify none", () => {
    expect(new KitError('TIMEOUT', 'x').reason).toBe('timeout')
    expect(new KitError('NOT_IN_WECOM', 'x').reason).toBe('not-in-wecom')
    expect(new KitError('NO_PERMISSION', 'x', { reason: 'untrusted-domain' }).reason).toBe('untrusted-domain')
    expect(new KitError('HOST_ERROR', 'x').reason).toBeUndefined()
  })
})

describe('host texts that ended as HOST_ERROR', () => {
  it('maps the texts that ended as HOST_ERROR, and keeps raw', () => {
    const cases: Array<[unknown, string]> = [
      [{ errMsg: 'qy__sendChatMessage:fail_no_permission' }, 'NO_PERMISSION'],
      [{ errMsg: 'qy__getCurCorpGroupChat:fail_function_not_exist' }, 'CLIENT_TOO_OLD'],
      [{ errMsg: 'sendChatMessage:fail_invalid_param' }, 'INVALID_MESSAGE'],
      [{ errMsg: 'getContext:fail_not_in_allow_list' }, 'NO_PERMISSION'],
      [{ errMsg: 'getContext:permission_denied' }, 'NO_PERMISSION'],
      [{ errMsg: 'agentConfig:fail_invalid_signature' }, 'NO_PERMISSION'],
      [{ err_msg: 'system:function_not_exist' }, 'CLIENT_TOO_OLD'],
      [{ errMsg: 'qy__getContext:fail access denied' }, 'NO_PERMISSION'],
      [{ err_msg: 'agentConfig:fail', err_code: 40093 }, 'NO_PERMISSION'],
      [{ errMsg: 'agentConfig:fail', errCode: 40093 }, 'NO_PERMISSION'],
    ]
    for (const [raw, code] of cases) {
      const error = toHostError('getContext', raw)
      expect([raw, error.code]).toEqual([raw, code])
      expect(error.raw).toBe(raw)
    }
    expect(codeForHostText('getContext:fail something else')).toBe('HOST_ERROR')
  })
})
