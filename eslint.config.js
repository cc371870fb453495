// Lint: TypeScript's recommended rules everywhere, and determinism rules for workflows/:
// no Node built-ins, no I/O, no Date, no Math.random, activities imported as types only.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'db/migrations/**', 'openapi/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Raw SQL goes through db/query.ts, which knows the driver's result shape (issue 10).
    ignores: ['db/query.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        // db.execute(q) and db['execute'](q); not this.execute() nor Temporal's client.workflow.execute().
        selector: "CallExpression[callee.type='MemberExpression'][callee.object.type!='ThisExpression'][callee.object.property.name!='workflow']:matches([callee.property.name='execute'], [callee.property.value='execute'])",
        message: 'Run raw SQL with queryRows/queryOne/runStatement from db/query.ts: they do not depend on the driver\'s result shape.',
      }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
          ...['postgres', 'drizzle-orm', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'hono', 'jose']
            .map((name) => ({ name, message: 'Workflows do no I/O: call an activity.' })),
        ],
        patterns: [
          { group: ['**/activities/**', '../activities/*', '../activities'], allowTypeImports: true, message: 'Import activities as types only (proxyActivities).' },
          { group: ['**/db/**', '**/gateway/**', '**/sandbox/**'], message: 'Workflows do no I/O.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'Workflow time comes from workflows/clock.ts.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'fetch', message: 'Workflows do no I/O: call an activity.' },
        { name: 'process', message: 'Workflows do no I/O.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Randomness breaks replay: use uuid4() from @temporalio/workflow.' }],
    },
  },
);
