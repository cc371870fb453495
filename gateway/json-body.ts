import type { Context } from 'hono';
import { invalid } from '../services/errors.js';

/** Reads a JSON request body, refusing anything that is not valid JSON with a clear problem. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw invalid('unsupported-media-type', '(body)', { fa: 'بدنه باید JSON باشد', en: 'the body must be JSON' }, `content-type is "${type}"`);
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid('malformed-json', '(body)', { fa: 'JSON نامعتبر است', en: 'malformed JSON' }, (error as Error).message);
  }
}
