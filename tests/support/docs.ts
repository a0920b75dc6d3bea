// The user-facing Markdown of the repository (README.md and every page of docs/), read the way the tests
// that hold the docs to the code need it: code blocks with the page and section they stand in, sections by
// heading, links. Tests find a block by its section or by the comment naming the file it belongs in (a
// block a user copies into `server.mjs` starts with `// server.mjs`), never by its position, so a block
// moved from one page to another stays under test.
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const repoRoot = resolve(__dirname, '../..')

/** README.md and docs/*.md, as paths relative to the repository root. */
export function docPages(): string[] {
  const docs = readdirSync(resolve(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`)
  return ['README.md', ...docs]
}

export const readDoc = (page: string) => readFileSync(resolve(repoRoot, page), 'utf8')

export interface DocBlock {
  page: string
  /** The nearest heading above the block (`## Use it in your app`), or '' before the first. */
  section: string
  lang: string
  code: string
  /** 1-based line of the opening fence. */
  line: number
}

/** Every fenced code block of a page. */
export function blocksOf(page: string, text = readDoc(page)): DocBlock[] {
  const blocks: DocBlock[] = []
  const lines = text.split('\n')
  let section = ''
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6} .*/.exec(lines[i])
    if (heading) section = heading[0]
    const fence = /^```(\S*)\s*$/.exec(lines[i])
    if (!fence) continue
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i])
    blocks.push({ page, section, lang: fence[1], code: body.join('\n') + '\n', line: start + 1 })
  }
  return blocks
}

/** Every fenced code block of the README and docs/. */
export const allDocBlocks = (): DocBlock[] => docPages().flatMap((page) => blocksOf(page))

/** The one block, on any page, whose first line is the comment `// <file>` (e.g. `// server.mjs`). */
export function blockForFile(file: string): DocBlock {
  const found = allDocBlocks().filter((b) => b.code.split('\n')[0].trim() === `// ${file}`)
  if (found.length !== 1) {
    throw new Error(`expected one code block starting with "// ${file}" in README.md or docs/, found ${found.length}`)
  }
  return found[0]
}

/** For each line, its heading level (1–6), or 0 for a line that is not a heading (code blocks included). */
function headingLevels(lines: string[]): number[] {
  let inCode = false
  return lines.map((line) => {
    if (/^```/.test(line)) inCode = !inCode
    return inCode ? 0 : (/^(#{1,6}) /.exec(line)?.[1].length ?? 0)
  })
}

/**
 * The text of the one section, on any page, whose heading reads `heading` (any level), up to the next
 * heading of the same or a higher level.
 */
export function docSection(heading: string): { page: string; text: string } {
  const found: { page: string; text: string }[] = []
  for (const page of docPages()) {
    const lines = readDoc(page).split('\n')
    const levels = headingLevels(lines)
    lines.forEach((line, i) => {
      if (!levels[i] || line.replace(/^#+ /, '').trim() !== heading) return
      let end = i + 1
      while (end < lines.length && !(levels[end] && levels[end] <= levels[i])) end++
      found.push({ page, text: lines.slice(i, end).join('\n') })
    })
  }
  if (found.length !== 1) throw new Error(`expected one section "${heading}" in README.md or docs/, found ${found.length}`)
  return found[0]
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export const headingAnchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')

/** The anchors of a page's headings. */
export function anchorsOf(text: string): Set<string> {
  const lines = text.split('\n')
  const levels = headingLevels(lines)
  return new Set(lines.filter((_, i) => levels[i]).map((line) => headingAnchor(line.replace(/^#+ /, ''))))
}

/** Text outside fenced code blocks. */
export const prose = (text: string) => text.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, '')

/** Link and image targets in a page's prose: `[x](target)`, `![x](target)`, `<img src="target">`. */
export const linkTargets = (text: string) =>
  [...prose(text).matchAll(/\]\(([^)\s]+)\)|<img[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? m[2])
