import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'

// A throwaway redis-server on 127.0.0.1 (free port, no persistence) for tests and local runs.

async function freePort() {
  const probe = createServer()
  await new Promise((resolve, reject) => {
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const port = /** @type {import('node:net').AddressInfo} */ (probe.address()).port
  await new Promise((resolve) => probe.close(() => resolve(undefined)))
  return port
}

/**
 * Starts redis-server; fails with the install command when it is missing (never skips silently).
 * `pause()` / `resume()` stop and continue the process (SIGSTOP / SIGCONT: a stall, as in a failover),
 * `kill()` ends it at once (SIGKILL), `restart()` starts a fresh one on the same port.
 * @param {{ timeoutMs?: number, port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, pid: number | undefined, stop(): Promise<void>, pause(): void, resume(): void,
 *   kill(): Promise<void>, restart(): Promise<void>, __child: import('node:child_process').ChildProcess }>}
 */
export async function startRedisServer({ timeoutMs = 10000, port: fixedPort } = {}) {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (probe.error) {
    const how = 'Install it with `apt-get install redis-server` (.ci/run does this).'
    throw new Error(`redis-server is not installed: the Redis tests need it. ${how}`)
  }
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort())
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes']
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const ready = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      const onData = (/** @type {Buffer} */ chunk) => {
        output += chunk
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer)
          resolve(true)
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve(false)
      })
    })
    if (ready) {
      child.stdout.removeAllListeners('data')
      child.stdout.resume()
      child.stderr.resume()
      /** @type {import('node:child_process').ChildProcess} */
      let current = child
      const end = (/** @type {NodeJS.Signals} */ signal) =>
        /** @type {Promise<void>} */ (new Promise((resolve) => {
          const proc = current
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
          proc.once('exit', () => resolve())
          if (signal === 'SIGTERM') proc.kill('SIGCONT') // a paused server cannot act on SIGTERM
          proc.kill(signal)
        }))
      const handle = {
        url: `redis://127.0.0.1:${port}`,
        port,
        get pid() {
          return current.pid
        },
        stop: () => end('SIGTERM'),
        pause: () => void current.kill('SIGSTOP'),
        resume: () => void current.kill('SIGCONT'),
        kill: () => end('SIGKILL'),
        async restart() {
          await end('SIGKILL')
          const next = await startRedisServer({ timeoutMs, port })
          current = next.__child
        },
        __child: child,
      }
      return handle
    }
    child.kill('SIGKILL')
    // The port may have been taken between the probe and the start: try another one, twice.
    if (attempt >= 2 || fixedPort) throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${output.slice(-2000)}`)
  }
}
