import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { createClient } from 'redis'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { formatDoctorSummary } from './doctor.mjs'
import { createChainToolbarServer, formatDoctorCheck, runDoctor, type DoctorOptions, type DoctorReport } from './index.mjs'
import { createFakeWeComApi, FAKE_FAULTS } from './testing/fake-wecom.mjs'
import { startRedisServer } from './testing/redis-server.mjs'

// The setup doctor against the fake WeCom API, one injected fault at a time: what it says, in which
// order, the fix it names, and that no secret ever reaches its output.
const ORIGIN = 'https://app.example.com'
const BIN = resolve(__dirname, '../bin/uni-chain-toolbar.mjs')
const MP_SECRET = 'mini-program-secret-never-printed'
const REDIS_PASSWORD = 'redis-password-never-printed'

let fake: Awaited<ReturnType<typeof createFakeWeComApi>>
let redis: Awaited<ReturnType<typeof startRedisServer>>

beforeAll(async () => {
  fake = await createFakeWeComApi({ secret: 'app-secret-never-printed-0123456789' })
  redis = await startRedisServer()
})
afterAll(async () => {
  await fake.close()
  await redis.stop()
})
beforeEach(() => {
  fake.heal()
  fake.state.agent = { name: '上下游工具栏', redirectDomain: 'app.example.com', homeUrl: `${ORIGIN}/` }
  fake.calls.length = 0
})

/** The companion's environment variables, pointing at the fake. */
function envFor(extra: Record<string, string> = {}): Record<string, string> {
  return {
    WECOM_CORP_ID: fake.corpId,
    WECOM_AGENT_SECRET: fake.secret,
    WECOM_AGENT_ID: String(fake.agentId),
    CHAIN_TOOLBAR_ALLOWED_ORIGINS: ORIGIN,
    WECOM_API_BASE_URL: fake.url,
    ...extra,
  }
}

const doctor = (options: DoctorOptions = {}) => runDoctor({ env: envFor(), timeoutMs: 2000, ...options })
const statuses = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]))
const check = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id)!
/** Everything a user sees: the printed lines, the summary, and the --json output. */
const printed = (report: DoctorReport) =>
  [...report.checks.map(formatDoctorCheck), formatDoctorSummary(report), JSON.stringify(report)].join('\n')

/** Every credential the doctor could have seen: the configured secrets and what the fake handed out. */
function credentialsSeen() {
  const handedOut = fake.calls.flatMap((c) => [c.query.access_token, c.query.corpsecret]).filter(Boolean) as string[]
  return [fake.secret, MP_SECRET, REDIS_PASSWORD, String(fake.state.ticket), ...handedOut, ...tokensIssued()]
}
function tokensIssued() {
  return fake.calls.filter((c) => c.query.access_token).map((c) => c.query.access_token)
}

describe('runDoctor against a healthy fake WeCom API', () => {
  it('passes every check, in order, and says why each passed', async () => {
    const seen: string[] = []
    const report = await doctor({ env: envFor({ REDIS_URL: redis.url }), onCheck: (c) => seen.push(c.id) })
    expect(report.ok).toBe(true)
    expect(seen).toEqual(['credentials', 'trusted-ip', 'ticket', 'trusted-domain', 'mini-program-secret', 'chain-sharing', 'redis'])
    expect(statuses(report)).toEqual({
      credentials: 'pass',
      'trusted-ip': 'pass',
      ticket: 'pass',
      'trusted-domain': 'pass',
      'mini-program-secret': 'skip',
      'chain-sharing': 'pass',
      redis: 'pass',
    })
    expect(check(report, 'trusted-domain').detail).toContain(`app.example.com covers ${ORIGIN}`)
    expect(check(report, 'chain-sharing').detail).toContain('下游经销商')
    // It asked WeCom what the companion needs: the app ticket (not the corp ticket) and the app's settings.
    expect(fake.calls.find((c) => c.api === 'ticket/get')?.query.type).toBe('agent_config')
    expect(fake.calls.find((c) => c.api === 'agent/get')?.query.agentid).toBe(String(fake.agentId))
    for (const secret of credentialsSeen()) expect(printed(report)).not.toContain(secret)
  })

  it('reads the same options and environment as the server companion: what it passes, the companion serves', async () => {
    const env = envFor()
    expect((await runDoctor({ env })).ok).toBe(true)
    const server = createChainToolbarServer({ env })
    await expect(server.signAgentConfig(`${ORIGIN}/pages/index/index`)).resolves.toMatchObject({ signature: expect.any(String) })
    // Options win over the environment, as in the companion.
    const report = await runDoctor({ env: envFor({ WECOM_AGENT_SECRET: 'wrong' }), secret: fake.secret })
    expect(report.ok).toBe(true)
  })

  it('leaves loopback origins (development) out of the trusted-domain comparison', async () => {
    const report = await doctor({ allowedOrigins: [ORIGIN, 'http://localhost:5173', 'http://127.0.0.1:5173'] })
    expect(check(report, 'trusted-domain').status).toBe('pass')
  })
})

describe('runDoctor names the fix for each fault', () => {
  it('a wrong secret (40001): fails the first check, names WECOM_AGENT_SECRET, skips what needs the token', async () => {
    fake.inject('invalid-credential')
    const report = await doctor({ env: envFor({ REDIS_URL: redis.url }) })
    expect(report.ok).toBe(false)
    expect(check(report, 'credentials')).toMatchObject({ status: 'fail', errcode: 40001 })
    expect(check(report, 'credentials').fix).toMatch(/WECOM_AGENT_SECRET/)
    expect(statuses(report)).toMatchObject({ 'trusted-ip': 'skip', ticket: 'skip', 'chain-sharing': 'skip', redis: 'pass' })
  })

  it('a wrong corp id (40013): names WECOM_CORP_ID and where the 企业ID is', async () => {
    fake.inject('invalid-corpid')
    const report = await doctor()
    expect(check(report, 'credentials')).toMatchObject({ status: 'fail', errcode: 40013 })
    expect(check(report, 'credentials').fix).toMatch(/WECOM_CORP_ID.*企业ID/)
  })

  it("the server's IP outside the app's trusted IPs (60020): names the IP WeCom saw and where to add it", async () => {
    fake.inject('untrusted-ip')
    const report = await doctor()
    const ip = check(report, 'trusted-ip')
    expect(ip).toMatchObject({ status: 'fail', errcode: 60020 })
    expect(ip.detail).toContain('127.0.0.1')
    expect(ip.fix).toMatch(/Add 127\.0\.0\.1 to the app's trusted IPs .*企业可信IP/)
    expect(check(report, 'credentials').status).toBe('pass')
    expect(statuses(report)).toMatchObject({ ticket: 'skip', 'trusted-domain': 'skip', 'chain-sharing': 'skip' })
  })

  it('without an agent id: the IP is probed with ticket/get, and the checks that need the app name WECOM_AGENT_ID', async () => {
    const env = envFor()
    delete env.WECOM_AGENT_ID
    const healthy = await runDoctor({ env })
    expect(statuses(healthy)).toMatchObject({ 'trusted-ip': 'pass', ticket: 'pass', 'trusted-domain': 'fail', 'chain-sharing': 'fail' })
    expect(check(healthy, 'trusted-domain').fix).toMatch(/WECOM_AGENT_ID/)
    fake.inject('untrusted-ip')
    const refused = check(await runDoctor({ env }), 'trusted-ip')
    expect(refused.detail).toBe('WeCom refuses calls from 127.0.0.1 (ticket/get: errcode 60020)')
  })

  it('a 60020 on gettoken itself: the IP line fails, the credentials were not checked', async () => {
    fake.fail('gettoken', 60020)
    const report = await doctor()
    expect(statuses(report)).toMatchObject({ credentials: 'skip', 'trusted-ip': 'fail', ticket: 'skip' })
    expect(check(report, 'trusted-ip').fix).toMatch(/this server's public IP .*企业可信IP/)
  })

  it('an origin outside the trusted domain predicts 80001 before any page opens', async () => {
    fake.state.agent = { redirectDomain: 'other.example.com', homeUrl: 'https://other.example.com/' }
    const report = await doctor()
    const domain = check(report, 'trusted-domain')
    expect(domain.status).toBe('fail')
    expect(domain.detail).toBe(`${ORIGIN} is in allowedOrigins but the app's trusted domain is other.example.com: WeCom will refuse agentConfig there (80001)`)
    expect(domain.fix).toMatch(/可信域名/)
  })

  it('a wrong agent id (40056): names WECOM_AGENT_ID where the app is asked about', async () => {
    const report = await doctor({ agentId: fake.agentId + 1 })
    expect(check(report, 'trusted-domain')).toMatchObject({ status: 'fail', errcode: 40056 })
    expect(check(report, 'chain-sharing')).toMatchObject({ status: 'fail', errcode: 40056 })
    for (const id of ['trusted-domain', 'chain-sharing']) expect(check(report, id).fix).toMatch(/WECOM_AGENT_ID/)
  })

  it('an app with no trusted domain at all', async () => {
    fake.state.agent = { redirectDomain: '' }
    const domain = check(await doctor(), 'trusted-domain')
    expect(domain).toMatchObject({ status: 'fail' })
    expect(domain.fix).toContain('app.example.com')
  })

  it('no allowedOrigins: the companion would not start; the doctor names the variable', async () => {
    const env = envFor()
    delete env.CHAIN_TOOLBAR_ALLOWED_ORIGINS
    const domain = check(await runDoctor({ env }), 'trusted-domain')
    expect(domain.status).toBe('fail')
    expect(domain.fix).toMatch(/CHAIN_TOOLBAR_ALLOWED_ORIGINS/)
  })

  it('a wrong mini program secret (40001 on its own gettoken)', async () => {
    const report = await doctor({ env: envFor({ WECOM_MINIPROGRAM_SECRET: MP_SECRET }) })
    expect(check(report, 'mini-program-secret')).toMatchObject({ status: 'fail', errcode: 40001 })
    expect(check(report, 'mini-program-secret').fix).toMatch(/WECOM_MINIPROGRAM_SECRET/)
    expect(check(report, 'credentials').status).toBe('pass')
    expect(printed(report)).not.toContain(MP_SECRET)
  })

  it('an app shared with no downstream corp', async () => {
    fake.inject('not-shared')
    const report = await doctor()
    expect(check(report, 'chain-sharing').status).toBe('fail')
    expect(check(report, 'chain-sharing').detail).toMatch(/shared with no downstream corp/)
    expect(check(report, 'chain-sharing').fix).toMatch(/应用共享/)
  })

  it('an app WeCom forbids the chain APIs (48002)', async () => {
    fake.inject('api-forbidden')
    const report = await doctor()
    expect(check(report, 'chain-sharing')).toMatchObject({ status: 'fail', errcode: 48002 })
    expect(statuses(report)).toMatchObject({ credentials: 'pass', ticket: 'pass', 'trusted-domain': 'pass' })
  })

  it('Redis down, Redis refusing the password, Redis with the right password: the password is never shown', async () => {
    const dead = await startRedisServer()
    await dead.stop()
    const down = await doctor({ redisUrl: `redis://:${REDIS_PASSWORD}@127.0.0.1:${dead.port}` })
    expect(check(down, 'redis').status).toBe('fail')
    expect(check(down, 'redis').detail).toContain(`redis://127.0.0.1:${dead.port}`)

    const admin = createClient({ url: redis.url })
    await admin.connect()
    await admin.configSet('requirepass', REDIS_PASSWORD)
    try {
      const refused = await doctor({ redisUrl: `redis://:wrong-${REDIS_PASSWORD}@127.0.0.1:${redis.port}` })
      expect(check(refused, 'redis').status).toBe('fail')
      const right = await doctor({ redisUrl: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}` })
      expect(check(right, 'redis').status).toBe('pass')
      for (const report of [down, refused, right]) expect(printed(report)).not.toContain(REDIS_PASSWORD)
    } finally {
      await admin.configSet('requirepass', '')
      await admin.quit()
    }
  })

  it('WeCom unreachable: fails the first check with the network fix, within the deadline', async () => {
    const closed = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port
        s.close(() => done(port))
      })
    })
    const report = await doctor({ apiBaseUrl: `http://127.0.0.1:${closed}` })
    expect(check(report, 'credentials').status).toBe('fail')
    expect(check(report, 'credentials').fix).toMatch(/reach the WeCom API/)
  })

  it('missing corp id and secret: names both variables, asks WeCom nothing', async () => {
    const report = await runDoctor({ env: { WECOM_API_BASE_URL: fake.url, CHAIN_TOOLBAR_ALLOWED_ORIGINS: ORIGIN } })
    expect(check(report, 'credentials').detail).toBe('WECOM_CORP_ID (corpId) and WECOM_AGENT_SECRET (secret) not set')
    expect(fake.calls).toEqual([])
  })

  it('no fault lets a secret, a token or the ticket through', async () => {
    for (const fault of FAKE_FAULTS) {
      fake.heal()
      fake.inject(fault)
      const report = await doctor({ env: envFor({ WECOM_MINIPROGRAM_SECRET: MP_SECRET, REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:1` }) })
      expect(report.ok, fault).toBe(false)
      for (const secret of credentialsSeen()) expect(printed(report), fault).not.toContain(secret)
    }
  })
})

/** Runs the CLI as a user would, in its own process, with only the given environment. */
function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(new Error(`the doctor did not exit within 15 s:\n${stdout}\n${stderr}`))
    }, 15_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

describe('npx uni-chain-toolbar doctor (the bin, as a child process)', () => {
  it('healthy: one line per check, exit status 0', async () => {
    const { code, stdout, stderr } = await cli(['doctor'], envFor({ REDIS_URL: redis.url }))
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'SKIP', 'PASS', 'PASS', '0 fa'])
    expect(lines.at(-1)).toBe('0 failed, 6 passed, 1 skipped')
  })

  it('each fault: exit status 1, the fix on the failing line, --json for CI, no secret on stdout or stderr', async () => {
    for (const fault of FAKE_FAULTS) {
      fake.heal()
      fake.inject(fault)
      fake.calls.length = 0
      const env = envFor({ WECOM_MINIPROGRAM_SECRET: MP_SECRET })
      const text = await cli(['doctor'], env)
      expect(text.code, fault).toBe(1)
      const failing = text.stdout.split('\n').filter((l) => l.startsWith('FAIL'))
      expect(failing.length, fault).toBeGreaterThan(0)
      for (const line of failing) expect(line, fault).toMatch(/\. Fix: /)
      const json = await cli(['doctor', '--json'], env)
      expect(json.code, fault).toBe(1)
      const report = JSON.parse(json.stdout) as DoctorReport
      expect(report.ok).toBe(false)
      expect(report.checks.map((c) => c.status === 'fail' && c.id).filter(Boolean).length).toBe(failing.length)
      for (const secret of credentialsSeen()) {
        for (const out of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(out, fault).not.toContain(secret)
      }
    }
    fake.heal()
  }, 120_000) // ten runs of the CLI, each a Node start: on a loaded 2-core machine that is well over 20 s

  it('npx uni-chain-toolbar doctor, in an app that installed the package with npm (the bin field)', async () => {
    const { execFile } = await import('node:child_process')
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const app = await mkdtemp(resolve(tmpdir(), 'doctor-app-'))
    // Asynchronous: the fake WeCom API answers from this process.
    const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv, timeout: number) =>
      new Promise<string>((done, fail) =>
        execFile(cmd, args, { cwd: app, env, timeout }, (error, stdout, stderr) =>
          error ? fail(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stdout}\n${stderr}`)) : done(stdout),
        ),
      )
    try {
      await writeFile(resolve(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }))
      const quiet = { npm_config_audit: 'false', npm_config_fund: 'false' }
      await run('npm', ['install', '--no-save', '--offline', '--ignore-scripts', resolve(__dirname, '..')], { ...process.env, ...quiet }, 60_000)
      const home = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? app, ...quiet }
      const out = await run('npx', ['--no-install', 'uni-chain-toolbar', 'doctor', '--json'], { ...home, ...envFor() }, 30_000)
      expect((JSON.parse(out) as DoctorReport).ok).toBe(true)
    } finally {
      await rm(app, { recursive: true, force: true })
    }
  }, 90_000)

  it('--env-file reads the variables from a .env file; an unknown command or option exits 2 with the usage', async () => {
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const dir = await mkdtemp(resolve(tmpdir(), 'doctor-'))
    try {
      const file = resolve(dir, '.env')
      await writeFile(file, Object.entries(envFor()).map(([k, v]) => `${k}=${v}`).join('\n'))
      const fromFile = await cli(['doctor', '--env-file', file], {})
      expect(fromFile.code).toBe(0)
    } finally {
      await rm(dir, { recursive: true })
    }
    const unknown = await cli(['docter'], {})
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('Usage: uni-chain-toolbar doctor')])
    const option = await cli(['doctor', '--jsn'], {})
    expect(option.code).toBe(2)
  })
})
