import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The append-only audit trail of every state change. Each entry carries the hash of the one
 * before it, so a changed or deleted entry breaks the chain and shows.
 */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /**
   * Which chain the entry is linked in (domain/audit.ts `chainOf`: by its subject); 0 is the one
   * global chain of the entries written before the trail was split, hashed without id and chain.
   */
  chain: smallint('chain').notNull().default(0),
  at: timestamp('at', { withTimezone: true }).notNull().default(sql`now()`),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id').notNull(),
  detail: jsonb('detail').notNull().default({}),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull().unique(),
}, (t) => [index('audit_log_subject_idx').on(t.subjectType, t.subjectId), index('audit_log_chain_idx').on(t.chain, t.id)]);
