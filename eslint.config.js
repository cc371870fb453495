// Lint: TypeScript's recommended rules everywhere; the layers of docs/architecture.md (which folder
// may import which); and determinism rules for workflows/: no Node built-ins, no I/O, no Date, no
// Math.random, activities imported as types only.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// Each layer and the folders it may import (besides itself and npm packages). Entry points and
// harnesses (scripts/, api-spec/, test/, every *.test.ts) may import anything.
const LAYERS = {
  platform: [],
  db: ['platform'],
  dsl: ['platform/dates'],
  domain: ['db', 'dsl', 'platform'],
  activities: ['domain', 'db', 'dsl', 'platform'],
  workflows: ['dsl', 'domain/workflow-interfaces'], // and activities, as types only (below)
  services: ['domain', 'db', 'dsl', 'platform'],
  gateway: ['console', 'services', 'domain', 'db', 'dsl', 'platform'],
  // console/server: the backend-for-frontend the gateway mounts (it calls the gateway back only through `forward`).
  console: ['services', 'domain', 'db', 'platform'],
  // The embedded development OpenID provider: an entry point of its own, next to nothing.
  idp: ['platform'],
  worker: ['activities', 'workflows', 'domain', 'db', 'dsl', 'platform'],
  sandbox: ['platform'],
};
const PROJECT_FOLDERS = [...Object.keys(LAYERS), 'scripts', 'api-spec', 'test'];
const DEEPEST = 4; // folders nest at most this deep (workflows/steps/…, activities/outbound/…)

/**
 * `no-restricted-imports` patterns refusing what a file `depth` folders inside `layer` may not
 * import. The `../` count anchors each pattern at the top-level folder, so a nested folder is
 * not mistaken for a top-level one of the same name.
 */
function wrongWayImports(layer, depth) {
  const allowed = LAYERS[layer];
  return PROJECT_FOLDERS.filter((folder) => folder !== layer && !allowed.includes(folder)).map((folder) => {
    // A layer allowed only part of a folder (dsl: platform/dates) is refused the rest of it.
    const parts = allowed.filter((a) => a.startsWith(`${folder}/`)).map((a) => a.slice(folder.length + 1));
    const except = parts.length ? `(?!(${parts.join('|')})/)` : '';
    return {
      regex: `^(\\.\\./){${depth}}${folder}/${except}`,
      message: `${layer}/ may not import ${parts.length ? `from ${folder}/ beyond ${parts.map((p) => `${folder}/${p}/`).join(', ')}` : `${folder}/`}: see docs/architecture.md.`,
    };
  });
}
/** One config per nesting depth of `layer`, each with the import rule `options(depth)` gives. */
const perDepth = (layer, options, ignores = []) => Array.from({ length: DEEPEST }, (_, i) => ({
  files: [`${layer}/${'*/'.repeat(i)}*.ts`],
  ignores: [...testFiles, ...ignores],
  rules: { 'no-restricted-imports': ['error', options(i + 1)] },
}));
const testFiles = ['**/*.test.ts', 'test/**'];
// Workflows and the interfaces they share with their callers are bundled into the workflow sandbox.
const deterministic = ['workflows/**/*.ts', 'domain/workflow-interfaces/**/*.ts', 'scripts/bench-process/**/*.ts'];
const noNodeNoIo = [
  ...nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
  ...['postgres', 'drizzle-orm', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'hono', 'jose']
    .map((name) => ({ name, message: 'Workflows do no I/O: call an activity.' })),
];
const activitiesAsTypes = { group: ['**/activities/**', '../activities/*', '../activities'], allowTypeImports: true, message: 'Import activities as types only (proxyActivities).' };
const noIo = { group: ['**/db/**', '**/gateway/**', '**/sandbox/**'], message: 'Workflows do no I/O.' };

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'db/migrations/**', 'api-spec/generated/**', 'console/dist/**', 'dist/**'] },
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
  // The layers: every folder refused what lies above it or beside it (docs/architecture.md).
  ...['platform', 'db', 'dsl', 'activities', 'services', 'gateway', 'worker', 'sandbox']
    .flatMap((layer) => perDepth(layer, (depth) => ({ patterns: wrongWayImports(layer, depth) }))),
  ...perDepth('domain', (depth) => ({ patterns: wrongWayImports('domain', depth) }), ['domain/workflow-interfaces/**']),
  ...perDepth('workflows', (depth) => ({
    paths: noNodeNoIo,
    patterns: [activitiesAsTypes, noIo, ...wrongWayImports('workflows', depth).filter((p) => !p.regex.endsWith('activities/'))],
  })),
  {
    // The console's single-page app runs in the browser: npm packages and its own files only, and
    // the API's generated types (as types). Node built-ins would not bundle.
    files: ['console/app/**/*.ts', 'console/app/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'console/app runs in the browser: no Node built-ins.' })),
        patterns: [
          { regex: '^(\\.\\./)+(?!api-spec/generated/)[a-z-]+/', message: 'console/app imports only its own files and npm packages (and types from api-spec/generated): see docs/architecture.md.' },
          { regex: '^(\\.\\./)+api-spec/generated/', allowTypeImports: true, message: 'console/app imports the API\'s generated types as types only.' },
        ],
      }],
    },
  },
  {
    files: ['domain/workflow-interfaces/*.ts'],
    ignores: testFiles,
    rules: { 'no-restricted-imports': ['error', { paths: noNodeNoIo, patterns: [noIo, ...wrongWayImports('domain', 2)] }] },
  },
  {
    files: deterministic,
    ignores: testFiles,
    rules: {
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
