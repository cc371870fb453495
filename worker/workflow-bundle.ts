/**
 * The workflow code's bundle: built once by `npm run build` (scripts/build.ts) into
 * `dist/workflows/bundle.js`, which the compiled worker loads; bundled at start when there is none
 * (`npm start`, the tests). Both use `workflowBundleOptions()`, so the bundle a deployment runs is
 * the bundle the tests run.
 *
 * @example
 * const bundle = await bundleWorkflows();                       // at start, from the sources
 * const prebuilt = prebuiltWorkflowBundle(process.env.WORKFLOW_BUNDLE); // { codePath } or undefined
 */
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundlePath, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { activeTracing } from '../platform/tracing.js';

/** The file name of the pre-built bundle, in the compiled `workflows/` beside the compiled worker. */
export const WORKFLOW_BUNDLE_FILE = 'bundle.js';

/** A workflows/ module: the TypeScript source, or (running compiled, with no pre-built bundle) its compiled JavaScript. */
function workflowsModule(name: string): string {
  const source = fileURLToPath(new URL(`../workflows/${name}.ts`, import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL(`../workflows/${name}.js`, import.meta.url));
}

const quietBundlerLogger = {
  log: () => {}, trace: () => {}, debug: () => {}, info: () => {},
  warn: (message: string) => console.warn(message), error: (message: string) => console.error(message),
};

/** A module of the repository's own, by its path from the root (TypeScript source, or compiled beside it). */
function ownModule(path: string): string {
  const source = fileURLToPath(new URL(`../${path}.ts`, import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL(`../${path}.js`, import.meta.url));
}

/**
 * Modules evaluated once per worker and shared by every workflow it runs, instead of once per
 * workflow (the SDK's `preloadModules`; the SDK deep-freezes what they export). Only pure modules
 * with no per-workflow state belong here, and everything they import is shared with them: the
 * rules' evaluator (dsl/expressions.ts: CEL, the calendar functions, the name comparison), whose
 * environments, built per set of fact names, were otherwise built and kept by each workflow; the
 * facts, the change rules, the holiday calendar and the respelling of names.
 * test/workflow-bundle.test.ts checks what this brings in.
 */
export const SHARED_WORKFLOW_MODULES = ['dsl/expressions', 'dsl/facts', 'dsl/change-rules', 'dsl/calendar', 'dsl/respell'] as const;

/** How the workflow code is bundled: one place for the build and the start alike (interceptor modules go here). */
export function workflowBundleOptions(): BundleOptions {
  // The tracing interceptors only while tracing is on (platform/tracing.ts): an untraced worker runs none.
  return {
    workflowsPath: workflowsModule('index'), logger: quietBundlerLogger,
    workflowInterceptorModules: activeTracing() ? [workflowsModule('tracing-interceptors')] : undefined,
    preloadModules: SHARED_WORKFLOW_MODULES.map(ownModule),
  };
}

/** Bundles the workflow code once; pass the result to several workers. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode(workflowBundleOptions());
}

/**
 * The pre-built bundle to load: `path` (WORKFLOW_BUNDLE) when given, else the one `npm run build`
 * put beside the compiled worker when it is there; undefined: bundle at start.
 */
export function prebuiltWorkflowBundle(path?: string): WorkflowBundlePath | undefined {
  if (path) return { codePath: path };
  const beside = fileURLToPath(new URL(`../workflows/${WORKFLOW_BUNDLE_FILE}`, import.meta.url));
  return existsSync(beside) ? { codePath: beside } : undefined;
}
