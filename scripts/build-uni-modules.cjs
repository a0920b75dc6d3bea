#!/usr/bin/env node
// Writes dist/uni_modules/uni-chain-toolbar/ in the DCloud plugin-market layout: HBuilderX users drop the
// folder into their project's uni_modules/, and easycom finds components/<name>/<name>.vue by itself.
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const pkg = require(path.join(root, 'package.json'))
const out = path.join(root, 'dist/uni_modules', pkg.name)

const skip = (file) => /\.test\.ts$/.test(file) || file.includes(`${path.sep}__tests__`)
function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true })
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name)
    const dest = path.join(to, entry.name)
    if (skip(src)) continue
    if (entry.isDirectory()) copyDir(src, dest)
    else fs.copyFileSync(src, dest)
  }
}

fs.rmSync(out, { recursive: true, force: true })
for (const dir of ['src', 'components', 'composables', 'types', 'simulator', 'testing']) copyDir(path.join(root, dir), path.join(out, dir))
// `import { useChainContact } from '@/uni_modules/uni-chain-toolbar'`: the package entry, as it is.
fs.copyFileSync(path.join(root, 'index.ts'), path.join(out, 'index.ts'))

const yes = 'y'
const no = 'n'
const modulePkg = {
  id: pkg.name,
  displayName: 'uni-chain-toolbar 企业微信上下游聊天工具栏',
  version: pkg.version,
  description: pkg.description,
  keywords: pkg.keywords,
  license: pkg.license,
  engines: { HBuilderX: '^3.8.0' },
  dcloudext: {
    type: 'component-vue',
    sale: { regular: { price: '0.00' }, sourcecode: { price: '0.00' } },
    contact: { qq: '' },
    declaration: { ads: '无', data: '无', permissions: '无' },
    npmurl: `https://www.npmjs.com/package/${pkg.name}`,
  },
  uni_modules: {
    dependencies: [],
    encrypt: [],
    platforms: {
      cloud: { tcb: yes, aliyun: yes, alipay: no },
      client: {
        Vue: { vue2: no, vue3: yes },
        App: { 'app-vue': no, 'app-nvue': no, 'app-uvue': no },
        'H5-mobile': { Safari: yes, 'Android Browser': yes, '微信浏览器(Android)': yes, 'QQ浏览器(Android)': no },
        'H5-pc': { Chrome: yes, IE: no, Edge: yes, Firefox: yes, Safari: yes },
        小程序: { 微信: yes, 阿里: no, 百度: no, 字节跳动: no, QQ: no, 钉钉: no, 快手: no, 飞书: no, 京东: no },
        快应用: { 华为: no, 联盟: no },
      },
    },
  },
  // H5 only, imported lazily inside the WeCom browser; install it in the project: npm i @wecom/jssdk
  dependencies: { '@wecom/jssdk': pkg.dependencies['@wecom/jssdk'] },
}
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(modulePkg, null, 2) + '\n')

// The plugin market's readme: for the users of this folder (no repository scripts, no images that are not in it).
// Its main.ts is the one the consumer apps run (tests/consumer/app/main.ts), with the uni_modules import.
const mainTs = fs
  .readFileSync(path.join(root, 'tests/consumer/app/main.ts'), 'utf8')
  .replace("from 'uni-chain-toolbar'", "from '@/uni_modules/uni-chain-toolbar'")
const backticks = '```'
fs.writeFileSync(
  path.join(out, 'readme.md'),
  `# ${pkg.name}

${pkg.description}

企业微信「上下游」聊天工具栏页面的 uni-app (Vue 3 + TypeScript + Pinia) 组件与组合式 API：入口 (getContext)、
上下游联系人 (getCurCorpGroupContact)、互联群 (getCurCorpGroupChat)、发送到当前会话 (sendChatMessage)。
小程序走 \`wx.qy\`，H5 走官方 \`@wecom/jssdk\`（仅在企业微信内按需加载）。

## 安装 / Install

1. 从插件市场导入，或把本目录复制到项目的 \`uni_modules/\`
   （与 \`pages.json\` 同级；CLI 的 \`src/\` 目录结构下即 \`src/uni_modules/\`）。
   Put this folder into the \`uni_modules/\` folder beside your \`pages.json\`.
2. 项目需要 Pinia（uni-app Vue 3 自带 \`pinia\` 依赖时无需安装）；H5 需要官方 SDK：
   \`npm i @wecom/jssdk@${pkg.dependencies['@wecom/jssdk']}\`。The H5 build needs the official SDK; the mini program does not.
3. 组件由 easycom 自动注册，无需配置 / components register themselves (easycom):
   \`<chain-contact-card />\`、\`<chain-group-card />\`、\`<share-to-chat-button />\`、\`<chain-entry-gate />\`。

## main.ts

在 Pinia 之后安装 / install after Pinia. \`request\` 在 HTTP 非 2xx 时失败，并保存服务端返回的会话 token，
\`resolveContact\` 才能通过鉴权 / the helper fails on HTTP errors and keeps the session token.

${backticks}ts
${mainTs}${backticks}

服务端需要提供 / your server answers: \`GET /api/wecom/agent-signature?url=…\` → \`{ timestamp, nonceStr, signature }\`
（应用的 jsapi_ticket，\`ticket/get?type=agent_config\`）；\`POST /api/wecom/session { code }\` → \`{ token, … }\`
（\`miniprogram/jscode2session\`）；可选 \`GET /api/chain/:corpId/:userId\` → \`{ name, corpName, avatar? }\`。
Node 服务端实现见 npm 包 \`${pkg.name}/server\` / a Node implementation ships in the npm package.

## 组合式 API / composables

${backticks}ts
import { useEntry, useChainContact, useChainChat, useShareToChat } from '@/uni_modules/${pkg.name}'

const { entry, isWeCom } = useEntry()            // getContext：每次激活一次
const { contact, profile } = useChainContact()    // chain_single_chat_tools，客户端 ≥ 4.0.8
const { chatId } = useChainChat()                 // chain_group_chat_tools，客户端 ≥ 4.0.12
const { share, isSending } = useShareToChat()     // sendChatMessage，发送前校验
${backticks}

错误均为 \`ChainToolbarError\`（\`code\`：NOT_IN_WECOM、UNSUPPORTED_ENTRY、CLIENT_TOO_OLD、NO_PERMISSION、LOGIN_FAILED、
TIMEOUT、CANCELLED、INVALID_MESSAGE、BUSY、HOST_ERROR）。Pinia store 的 id 为 \`chain-toolbar\`。
\`validateChatMessage(message)\` 单独校验消息；\`createChainToolbar({ host })\` 可替换宿主
（\`createMiniProgramHost\` / \`createWebHost\`）。

## 模拟器 / simulator (开发时)

在浏览器或微信开发者工具里模拟企业微信客户端 / simulates the WeCom client during development:

${backticks}ts
import { installWeComSimulator, getWeComSimulator } from '@/uni_modules/${pkg.name}/simulator'

// 在 createChainToolbar 之前调用；企业微信内返回 null、不做任何事。Call it before createChainToolbar.
const simulator = import.meta.env.DEV ? installWeComSimulator({ entry: 'chain_single_chat_tools' }) : null
// H5：web.getSignature 用 simulator.getSignature；之后任何地方 getWeComSimulator()?.set({ entry: 'normal' })
${backticks}

完整文档 / full documentation: ${pkg.homepage}
`,
)
fs.copyFileSync(path.join(root, 'CHANGELOG.md'), path.join(out, 'changelog.md'))
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(out, 'LICENSE'))
process.stdout.write(`${path.relative(root, out)}\n`)
