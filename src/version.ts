/** `version` ≥ `min`, dotted versions compared numerically ('4.0.12' > '4.0.8'). Missing parts count as 0. */
export function isAtLeast(version: string, min: string): boolean {
  const a = version.split('.')
  const b = min.split('.')
  for (let i = 0; i < a.length || i < b.length; i++) {
    const d = (parseInt(a[i]) || 0) - (parseInt(b[i]) || 0)
    if (d) return d > 0
  }
  return true
}

/** The WeCom client version in a user agent (`wxwork/4.1.22`), as the SDK detects it. */
export function parseWeComVersion(userAgent: string | undefined | null): string | null {
  return /wxwork\/([\d.]+)/i.exec(userAgent ?? '')?.[1] ?? null
}
