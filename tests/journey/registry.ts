// A private npm registry for the journey: Verdaccio, started and stopped by the journey itself, on 127.0.0.1
// (a free port), with its own storage and config in a temporary folder. The kit is published to it from the
// packed tarball and is served only from there (no uplink for its name: never the public package); every
// other package goes through to the npm registry this machine uses.
// Verdaccio's defaults that the config changes: it listens on localhost:4873 (here: 127.0.0.1 and a free
// port), anyone may register (here: one user, the publisher), its web UI and its audit middleware are on
// (both off: npm's audit is off in the journey too), and it keeps every tarball it fetches (here: off, npm's
// own cache keeps them).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'

export interface LocalRegistry {
  url: string
  /** An npm user config with the publisher's token for this registry (npm_config_userconfig). */
  userconfig: string
  /** Verdaccio's output so far. */
  output(): string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => done())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>((done) => server.close(() => done()))
  return port
}

function config(dir: string, uplink: string): string {
  return [
    `storage: ${JSON.stringify(join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    '    max_users: 1',
    'uplinks:',
    '  npmjs:',
    `    url: ${JSON.stringify(uplink)}`,
    '    timeout: 60s',
    '    max_fails: 5',
    '    cache: false',
    'packages:',
    "  'uni-chain-toolbar':",
    '    access: $all',
    '    publish: $authenticated',
    "  '@*/*':",
    '    access: $all',
    '    proxy: npmjs',
    "  '**':",
    '    access: $all',
    '    proxy: npmjs',
    'web:',
    '  enable: false',
    'middlewares:',
    '  audit:',
    '    enabled: false',
    'server:',
    '  keepAliveTimeout: 60',
    'max_body_size: 50mb',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n')
}

async function until<T>(what: string, seconds: number, attempt: () => Promise<T | undefined>, output: () => string): Promise<T> {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const value = await attempt().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what} within ${seconds} s; Verdaccio said:\n${output()}`)
    await new Promise((done) => setTimeout(done, 200))
  }
}

/**
 * Starts Verdaccio in `dir` (its config, storage and users live there) with `uplink` as the registry for
 * every package but the kit, and registers a publisher. Stops by itself when this process exits.
 */
export async function startLocalRegistry(dir: string, uplink: string): Promise<LocalRegistry> {
  mkdirSync(join(dir, 'storage'), { recursive: true })
  writeFileSync(join(dir, 'config.yaml'), config(dir, uplink))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  const bin = createRequire(import.meta.url).resolve('verdaccio/bin/verdaccio')
  const child: ChildProcess = spawn(process.execPath, [bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const kill = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')
  process.once('exit', kill)
  const stop = async () => {
    process.off('exit', kill)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))])
    kill()
  }
  try {
    await until(
      'Verdaccio did not answer /-/ping',
      60,
      async () => {
        if (child.exitCode !== null) throw new Error(`Verdaccio exited (${child.exitCode}):\n${output}`)
        return (await fetch(`${url}-/ping`)).ok || undefined
      },
      () => output,
    )
    // The publisher: npm adduser's request, answered with a token.
    const user = { name: 'journey', password: `journey-${process.pid}-${Date.now()}` }
    const added = await fetch(`${url}-/user/org.couchdb.user:${user.name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ _id: `org.couchdb.user:${user.name}`, ...user, type: 'user', roles: [], date: new Date().toISOString() }),
    })
    const { token } = (await added.json()) as { token?: string }
    if (!added.ok || !token) throw new Error(`Verdaccio refused the publisher (HTTP ${added.status}):\n${output}`)
    const userconfig = join(dir, 'npmrc')
    writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`)
    return { url, userconfig, output: () => output, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
