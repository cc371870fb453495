/**
 * Temporal's runtime and worker logs, with national codes and tokens redacted like the gateway's:
 * workflow failures quote inputs and activity errors, which can carry personal data.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { redactText } from '../gateway/middleware/redact.js';

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

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v));
  } catch {
    return '[unserialisable]';
  }
}
