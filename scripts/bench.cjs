#!/usr/bin/env node
// `npm run bench`: host calls, time to contact, bytes, render and endurance, measured in one run
// (bench/run.mjs). Prints the table and writes bench/results.json. See docs/performance.md.
const { spawnSync } = require('node:child_process')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const res = spawnSync(process.execPath, [path.join(root, 'bench/run.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
process.exit(res.status ?? 1)
