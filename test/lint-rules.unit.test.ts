/** The project's own lint rules catch what they are for (planted code, linted as if it were in the tree). */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const problems = async (code: string, filePath: string) =>
  (await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);

describe('lint: raw SQL through db/query.ts', () => {
  it('refuses execute() on a database or a transaction anywhere but db/query.ts', async () => {
    const planted = [
      "import { sql } from 'drizzle-orm';",
      'export const a = (db: { execute(q: unknown): void }) => db.execute(sql`select 1`);',
      "export const b = (tx: { execute(q: unknown): void }) => tx['execute'](sql`select 1`);",
      "export const c = (client: { workflow: { execute(w: string): void } }) => client.workflow.execute('licenceProcess');",
      '',
    ].join('\n');
    expect(await problems(planted, 'services/planted.ts')).toEqual([2, 3]);
    expect(await problems(planted, 'db/query.ts')).toEqual([]);
  });
});
