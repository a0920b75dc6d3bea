// README.md as a user reads it: the install command, and the code blocks a user copies into files. A block
// that goes into a file names it on its first line (`// src/main.ts`, `# …` for shells); the journey finds
// blocks by these names and commands, never by their position, so the README may move them around.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface ReadmeBlock {
  lang: string
  code: string
  /** The file the block's first line names (`// src/main.ts` → `src/main.ts`), if it names one. */
  file?: string
  /** The `## …` / `### …` heading the block sits under. */
  section: string
}

// The file's path, then nothing or a note in parentheses: `// vitest.config.mts (the src/ layout)`.
const FILE_COMMENT = /^(?:\/\/|#|<!--)\s*([\w@./-]+\.(?:[cm]?[jt]s|vue|json|html|mjs))(?:\s+\([^)]*\))?\s*(?:-->)?\s*$/

const root = resolve(__dirname, '../..')

/**
 * The code blocks of README.md, then of the pages under docs/ that it links to (where the README sends a
 * user for the rest of a step, e.g. the server's page), in that order.
 */
export function readmeBlocks(readme = readFileSync(join(root, 'README.md'), 'utf8')): ReadmeBlock[] {
  const linked = [...new Set([...readme.matchAll(/\]\((?:\.\/)?(docs\/[\w./-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]))]
  return [readme, ...linked.filter((file) => existsSync(join(root, file))).map((file) => readFileSync(join(root, file), 'utf8'))].flatMap(blocksOf)
}

function blocksOf(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = []
  let section = ''
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{2,4}\s+(.*)$/.exec(lines[i])
    if (heading) section = heading[1].trim()
    const fence = /^```(\w*)\s*$/.exec(lines[i])
    if (!fence) continue
    const body: string[] = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i])
    const code = body.join('\n') + '\n'
    blocks.push({ lang: fence[1], code, file: FILE_COMMENT.exec(body[0] ?? '')?.[1], section })
  }
  return blocks
}

/** The block a user copies into `file` (the first, if pages repeat it); throws, naming what is missing, when there is none. */
export function blockFor(file: string, blocks = readmeBlocks()): ReadmeBlock {
  const found = blocks.filter((b) => b.file === file)
  if (!found.length) {
    const named = blocks.filter((b) => b.file).map((b) => b.file)
    throw new Error(`README.md (and the docs/ pages it links) has no code block naming ${file} on its first line (blocks naming a file: ${named.join(', ') || 'none'})`)
  }
  return found[0]
}

/** Commands of the ```sh blocks, one per line, without `# comments`. */
function shellCommands(blocks: ReadmeBlock[]): Array<{ command: string; section: string }> {
  return blocks
    .filter((b) => b.lang === 'sh' || b.lang === 'bash' || b.lang === 'shell')
    .flatMap((b) => b.code.split('\n').map((line) => ({ command: line.replace(/(^|\s)#.*$/, '').trim(), section: b.section })))
    .filter((c) => c.command)
}

const NPM_INSTALL = /^npm (i|install|add)(\s|$)/
const INSTALLS_KIT = /^npm (i|install|add)\s+(\S+\s+)*uni-chain-toolbar(@\S+)?(\s|$)/

/**
 * The README's install command for the kit: the ```sh block whose lines are all `npm i …` and one of them
 * `npm i uni-chain-toolbar …` (a block of one install, or of the installs that go with it), its lines joined
 * with `&&`, as a user types them one after the other.
 */
export function installCommand(blocks = readmeBlocks()): string {
  const shell = blocks.filter((b) => b.lang === 'sh' || b.lang === 'bash' || b.lang === 'shell')
  for (const block of shell) {
    const commands = shellCommands([block]).map((c) => c.command)
    if (commands.length && commands.every((c) => NPM_INSTALL.test(c)) && commands.some((c) => INSTALLS_KIT.test(c))) return commands.join(' && ')
  }
  throw new Error('README.md has no ```sh block of `npm i` lines, one of them `npm i uni-chain-toolbar …`')
}

/**
 * The command "Testing your page" gives for its tools: the ```sh line of that section that installs them.
 * `null` when the section has none (a user then installs the packages its code imports, at their newest).
 */
export function testToolsCommand(blocks = readmeBlocks()): string | null {
  const found = shellCommands(blocks.filter((b) => /^Testing your page/.test(b.section))).filter((c) => /^npm (i|install|add)\s/.test(c.command))
  return found[0]?.command ?? null
}

/** What a user installs when the section names no command: the packages its code blocks import, and the test environment they name. */
export function impliedTestTools(blocks = readmeBlocks()): string[] {
  const code = blocks.filter((b) => /^Testing your page/.test(b.section) && /^(ts|js)$/.test(b.lang)).map((b) => b.code).join('\n')
  const imported = [...code.matchAll(/from '((?:@[\w.-]+\/)?[\w.-]+)[^']*'/g)].map((m) => m[1]).filter((name) => name !== 'uni-chain-toolbar' && !name.startsWith('.'))
  const environments = [...code.matchAll(/environment: '([\w-]+)'/g)].map((m) => m[1])
  return [...new Set([...imported, ...environments])]
}
