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

describe('lint: the layers of docs/architecture.md', () => {
  const layerProblems = async (code: string, filePath: string) =>
    (await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);

  it('refuses an import that points up or sideways', async () => {
    const wrongWay: [file: string, code: string][] = [
      ['activities/planted.ts', "import { receiveRegistryAnswer } from '../services/registry-callbacks.js';"],
      ['activities/outbound/planted.ts', "import { receiveRegistryAnswer } from '../../services/registry-callbacks.js';"],
      ['db/planted.ts', "import { createGateway } from '../gateway/app.js';"],
      ['dsl/planted.ts', "import { queryRows } from '../db/query.js';"],
      ['dsl/planted.ts', "import { signDetached } from '../platform/jws.js';"],
      ['services/planted.ts', "import { createCompetitionActivities } from '../activities/competitions.js';"],
      ['worker/planted.ts', "import { redact } from '../gateway/middleware/logging.js';"],
      ['sandbox/planted.ts', "import { addMonths } from '../dsl/expressions.js';"],
      ['workflows/planted.ts', "import { appendAudit } from '../domain/audit.js';"],
      ['workflows/planted.ts', "import { createDatabaseActivities } from '../activities/database.js';"],
    ];
    for (const [file, code] of wrongWay) expect(await layerProblems(`${code}\n`, file), `${file}: ${code}`).toHaveLength(1);
  });

  it('lets an import point down, and a workflow import activities as types', async () => {
    const rightWay: [file: string, code: string][] = [
      ['activities/planted.ts', "import { appendAudit } from '../domain/audit.js';"],
      ['services/planted.ts', "import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';"],
      ['gateway/openapi/planted.ts', "import type { Access } from '../openapi/route.js';"],
      ['dsl/planted.ts', "import { addMonths } from '../platform/dates/time-functions.js';"],
      ['worker/planted.ts', "import { signDetached } from '../platform/jws.js';"],
      ['workflows/planted.ts', "import type { DatabaseActivities } from '../activities/database.js';"],
    ];
    for (const [file, code] of rightWay) expect(await layerProblems(`${code}\n`, file), `${file}: ${code}`).toEqual([]);
  });
});
