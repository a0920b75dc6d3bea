// The journey's global setup: pack the kit, start a private registry (Verdaccio) and publish the tarball to
// it, start the app's avatar server, make one app per template and install it as a user does — the template's
// own `npm install`, then the README's install command as typed, then the test tools "Testing your page" names —
// both templates at once, with one npm cache. Each step's outcome is recorded, not thrown: the tests report a
// failed install as their own failure, with npm's output. Everything it starts stops at teardown.
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import type { TestProject } from 'vitest/node'
import { listenOnLoopback } from '../support/browser'
import { TEMPLATES, makeApp, runShell, userShellEnv, writePageTest, type JourneyApp, type JourneyState, type Template } from './apps'
import { impliedTestTools, installCommand, readmeBlocks, testToolsCommand } from './readme'
import { startLocalRegistry } from './registry'

declare module 'vitest' {
  export interface ProvidedContext {
    journey: string
  }
}

const root = resolve(__dirname, '../..')

/** A small PNG (solid colour), the contact's avatar on the app's file server. */
function png(size: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), body.length + 4)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([r, g, b]))])
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))])
}

async function timed<T>(seconds: Record<string, number>, name: string, run: () => Promise<T> | T): Promise<T> {
  const started = Date.now()
  try {
    return await run()
  } finally {
    seconds[name] = Math.round((Date.now() - started) / 100) / 10
  }
}

export default async function setup(project: TestProject) {
  const work = mkdtempSync(join(tmpdir(), 'uct-journey-'))
  // One npm cache for both apps, kept between runs on this machine (tarballs are found again by their hash).
  const cache = process.env.UCT_JOURNEY_NPM_CACHE || join(tmpdir(), 'uct-journey-npm-cache')
  mkdirSync(cache, { recursive: true })
  const seconds: Record<string, number> = {}
  const stops: Array<() => Promise<void>> = []
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {})
    if (process.env.UCT_JOURNEY_KEEP) return
    // The apps hold about 1 GB of node_modules: the system's rm removes them several times faster than Node's rmSync.
    if (process.platform === 'win32') rmSync(work, { recursive: true, force: true })
    else await new Promise((done) => execFile('rm', ['-rf', work], () => done(undefined)))
  }
  try {
    const blocks = readmeBlocks()
    const tarball = await timed(seconds, 'pack', () => {
      const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: root, encoding: 'utf8', env: userShellEnv() })
      return join(work, JSON.parse(packed)[0].filename as string)
    })
    // The registry this machine's npm uses, for every package but the kit.
    const uplink = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: userShellEnv() }).trim()
    const registry = await timed(seconds, 'registry', () => startLocalRegistry(join(work, 'registry'), uplink))
    stops.push(registry.stop)
    const published = await timed(seconds, 'publish', () =>
      runShell('publish', `npm publish ${JSON.stringify(tarball)} --registry ${registry.url}`, work, userShellEnv({ npm_config_userconfig: registry.userconfig })),
    )
    if (published.status !== 0) throw new Error(`npm publish to the journey's registry failed:\n${published.output}\n${registry.output()}`)

    const avatar = png(96, [46, 125, 50])
    const avatars = await listenOnLoopback(
      createServer((req, res) => {
        if (req.url === '/avatars/lisi.png') res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(avatar)
        else res.writeHead(404).end()
      }),
    )
    stops.push(avatars.close)
    // The avatar WeCom's API gives is on WeCom's picture CDN; the browser is sent to this server for it.
    const avatarUrl = 'https://wework.qpic.cn/wwpic/journey/lisi.png'
    const avatarSource = `${avatars.url}/avatars/lisi.png`

    // What a user's shell has, with the registry swapped for the journey's (the one thing not typed as the README says).
    const env = userShellEnv({ npm_config_registry: registry.url, npm_config_cache: cache, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' })
    const kit = installCommand(blocks)
    const tools = testToolsCommand(blocks) ?? `npm i -D ${impliedTestTools(blocks).join(' ')}`
    const apps = {} as Record<Template, JourneyApp>
    await timed(seconds, 'install (both apps at once)', () =>
      Promise.all(
        (Object.keys(TEMPLATES) as Template[]).map(async (template) => {
          // A folder named like a user's app: uni's H5 build leaves every module whose path has a `/vite/`
          // segment untransformed, so an app in a folder named `vite` fails (docs/troubleshooting.md).
          const app: JourneyApp = { template, dir: join(work, `my-${template}-app`), steps: [] }
          apps[template] = app
          try {
            makeApp(template, app.dir, blocks)
          } catch (error) {
            app.steps.push({ name: 'app', command: 'write what the README says', status: 1, seconds: 0, output: (error as Error).message })
            return
          }
          for (const [name, command] of [
            ['template', 'npm install'],
            ['kit', kit],
            ['test tools', tools],
          ]) {
            const step = await runShell(name, command, app.dir, env)
            app.steps.push(step)
            if (step.status !== 0) break
          }
          try {
            app.pageTest = writePageTest(app, blocks)
          } catch (error) {
            app.steps.push({ name: 'page test files', command: 'write the README blocks', status: 1, seconds: 0, output: (error as Error).message })
          }
        }),
      ),
    )
    const state: JourneyState = { registry: registry.url, avatarUrl, avatarSource, tarball, apps, seconds }
    const file = join(work, 'journey.json')
    writeFileSync(file, JSON.stringify(state, null, 2))
    project.provide('journey', file)
    console.log(
      `[journey] ${Object.entries(seconds).map(([k, v]) => `${k} ${v} s`).join(', ')}; ` +
        Object.values(apps)
          .map((a) => `${a.template}: ${a.steps.map((s) => `${s.name} ${s.seconds} s${s.status === 0 ? '' : ' FAILED'}`).join(', ')}`)
          .join('; '),
    )
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
