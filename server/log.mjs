// The companion's logging: the app's `log` function when it passes one, nothing with `log: false`, and by
// default one line on the console per failure. Entries never hold a secret, a token, a login code or a
// session key (docs/server.md); what the default prints is the entry's own fields.

/**
 * Events printed by default besides every `error`: a dependency the server works around (the cache, the
 * rate-limit store) and a page refused for its origin (its browser shows it only a CORS error). WeCom's
 * own refusals, timeouts and token refreshes are not: a failed request is reported once, by the line of
 * the handler that answered it (`handler-error`), and a recovered one needs no line.
 */
const PRINTED_WARNINGS = new Set(['dependency-failure', 'origin-refused'])
/** At most this many lines a minute (a flood of failures, or of refused origins, does not flood the log). */
const LINES_PER_MINUTE = 60

/** @param {unknown} value */
function quote(value) {
  const text = String(value).replace(/\s+/g, ' ')
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text
}

/**
 * An unexpected error in one line: its name, message and where it was thrown.
 * @param {unknown} error
 */
function describeError(error) {
  if (!(error instanceof Error)) return typeof error
  const where = /\n\s+at (.+)/.exec(error.stack ?? '')?.[1]
  return `${error.name}: ${error.message}${where ? ` (at ${where})` : ''}`
}

/**
 * One log entry as one line: `[uni-chain-toolbar] <level> <event> key=value …`.
 * @param {import('./index').ServerLogEntry} entry
 */
export function formatLogEntry(entry) {
  const { level, event, error, ...fields } = entry
  const parts = [`[uni-chain-toolbar] ${level} ${event}`]
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null || typeof value === 'object' || typeof value === 'function') continue
    parts.push(`${key}=${quote(value)}`)
  }
  if (error !== undefined) parts.push(`error=${quote(describeError(error))}`)
  return parts.join(' ')
}

/** The default: failures on the console, one line each, at most LINES_PER_MINUTE a minute. */
function consoleLogger() {
  let windowStart = 0
  let printed = 0
  let dropped = 0
  /** @param {import('./index').ServerLogEntry} entry */
  return (entry) => {
    const failure = entry.level === 'error' || (entry.level === 'warn' && PRINTED_WARNINGS.has(entry.event))
    if (!failure) return
    const now = Date.now()
    if (now - windowStart >= 60_000) {
      if (dropped > 0) console.warn(`[uni-chain-toolbar] warn log-suppressed lines=${dropped} (more than ${LINES_PER_MINUTE} failures a minute)`)
      windowStart = now
      printed = 0
      dropped = 0
    }
    if (printed >= LINES_PER_MINUTE) {
      dropped++
      return
    }
    printed++
    const line = formatLogEntry(entry)
    if (entry.level === 'error') console.error(line)
    else console.warn(line)
  }
}

/**
 * The logger behind the `log` option: a function receives every entry (and may throw: it is ignored);
 * `false` silences; nothing given prints failures on the console.
 * @param {((entry: import('./index').ServerLogEntry) => void) | false | undefined} option
 * @returns {(entry: import('./index').ServerLogEntry) => void}
 */
export function createLogger(option) {
  const sink = option === false ? undefined : typeof option === 'function' ? option : consoleLogger()
  return (entry) => {
    if (!sink) return
    try {
      sink(entry)
    } catch {}
  }
}
