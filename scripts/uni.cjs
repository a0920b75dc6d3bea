#!/usr/bin/env node
// Runs the uni CLI with the repository root as uni's input folder.
// uni reads UNI_INPUT_DIR before it loads vite.config.ts, and it must be absolute
// (a relative "." silently skips static/ and flattens mp-weixin output) — see docs/development.md.
const path = require('node:path')
const { spawn } = require('node:child_process')

const root = path.resolve(__dirname, '..')
const env = { ...process.env, UNI_INPUT_DIR: process.env.UNI_INPUT_DIR ? path.resolve(process.env.UNI_INPUT_DIR) : root }
const cli = require.resolve('@dcloudio/vite-plugin-uni/bin/uni.js')

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { cwd: env.UNI_INPUT_DIR, env, stdio: 'inherit' })
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 1))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
