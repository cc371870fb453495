/**
 * What each registry may answer. A reply that does not match is a failure with a clear reason,
 * never a crash further down the process.
 */
import { z } from 'zod';

const notFound = z.object({ nationalCode: z.string(), found: z.literal(false) });

export const registryAnswerSchemas: Record<string, z.ZodType<Record<string, unknown>>> = {
  'civil-registry': z.union([
    z.object({
      nationalCode: z.string(), firstName: z.string(), lastName: z.string(),
      birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), sex: z.enum(['male', 'female']),
      alive: z.boolean(), citizenship: z.string(),
    }),
    notFound,
  ]),
  'security-clearance': z.union([z.object({ status: z.enum(['clear', 'denied']) }), notFound]),
  'criminal-record': z.union([z.object({ status: z.enum(['clear', 'record']) }), notFound]),
  addiction: z.union([z.object({ status: z.enum(['negative', 'positive']), certificateValidUntil: z.string() }), notFound]),
  'military-service': z.union([z.object({ status: z.enum(['served', 'exempt', 'liable', 'not-applicable']) }), notFound]),
  'higher-education': z.union([
    z.object({
      degrees: z.array(z.object({ level: z.enum(['bachelor', 'master', 'phd']), field: z.string(), university: z.string(), year: z.number() })),
      highest: z.object({ level: z.enum(['bachelor', 'master', 'phd']), field: z.string() }),
    }),
    notFound,
  ]),
  'social-insurance': z.record(z.string(), z.unknown()),
};

/** The envelope every registry wraps its reply in. */
export const inquiryReply = z.union([
  z.object({ inquiryId: z.string(), status: z.literal('answered'), answer: z.record(z.string(), z.unknown()) }),
  z.object({ inquiryId: z.string(), status: z.literal('accepted'), expectedAt: z.string().optional() }),
]);

/** Checks an answer against its registry's schema; returns an error message or the answer. */
export function checkAnswer(registry: string, answer: unknown): { ok: true; answer: Record<string, unknown> } | { ok: false; error: string } {
  const schema = registryAnswerSchemas[registry];
  if (!schema) return { ok: false, error: `no answer schema for registry ${registry}` };
  const parsed = schema.safeParse(answer);
  if (parsed.success) return { ok: true, answer: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, error: `${registry} answered an unexpected shape at ${issue.path.join('.') || '(root)'}: ${issue.message}` };
}
