// What a rep shares, as files on disk for the end-to-end media tests: a PDF quote, a product photo (PNG) and a
// product video (MP4), each starting with its format's first bytes (what the companion and WeCom check) and
// random after them, so every run's content is new to the fake WeCom API.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const MAGIC = {
  file: Buffer.from('%PDF-1.7\n', 'latin1'),
  image: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  video: Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32]),
}

export interface MediaFile {
  type: 'file' | 'image' | 'video'
  /** The file's name (what the chat shows for a file). */
  name: string
  path: string
  size: number
  sha256: string
}

export function writeMediaFiles(): { files: Record<MediaFile['type'], MediaFile>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'uct-media-e2e-'))
  const make = (type: MediaFile['type'], name: string, size: number): MediaFile => {
    const bytes = Buffer.concat([MAGIC[type], randomBytes(size - MAGIC[type].length)])
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return { type, name, path, size, sha256: createHash('sha256').update(bytes).digest('hex') }
  }
  return {
    files: {
      file: make('file', '六月报价单.pdf', 300 * 1024),
      image: make('image', 'product-x1.png', 120 * 1024),
      video: make('video', 'product-x1.mp4', 200 * 1024),
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
