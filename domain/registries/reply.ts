/**
 * Reads a registry's 2xx reply: JSON, then the envelope, then the inquiry it is for, then the
 * system's own answer schema. Each step that fails says what was wrong, for the operator who
 * reads `lastError` and the timeline.
 */
import { z } from 'zod';
import type { InquiryEndpoint } from './endpoint.js';
import { explainMismatch } from './issues.js';

/** The envelope every registry wraps its reply in. */
export const inquiryReply = z.union([
  z.object({ inquiryId: z.string(), status: z.literal('answered'), answer: z.record(z.string(), z.unknown()) }),
  z.object({ inquiryId: z.string(), status: z.literal('accepted'), expectedAt: z.string().optional() }),
]);

/** What came back: the answer now, or the registry's word that it will call back. */
export type RegistryReply =
  | { status: 'answered'; answer: Record<string, unknown> }
  | { status: 'accepted' };

/** The reply, or why it is malformed. @example readReply(addiction, 'i-1', '{"inq') // { ok: false, reason: 'not JSON …' } */
export function readReply(endpoint: InquiryEndpoint, inquiryId: string, text: string): { ok: true; reply: RegistryReply } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON, probably cut short (${Buffer.byteLength(text)} bytes: ${(error as Error).message})` };
  }
  const envelope = inquiryReply.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `not an inquiry reply ${explainMismatch(inquiryReply, json, envelope.error)}` };
  const reply = envelope.data;
  if (reply.inquiryId !== inquiryId) return { ok: false, reason: `the reply is for inquiry ${reply.inquiryId}, not ${inquiryId}` };
  if (reply.status === 'accepted') {
    // A synchronous system never calls back: waiting for its callback would only wait out the deadline.
    if (endpoint.mode === 'sync') return { ok: false, reason: 'it accepted the inquiry without answering, but it answers at once' };
    return { ok: true, reply: { status: 'accepted' } };
  }
  const answer = endpoint.answer.safeParse(reply.answer);
  if (!answer.success) return { ok: false, reason: `the answer does not match its schema ${explainMismatch(endpoint.answer, reply.answer, answer.error)}` };
  return { ok: true, reply: { status: 'answered', answer: answer.data } };
}
