/** The Temporal codec server's wire shape: `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (proto3 JSON of Payloads). */
import { z } from 'zod';
import { requestSchema, responseSchema } from '../openapi/registry.js';

const base64 = z.string().max(4 * 1024 * 1024).regex(/^[A-Za-z0-9+/=_-]*$/, 'base64');
const payload = z.object({
  metadata: z.record(z.string().max(200), base64).optional().describe('Metadata values, base64.'),
  data: base64.optional().describe('The payload bytes, base64.'),
}).describe('One Temporal payload.');

export const CodecRequest = requestSchema('CodecRequest', z.object({
  payloads: z.array(payload).max(1000),
}).describe('Payloads to encode or decode, as the Temporal UI and CLI send them to a codec server.'));

export const CodecResponse = responseSchema('CodecResponse', z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
}));
