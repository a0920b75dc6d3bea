import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// The type check (typecheck:server) holds each shipped declaration file to the code's JSDoc types; this holds the
// names: what a module exports when it runs is exactly the values its declaration file declares.

/** The values (not types) a declaration file exports. */
function declaredValues(file: string): string[] {
  const path = fileURLToPath(new URL(file, import.meta.url))
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest)
  const names: string[] = []
  for (const statement of source.statements) {
    const exported = ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (!exported) continue
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) names.push(declaration.name.getText(source))
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      names.push(statement.name.text)
    }
  }
  return [...new Set(names)].sort()
}

describe('the shipped declaration files', () => {
  it('index.d.ts declares every export of uni-chain-toolbar/server, and nothing else', async () => {
    const runtime = Object.keys(await import('./index.mjs')).sort()
    expect(runtime).toEqual(declaredValues('./index.d.ts'))
  })

  it('fake-wecom.d.mts declares every export of the fake WeCom API, and nothing else', async () => {
    const runtime = Object.keys(await import('./testing/fake-wecom.mjs')).sort()
    expect(runtime).toEqual(declaredValues('./testing/fake-wecom.d.mts'))
  })
})
