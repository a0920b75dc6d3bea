// The demo app with the components' test page (tests/fixture/fixture.vue, every component with props and
// slots from a uni-compiled parent), built for the mini program. The demo's own pages.json lists no test
// page: a copy of the app's files gets the page, its pages.json only that page (a smaller build).
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(__dirname, '../..')
export const FIXTURE_PAGE = 'pages/fixture/fixture'

/**
 * Builds the fixture app in dist/<name>, the manifest edited by `editManifest`, with `env` (the demo's VITE_UCT_*
 * settings, e.g. its media endpoint) in the build's environment; returns the build's folder.
 */
export async function buildMpFixture(
  name: string,
  editManifest: (manifest: any) => void = () => {},
  env: Record<string, string> = {},
): Promise<string> {
  const dir = join(root, 'dist', name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const copied = ['App.vue', 'main.ts', 'index.ts', 'index.html', 'theme.json', 'tsconfig.json']
  copied.push('pages', 'components', 'composables', 'src', 'simulator', 'types')
  for (const file of copied) if (existsSync(join(root, file))) cpSync(join(root, file), join(dir, file), { recursive: true })
  mkdirSync(join(dir, 'pages/fixture'), { recursive: true })
  cpSync(join(root, 'tests/fixture/fixture.vue'), join(dir, `${FIXTURE_PAGE}.vue`))
  // The demo's vite.config.ts adds only dev-server and H5 plugins to uni's.
  const viteConfig = ["import { defineConfig } from 'vite'", "import uni from '@dcloudio/vite-plugin-uni'", '']
  viteConfig.push('export default defineConfig({ plugins: [uni()] })', '')
  writeFileSync(join(dir, 'vite.config.ts'), viteConfig.join('\n'))
  // uni reads the project's dependencies (which uni packages, which Vue).
  const { devDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, devDependencies }))
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'))
  editManifest(manifest)
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  const pages = JSON.parse(readFileSync(join(root, 'pages.json'), 'utf8'))
  pages.pages = [{ path: FIXTURE_PAGE, style: { navigationBarTitleText: 'Components' } }]
  writeFileSync(join(dir, 'pages.json'), JSON.stringify(pages, null, 2))
  const cli = join(root, 'node_modules/@dcloudio/vite-plugin-uni/bin/uni.js')
  const buildEnv = { ...process.env, ...env, UNI_INPUT_DIR: dir, NODE_ENV: 'production' }
  // Asynchronously: a build that blocked the test worker for long would time out vitest's own messages.
  const { status, output } = await new Promise<{ status: number | null; output: string }>((done) => {
    const child = spawn(process.execPath, [cli, 'build', '-p', 'mp-weixin'], { cwd: dir, env: buildEnv })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (code) => done({ status: code, output }))
  })
  if (status !== 0) throw new Error(`uni build -p mp-weixin failed in ${dir}:\n${output}`)
  return join(dir, 'dist/build/mp-weixin')
}
