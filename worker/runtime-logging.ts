/**
 * Temporal's runtime and worker logs, with national codes and tokens redacted like the gateway's:
 * workflow failures quote inputs and activity errors, which can carry personal data (a failed
 * query's parameters: names, birth dates).
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { redact, redactText } from '../platform/redact.js';

/** Installs the redacting logger (call once, before any worker or connection is created). */
export function installRedactingRuntimeLogger(level: LogLevel = 'WARN'): void {
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: at, message, meta }) => {
      const line = redactText(`[temporal] ${at} ${message}${meta ? ` ${safeJson(meta)}` : ''}`);
      if (at === 'ERROR' || at === 'WARN') console.error(line);
      else console.log(line);
    }),
  });
}

function errorLine(error: Error): string {
  const { type, message } = redact(error) as unknown as { type: string; message: string };
  return `${type}: ${message}`;
}

function safeJson(value: unknown): string {
  try {
    // Through `redact`, whose message of a database error has none of the failed statement's values.
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? errorLine(v) : v));
  } catch {
    return '[unserialisable]';
  }
}
