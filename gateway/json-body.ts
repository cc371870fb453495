/** JSON request bodies: anything that is not JSON, or not valid JSON, is refused with a clear problem. */
import type { Context } from 'hono';
import { invalid } from '../services/errors.js';

/** Parses the exact body bytes as JSON, after checking the content type says JSON. */
export function parseJsonBytes(c: Context, bytes: Uint8Array): unknown {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw invalid('unsupported-media-type', '(body)', { fa: 'بدنه باید JSON باشد', en: 'the body must be JSON' }, `content-type is "${type}"`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('malformed-json', '(body)', { fa: 'JSON نامعتبر است', en: 'malformed JSON' }, 'the body is not UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the body back; the caller is told a fixed sentence.
    throw invalid('malformed-json', '(body)', { fa: 'JSON نامعتبر است', en: 'malformed JSON' }, 'the body is not valid JSON');
  }
}
