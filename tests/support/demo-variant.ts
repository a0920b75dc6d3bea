// Builds the demo for H5 as an app with another manifest.json (e.g. one that has not opted in to dark
// mode): a copy of the app's own files in dist/variants/<name> is uni's input folder, node_modules linked.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(__dirname, '../..')
const APP_FILES = ['App.vue', 'main.ts', 'index.ts', 'index.html', 'pages.json', 'vite.config.ts', 'tsconfig.json', 'package.json']
const APP_DIRS = ['pages', 'components', 'composables', 'src', 'simulator', 'types', 'server']

/** Returns the folder of the variant's H5 build. */
export async function buildDemoVariant(name: string, editManifest: (manifest: any) => void): Promise<string> {
  const dir = join(root, 'dist/variants', name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const file of APP_FILES) cpSync(join(root, file), join(dir, file))
  for (const folder of APP_DIRS) cpSync(join(root, folder), join(dir, folder), { recursive: true })
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'))
  editManifest(manifest)
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'scripts/uni.cjs'), 'build'], {
      cwd: dir,
      env: { ...process.env, UNI_INPUT_DIR: dir, UNI_OUTPUT_DIR: join(dir, 'dist/build/h5'), NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`uni build of the ${name} variant failed (${code}): ${stderr}`))))
  })
  const out = join(dir, 'dist/build/h5')
  if (!existsSync(join(out, 'index.html'))) throw new Error(`no H5 build in ${out}`)
  return out
}
