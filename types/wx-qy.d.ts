// The wx.qy methods uni-chain-toolbar uses, typed for apps (miniprogram-api-typings has `wx` but no
// `qy`). Callback style only (docs/wecom-host.md §2). Augments WechatMiniprogram.Wx, so `wx.qy.getContext`
// type-checks wherever `wx` is declared (miniprogram-api-typings).
declare namespace WechatMiniprogram {
  namespace Qy {
    interface GeneralCallbackResult {
      errMsg: string
    }
    interface CallbackOptions<T> {
      success?: (res: T) => void
      fail?: (res: GeneralCallbackResult) => void
      complete?: (res: T | GeneralCallbackResult) => void
    }
    interface GetContextSuccess extends GeneralCallbackResult {
      /**
       * contact_profile, single_chat_tools, group_chat_tools, chat_attachment, single_kf_tools, chain_single_chat_tools,
       * chain_group_chat_tools, internal_group_chat_board, normal, …
       */
      entry: string
      shareTicket?: string
    }
    interface GetCurCorpGroupContactSuccess extends GeneralCallbackResult {
      corpId: string
      userId: string
    }
    interface GetCurCorpGroupChatSuccess extends GeneralCallbackResult {
      chatId: string
    }
    interface LoginSuccess extends GeneralCallbackResult {
      code: string
    }
    interface GetSystemInfoSuccess extends GeneralCallbackResult {
      /** The WeCom client version, e.g. '4.1.22'. */
      version: string
      [key: string]: unknown
    }
    type SendChatMessageOptions = CallbackOptions<GeneralCallbackResult> & {
      msgtype: 'text' | 'image' | 'video' | 'file' | 'news' | 'miniprogram'
      enterChat?: boolean
      text?: { content: string }
      image?: { mediaid: string }
      video?: { mediaid: string }
      file?: { mediaid: string }
      news?: { link: string; title: string; desc: string; imgUrl: string }
      miniprogram?: { appid: string; title: string; imgUrl: string; page: string }
    }
    interface Qy {
      getContext(options: CallbackOptions<GetContextSuccess>): void
      /** WeCom ≥ 4.0.8, from chain_single_chat_tools. */
      getCurCorpGroupContact(options: CallbackOptions<GetCurCorpGroupContactSuccess>): void
      /** WeCom ≥ 4.0.12, from chain_group_chat_tools. */
      getCurCorpGroupChat(options: CallbackOptions<GetCurCorpGroupChatSuccess>): void
      sendChatMessage(options: SendChatMessageOptions): void
      login(options: CallbackOptions<LoginSuccess>): void
      checkSession(options: CallbackOptions<GeneralCallbackResult>): void
      getSystemInfo(options: CallbackOptions<GetSystemInfoSuccess>): void
      canIUse(name: string): boolean
    }
  }
  interface Wx {
    /** WeCom's own APIs: present only inside the WeCom client (undefined in WeChat and DevTools). */
    qy: Qy.Qy
  }
}
