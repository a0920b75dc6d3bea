// The endpoint table (docs/server.md, linked from the README) tells which option of createChainToolbar each endpoint serves.
// A user looks for that name in the README's main.ts and in the editor's completion: the table must name
// the option as the example writes it and as the options' types declare it.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const serverDoc = readFileSync(resolve(root, 'docs/server.md'), 'utf8')
const readme = readFileSync(resolve(root, 'README.md'), 'utf8')
const types = readFileSync(resolve(root, 'src/types.ts'), 'utf8')
const hostTypes = readFileSync(resolve(root, 'src/host/types.ts'), 'utf8')

/** The `for the kit's option` column of the endpoint table, e.g. `web.getAgentConfigSignature`. */
function tableOptions(): string[] {
  const lines = serverDoc.split('\n')
  const header = lines.findIndex((line) => line.startsWith('|') && line.includes("for the kit's option"))
  expect(header, "the endpoint table's header").toBeGreaterThan(-1)
  const column = lines[header].split('|').findIndex((cell) => cell.includes("for the kit's option"))
  const rows: string[] = []
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break
    const option = /`([^`]+)`/.exec(line.split('|')[column])?.[1]
    // Rows for the kit's options (the media endpoint serves the app's own uploads, not an option).
    if (option && /^(?:(?:web|miniProgram)\.\w+|resolve\w+)$/.test(option)) rows.push(option)
  }
  return rows
}

/** Where the options' types declare an option: ChainToolbarWebOptions (src/host/types.ts) for `web.*`, else src/types.ts. */
const declared = (path: string[]) => (path[0] === 'web' ? /export interface ChainToolbarWebOptions \{([\s\S]*?)\n\}/.exec(hostTypes)![1] : types)

describe("the server's endpoint table (docs/server.md)", () => {
  const options = tableOptions()
  // The app's main.ts for a real server (the simulator section's main.ts has no server to name).
  const mainTs = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .find((block) => /export function createApp/.test(block) && !/simulator/i.test(block))!

  it('names the options the server endpoints answer', () => {
    expect(options).toEqual(['web.getAgentConfigSignature', 'miniProgram.exchangeCode', 'web.exchangeOAuthCode', 'resolveContact'])
  })

  it.each(tableOptions())('%s is written so in the README main.ts and declared so in the options', (option) => {
    const path = option.split('.')
    const name = path[path.length - 1]
    expect(mainTs, "the README's main.ts").toMatch(new RegExp(`\\b${name}:`))
    if (path.length === 2) expect(mainTs).toMatch(new RegExp(`\\b${path[0]}: \\{[\\s\\S]*\\b${name}:`))
    expect(declared(path), 'src/types.ts').toMatch(new RegExp(`^\\s*${name}\\??:`, 'm'))
    expect(declared(path), 'not a former name kept for old apps').not.toMatch(new RegExp(`former name.*\\n\\s*${name}\\??:`))
  })
})
