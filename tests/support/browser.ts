// Real Chromium for the end-to-end suites: Debian's /usr/bin/chromium driven by playwright-core (never a
// browser download), and a tiny static server for a built app on 127.0.0.1.
import { execFileSync } from 'node:child_process'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = process.env.UCT_CHROMIUM || '/usr/bin/chromium'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export interface StaticSite {
  url: string
  close(): Promise<void>
}

/** Serves `dir` on 127.0.0.1 (a random port); unknown paths get index.html, like a single-page app host. */
export async function serveStatic(dir: string): Promise<StaticSite> {
  const root = resolve(dir)
  if (!existsSync(join(root, 'index.html'))) throw new Error(`${root}/index.html is missing: build the H5 app first (npm run build:h5)`)
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    let file = normalize(join(root, pathname))
    if (!file.startsWith(root + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html')
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
    createReadStream(file).pipe(res)
  })
  return listenOnLoopback(server)
}

/** Starts `server` on 127.0.0.1 (a random port); `close()` also ends kept-alive connections. */
export async function listenOnLoopback(server: Server): Promise<StaticSite> {
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => done())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections?.()
        server.close(() => done())
      }),
  }
}

/**
 * Makes sure Debian's Chromium is there: installs the `chromium` package with apt when it is missing and
 * this runs as root, otherwise fails with a clear message. Never downloads a browser.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (isRoot && !process.env.UCT_CHROMIUM) {
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-wqy-microhei'], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      })
    } catch (error) {
      throw new Error(`Chromium is missing at ${CHROMIUM} and "apt-get install chromium" failed: ${(error as Error).message}`)
    }
    if (existsSync(CHROMIUM)) return CHROMIUM
  }
  throw new Error(
    `Chromium is missing at ${CHROMIUM}. The browser tests drive Debian's chromium package: run "sudo apt-get install chromium fonts-wqy-microhei" ` +
      '(or set UCT_CHROMIUM to a Chromium binary). They never download a browser.',
  )
}

export interface LaunchedChromium {
  browser: Browser
  close(): Promise<void>
}

/**
 * One headless Chromium per test file. playwright-core gives every launch a fresh temporary
 * --user-data-dir itself (it refuses one in `args`), removed again on close.
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  const executablePath = ensureChromium()
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  return {
    browser,
    async close() {
      await browser.close().catch(() => {})
    },
  }
}
