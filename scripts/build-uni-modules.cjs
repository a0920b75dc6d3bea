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
// `import { useChainContact } from '@/uni_modules/uni-chain-toolbar'`
fs.writeFileSync(path.join(out, 'index.ts'), "export * from './src/index'\n")

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

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
fs.writeFileSync(
  path.join(out, 'readme.md'),
  `# ${pkg.name}\n\n${pkg.description}\n\n` +
    '## 安装 / Install\n\n' +
    '1. 将本插件放入项目的 `uni_modules/` 目录（HBuilderX：插件市场导入）。Drop this folder into your project\'s `uni_modules/`.\n' +
    '2. H5 需要官方 SDK：`npm i @wecom/jssdk@' + pkg.dependencies['@wecom/jssdk'] + '`。The H5 build needs the official SDK.\n' +
    "3. `main.ts`：`import { createChainToolbar } from '@/uni_modules/uni-chain-toolbar'`，在 Pinia 之后 `app.use(createChainToolbar({ … }))`。\n" +
    '4. 组件由 easycom 自动注册，无需配置：`<chain-contact-card />`、`<chain-group-card />`、`<share-to-chat-button />`、`<chain-entry-gate />`。\n\n' +
    readme.replace(/^# .*\n/, ''),
)
fs.copyFileSync(path.join(root, 'CHANGELOG.md'), path.join(out, 'changelog.md'))
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(out, 'LICENSE'))
process.stdout.write(`${path.relative(root, out)}\n`)
