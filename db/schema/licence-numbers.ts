import { pgSequence } from 'drizzle-orm/pg-core';

/** Serial part of licence numbers (`WSC-AL-1405-000123`), shared by every licence kind. */
export const licenceNumberSeq = pgSequence('licence_number_seq', { startWith: 1, increment: 1 });
