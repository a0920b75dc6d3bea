/** Compares dotted versions numerically ('4.0.12' > '4.0.8'). Missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.')
  const pb = b.split('.')
  for (let i = 0; i < pa.length || i < pb.length; i++) {
    const d = (parseInt(pa[i], 10) || 0) - (parseInt(pb[i], 10) || 0)
    if (d) return Math.sign(d)
  }
  return 0
}

/** The WeCom client version in a user agent (`wxwork/4.1.22`), as the SDK detects it. */
export function parseWeComVersion(userAgent: string | undefined | null): string | null {
  return /wxwork\/([\d.]+)/i.exec(userAgent ?? '')?.[1] ?? null
}
