/**
 * A structured logger that redacts before it writes (`redact.ts`): the gateway's request logs and
 * the worker's operator alerts go through it, so neither can write a national code or a token.
 */
import { pino, stdTimeFunctions, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redact, redactText } from './redact.js';

/**
 * A pino logger that redacts every object and message it is given; the level defaults to
 * `LOG_LEVEL` (else `info`; `silent` turns it off).
 *
 * @example
 * const logger = createRedactingLogger({ name: 'parvaneh-worker', level: 'info' });
 * logger.info({ authorization: 'Bearer …' }, 'national code 0012345679'); // both redacted
 */
export function createRedactingLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    name: 'parvaneh',
    level: process.env.LOG_LEVEL ?? 'info',
    timestamp: stdTimeFunctions.isoTime,
    ...options,
    formatters: { ...options.formatters, log: (object) => redact(object), bindings: (bindings) => redact(bindings) },
    // `log` above has already made errors plain redacted objects; pino's own serializer would retype them.
    serializers: { err: (err: unknown) => (err instanceof Error ? redact(err) : err), ...options.serializers },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  const logger = destination ? pino(settings, destination) : pino(settings);
  // pino applies no formatter to a child's bindings; children inherit this `child`, so theirs are redacted too.
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings: Record<string, unknown>, childOptions?: object) {
    return child.call(this, redact(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
