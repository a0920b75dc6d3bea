// uni's CLI as a user runs it in a project folder: `npx uni build [-p mp-weixin]` and `npx uni` (the H5 dev
// server), in a user's environment, without blocking the test worker; and a plain static server for a build.
// The CLI is the project's own (found from the project folder up, as npx finds it).
import { spawn } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { listenOnLoopback, type StaticSite } from './browser'

/** `root`: the repository root or app folder is the input folder (UNI_INPUT_DIR); `src`: uni's default, <cwd>/src. */
export type Layout = 'root' | 'src' | 'js'

/** The `uni` CLI the project at `app` resolves (its own node_modules, or a parent's). */
export function uniCliOf(app: string): string {
  const pkg = createRequire(join(app, 'package.json')).resolve('@dcloudio/vite-plugin-uni/package.json')
  return join(dirname(pkg), 'bin/uni.js')
}

/** Runs node with `args` in `cwd` without blocking the test worker (a synchronous spawn starves vitest's RPC). */
export type Ran = { status: number | null; stdout: string; stderr: string }
export function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', fail)
    child.once('close', (status) => done({ status, stdout, stderr }))
  })
}

/**
 * The environment of a user's shell for the uni CLI: none of the test runner's variables (uni-h5-vite serves
 * Vue's CJS build when it sees VITEST, and NODE_ENV=test is vitest's), none of uni's own from an outer run.
 * The src/ layout relies on uni's default input folder (<cwd>/src); the root layout sets UNI_INPUT_DIR to the
 * app folder, as the README tells (uni reads it before vite.config.ts).
 */
export function userEnv(app: string, layout: Layout): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(env)) if (/^(UNI_|VITEST|VITE_)|^(NODE_ENV|TEST)$/.test(key)) delete env[key]
  if (layout === 'root') env.UNI_INPUT_DIR = app
  return env
}

/** `npx uni build [-p mp-weixin]` in the app folder, as a user runs it. */
export async function uniBuild(app: string, layout: Layout, platform: 'h5' | 'mp-weixin') {
  const args = [uniCliOf(app), 'build', ...(platform === 'mp-weixin' ? ['-p', 'mp-weixin'] : [])]
  const env = userEnv(app, layout)
  env.NODE_ENV = 'production'
  const res = await runNode(args, app, env)
  if (res.status !== 0) throw new Error(`uni build ${platform} failed in ${app}:\n${res.stdout}\n${res.stderr}`)
  return join(app, 'dist/build', platform)
}

type Handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void
/** express.static is serve-static: the static server most Node apps have, with its defaults (dotfiles: 'ignore' → 404). */
const serveStatic = createRequire(__filename)('serve-static') as (root: string) => Handler

export async function serveBuild(dir: string): Promise<StaticSite> {
  const handle = serveStatic(dir)
  return listenOnLoopback(
    createServer((req, res) =>
      handle(req, res, () => {
        res.statusCode = 404
        res.end('Not found')
      }),
    ),
  )
}

/**
 * `npx uni` (uni's dev server for H5: Vite, with its dependency pre-bundling) in the app folder, as a user
 * runs `npm run dev:h5`, on a free port of 127.0.0.1. Resolves with the URL it prints once it listens.
 */
export async function startUniDev(app: string, layout: Layout): Promise<{ url: string; output: () => string; stop(): Promise<void> }> {
  const free = await listenOnLoopback(createServer())
  const port = new URL(free.url).port
  await free.close()
  const env = { ...userEnv(app, layout), NO_COLOR: '1', FORCE_COLOR: '0' }
  const args = [uniCliOf(app), '--host', '127.0.0.1', '--port', port]
  const child = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  try {
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`uni's dev server did not start in 60 s:\n${output}`)), 60000)
      const read = (chunk: Buffer) => {
        output += chunk
        const local = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (local) {
          clearTimeout(timer)
          done(local[1])
        }
      }
      child.stdout.on('data', read)
      child.stderr.on('data', read)
      child.once('exit', (code) => {
        clearTimeout(timer)
        fail(new Error(`uni's dev server exited (${code}):\n${output}`))
      })
    })
    return { url, output: () => output, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
