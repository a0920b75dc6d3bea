// A baseline for the bench's side-by-side figures: a git ref of this repository checked out in a worktree
// (removed again after the run). Inside the repository (bench/.baseline-*, ignored by git), its bare imports
// resolve to this repository's node_modules: the baseline runs on the same Vue, Pinia and uni as this tree.
import { execFileSync, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '../..')

/** Checks `ref` out in bench/.baseline-<name>; `remove()` takes the worktree away again. */
export function checkoutBaseline(ref, name) {
  const dir = join(root, 'bench', `.baseline-${name}`)
  spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' })
  rmSync(dir, { recursive: true, force: true })
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: root, stdio: 'ignore' })
  return {
    ref,
    dir,
    remove() {
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' })
      rmSync(dir, { recursive: true, force: true })
      spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' })
    },
  }
}
