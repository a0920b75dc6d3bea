// The npm package's Markdown (its README, CHANGELOG, the user pages of docs/ and each piece's own page) is
// read where it is installed or on the registry's page, without the repository beside it: every relative
// link and image must name a file the package carries, a link into the repository must name a file the
// repository has, and no page may tell its reader to run one of the repository's scripts or look in one of
// its folders, except in a block that starts by cloning the repository.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { posix, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { anchorsOf, blocksOf, linkTargets, prose } from '../support/docs'

const root = resolve(__dirname, '../..')
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))
const repository = String(pkg.repository?.url ?? pkg.repository)
  .replace(/^git\+/, '')
  .replace(/\.git$/, '')
// https://github.com/<owner>/<name>/(blob|tree)/<ref>/<path> and https://raw.githubusercontent.com/<owner>/<name>/<ref>/<path>
const [owner, name] = new URL(repository).pathname.split('/').filter(Boolean)
const intoRepository = new RegExp(
  `^https://(?:github\\.com/${owner}/${name}/(?:blob|tree)|raw\\.githubusercontent\\.com/${owner}/${name})/[^/]+/([^#?]+)`,
)
// What only a clone has: the repository's npm scripts and the folders that stay out of the package.
// A glob in a user's own config ('tests/**/*.test.ts') names the user's folder, not the repository's.
const repositoryOnly = /\bnpm (?:run|test)\b|(?<![\w/.'-])(?:tests|scripts|bench|\.ci)\//

let packed: string[] = []
let markdown: string[] = []

beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  packed = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path)
  markdown = packed.filter((path) => path.toLowerCase().endsWith('.md'))
}, 60000)

const isPacked = (path: string) => packed.includes(path) || packed.some((p) => p.startsWith(path.replace(/\/?$/, '/')))

describe('the npm package’s Markdown', () => {
  it('carries the README, the CHANGELOG and the user pages of docs/, not the repository’s own', () => {
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'docs/server.md', 'docs/reference.md']))
    expect(markdown).not.toContain('docs/development.md')
  })

  it('every relative link and image names a file the package carries (and a heading of it, when it names one)', () => {
    const broken: string[] = []
    for (const page of markdown) {
      const text = readFileSync(resolve(root, page), 'utf8')
      for (const target of linkTargets(text)) {
        if (/^[a-z]+:/i.test(target)) continue
        const [path, anchor] = target.split('#')
        const file = path ? posix.normalize(posix.join(posix.dirname(page), path)) : page
        if (!isPacked(file)) broken.push(`${page}: ${target} (not in the package)`)
        else if (anchor && file.endsWith('.md') && !anchorsOf(readFileSync(resolve(root, file), 'utf8')).has(anchor)) {
          broken.push(`${page}: ${target} (no such heading)`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  it('every link into the repository names a file or folder the repository has', () => {
    const broken: string[] = []
    for (const page of markdown) {
      for (const target of linkTargets(readFileSync(resolve(root, page), 'utf8'))) {
        const path = intoRepository.exec(target)?.[1]
        if (path !== undefined && !existsSync(resolve(root, path))) broken.push(`${page}: ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('tells its reader to run no repository script and names no repository folder, outside a clone', () => {
    const found: string[] = []
    for (const page of markdown) {
      const text = readFileSync(resolve(root, page), 'utf8')
      const outsideLinks = (s: string) => s.replace(/\]\([^)]*\)|<img[^>]*>|https?:\/\/\S+/g, '')
      const lines = outsideLinks(prose(text)).split('\n')
      for (const block of blocksOf(page, text)) {
        if (!/^git clone /.test(block.code)) lines.push(...block.code.split('\n'))
      }
      for (const line of lines) if (repositoryOnly.test(line)) found.push(`${page}: ${line.trim()}`)
    }
    expect(found).toEqual([])
  })
})
