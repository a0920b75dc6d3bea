const CJK = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]/

/**
 * One or two letters for an avatar without a picture: the first character of a Chinese (or other
 * CJK) name, the initials of the first two words of a Latin one (`Li Lei` → `LL`, `lisi` → `L`).
 * Array.from keeps a character outside the BMP (an emoji) whole.
 */
export function initialsOf(name: string | null | undefined): string {
  const letters = (name?.match(/[^\s._@-]+/g) ?? []).slice(0, 2).map((word) => Array.from(word)[0])
  return CJK.test(letters[0]) ? letters[0] : letters.join('').toUpperCase()
}

/** A trimmed non-empty string, or undefined (profiles come from the app's server and may hold anything). */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined
}
