#!/usr/bin/env node
// npx uni-chain-toolbar doctor [--json] [--env-file <path>]: checks the server companion's setup against the
// WeCom server API (docs/doctor.md). Reads the companion's environment variables; prints no secret.
import { formatDoctorCheck, formatDoctorSummary, runDoctor } from '../server/doctor.mjs'

const USAGE = `Usage: uni-chain-toolbar doctor [--json] [--env-file <path>]

Checks the server companion's setup against the WeCom server API, one line per check:
corp id and secret, the server's IP, the app ticket, the trusted domain against allowedOrigins,
the mini program secret, chain sharing, Redis. Exit status 1 when a check fails.

Reads WECOM_CORP_ID, WECOM_AGENT_SECRET, WECOM_AGENT_ID, WECOM_MINIPROGRAM_SECRET,
CHAIN_TOOLBAR_ALLOWED_ORIGINS, CHAIN_TOOLBAR_REDIS_URL (or REDIS_URL) and WECOM_API_BASE_URL.

  --json             print one JSON object { ok, checks } instead of lines (for CI)
  --env-file <path>  read these variables from a .env file first (variables already set win)

Details: node_modules/uni-chain-toolbar/docs/doctor.md
`

/** @param {string[]} argv @returns {Promise<number>} */
async function main(argv) {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE)
    return command === undefined ? 2 : 0
  }
  if (command !== 'doctor') {
    process.stderr.write(`uni-chain-toolbar: unknown command "${command}"\n\n${USAGE}`)
    return 2
  }
  let json = false
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if (arg === '--json') json = true
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE)
      return 0
    } else if (arg === '--env-file' || arg.startsWith('--env-file=')) {
      const path = arg.includes('=') ? arg.slice('--env-file='.length) : rest[++i]
      if (!path) {
        process.stderr.write('uni-chain-toolbar doctor: --env-file needs a path\n')
        return 2
      }
      if (typeof process.loadEnvFile !== 'function') {
        process.stderr.write('uni-chain-toolbar doctor: --env-file needs Node 20.12 or later; set the variables in the environment instead\n')
        return 2
      }
      try {
        process.loadEnvFile(path)
      } catch (error) {
        process.stderr.write(`uni-chain-toolbar doctor: cannot read ${path} (${/** @type {NodeJS.ErrnoException} */ (error)?.code ?? 'error'})\n`)
        return 2
      }
    } else {
      process.stderr.write(`uni-chain-toolbar doctor: unknown option "${arg}"\n\n${USAGE}`)
      return 2
    }
  }
  const report = await runDoctor({ onCheck: json ? undefined : (check) => process.stdout.write(formatDoctorCheck(check) + '\n') })
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  else process.stdout.write(formatDoctorSummary(report) + '\n')
  return report.ok ? 0 : 1
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    // Never the error object itself: its properties could hold configuration.
    process.stderr.write(`uni-chain-toolbar doctor: failed unexpectedly (${error?.name ?? 'Error'})\n`)
    process.exitCode = 1
  },
)
