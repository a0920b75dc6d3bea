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
 * @returns {Promise<{ url: string, port: number, stop(): Promise<void> }>}
 */
export async function startRedisServer({ timeoutMs = 10000 } = {}) {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (probe.error) {
    throw new Error('redis-server is not installed: the Redis tests need it. Install it with `apt-get install redis-server` (.ci/run does this).')
  }
  for (let attempt = 0; ; attempt++) {
    const port = await freePort()
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const ready = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      const onData = (chunk) => {
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
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve()
            child.once('exit', () => resolve())
            child.kill('SIGTERM')
          }),
      }
    }
    child.kill('SIGKILL')
    // The port may have been taken between the probe and the start: try another one, twice.
    if (attempt >= 2) throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${output.slice(-2000)}`)
  }
}
