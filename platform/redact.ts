/**
 * Redaction for anything written to logs: no national codes, no tokens, no credentials, no values
 * of a failed database query. Logs are copied, shipped and kept far longer than requests, so what
 * should never leak is removed before a line is written, not filtered afterwards.
 */

export const REDACTED = '[REDACTED]';

const DIGIT = '[0-9۰-۹٠-٩]';
/** Not inside a longer alphanumeric token (a hash, a hex id), where a digit run is no identifier. */
const ALONE_BEFORE = '(?<![A-Za-z0-9۰-۹٠-٩])';
const ALONE_AFTER = '(?![A-Za-z0-9۰-۹٠-٩])';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * Any run of ten or more digits standing alone (a national code in any digit set people type; a
 * phone number), or a national code written in its 3-6-1 groups. UUIDs (request and application
 * ids, whose last group may be all digits) are matched first and kept.
 */
const NUMBERS = new RegExp(
  `(${UUID})|${ALONE_BEFORE}(?:${DIGIT}{10,}|${DIGIT}{3}[-\\s]${DIGIT}{6}[-\\s]${DIGIT})${ALONE_AFTER}`, 'gi',
);
const TEXT_RULES: [RegExp, (match: string, group?: string) => string][] = [
  // Credentials in header form, and JWTs / JWSs wherever they appear.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, (_match, scheme) => `${scheme} ${REDACTED}`],
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, () => REDACTED],
  [NUMBERS, (_match, uuid) => uuid ?? REDACTED],
];

/** Fields whose value is never logged, whatever it holds. */
const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|password|secret|client_secret|(access_|refresh_|id_)?token|private_?key)$|national.?code/i;

/**
 * Removes national codes and tokens from a string.
 *
 * @example
 * redactText('GET /v1/persons/0012345679'); // 'GET /v1/persons/[REDACTED]'
 */
export function redactText(text: string): string {
  return TEXT_RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/**
 * A copy of `value` safe to log: strings redacted, secret-named fields blanked, errors reduced to
 * their type, message and stack (redacted too). Handles cycles; does not change `value`.
 *
 * @example
 * redact({ headers: { authorization: 'Bearer eyJ…' }, nationalCode: '0012345679' });
 * // { headers: { authorization: '[REDACTED]' }, nationalCode: '[REDACTED]' }
 */
export function redact<T>(value: T): T {
  return walk(value, new WeakSet(), 0) as T;
}

function walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (seen.has(value)) return '[Circular]';
  if (depth > 8) return '[Nested]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, seen, depth + 1));
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause;
    const { message, code } = databaseError(value) ?? { message: value.message };
    return {
      type: value.name, message: redactText(message), ...(code ? { code } : {}), stack: stackWith(value, message),
      ...(cause === undefined ? {} : { cause: walk(cause, seen, depth + 1) }),
    };
  }
  const entries = value instanceof Headers || value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Object.fromEntries(entries.map(([k, v]) => [k, SECRET_KEY.test(String(k)) ? REDACTED : walk(v, seen, depth + 1)]));
}

type PostgresErrorFields = { code?: unknown; severity?: unknown; table_name?: unknown; column_name?: unknown; constraint_name?: unknown };

/** Drizzle's message of a failed query: the statement, then the values bound to it. */
const FAILED_QUERY = /^(Failed query: [\s\S]*?)\nparams: /;

/**
 * What may be logged of a database error: the statement and the SQLSTATE, never the values bound
 * to it. Drizzle's `DrizzleQueryError` writes them into its message (`params: …`), which a
 * Temporal failure then copies; postgres.js's `PostgresError` carries them (`parameters`), and
 * PostgreSQL's own message and detail can quote one (`invalid input syntax for type date: "…"`,
 * `Failing row contains (…)`). So Drizzle's message loses its values, and PostgreSQL's is
 * replaced by its SQLSTATE and the names of the table, column and constraint.
 */
function databaseError(error: Error): { message: string; code?: string } | undefined {
  const failedQuery = FAILED_QUERY.exec(error.message);
  if (failedQuery) return { message: failedQuery[1]! };
  const fields = error as Error & PostgresErrorFields;
  if (error.name === 'PostgresError' || (typeof fields.severity === 'string' && typeof fields.code === 'string')) {
    const code = String(fields.code);
    const names = (['table_name', 'column_name', 'constraint_name'] as const).flatMap((k) => (typeof fields[k] === 'string' ? [`${k.replace('_name', '')} ${String(fields[k])}`] : []));
    return { message: ['database error', code, ...names].join(' '), code };
  }
  return undefined;
}

/** The stack with `message` in place of the error's own in its first line; none when that line cannot be told apart. */
function stackWith(error: Error, message: string): string | undefined {
  const heading = `${error.name}: ${error.message}`;
  if (!error.stack) return undefined;
  if (message === error.message) return redactText(error.stack);
  return error.stack.startsWith(heading) ? redactText(`${error.name}: ${message}${error.stack.slice(heading.length)}`) : undefined;
}
