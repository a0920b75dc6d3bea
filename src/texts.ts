// The built-in (zh-CN) texts of each component besides the error texts (src/i18n.ts), apart so that a
// page carries only the texts of the components it shows. `chainToolbarZhCN` (src/i18n.ts) is all of them.

export const cardTexts = {
  'card.loading': '正在加载…',
  'card.retry': '重试',
} as const
export const contactTexts = {
  'contact.label': '上下游联系人',
  'contact.avatar': '{name}的头像',
  'contact.error': '无法读取联系人',
  'contact.retry': '重试读取联系人',
} as const
export const chatTexts = {
  'chat.label': '互联群',
  'chat.avatar': '{name}的群头像',
  'chat.initial': '群',
  'chat.error': '无法读取群聊',
  'chat.retry': '重试读取群聊',
} as const
export const shareTexts = {
  'share.button': '发送到当前聊天',
  'share.sending': '正在发送…',
  'share.sent': '已发送',
  'share.failed': '发送失败：{reason}',
} as const
