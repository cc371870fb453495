/**
 * What each workflow pays for at its start: the worker evaluates the bundle's modules anew for
 * every workflow it starts or replays (each has its own module cache), so a module that workflow
 * code imports statically is evaluated once per application, child and standing process. The
 * language's schemas (zod) cost tens of milliseconds to build and no workflow needs them at its
 * start; this keeps them out of what is evaluated eagerly.
 */
import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../worker/create-worker.js';
import { SHARED_WORKFLOW_MODULES } from '../worker/workflow-bundle.js';

interface Module {
  /** What it requires when it is evaluated. */
  eager: Set<string>;
  /** What it requires later, inside a function (only our own modules are read so finely). */
  lazy: Set<string>;
}

/**
 * The bundle's modules and what each requires (webpack's `__webpack_require__` calls). In our own
 * modules a static `import` is marked `harmony import`; another require there sits inside a
 * function. A library's every require is taken as eager.
 */
function modulesOf(code: string): Map<string, Module> {
  const parts = code.split(/\n\/\*\*\*\/ "([^"]+)":?\n/);
  const modules = new Map<string, Module>();
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = parts[i]!;
    const module: Module = { eager: new Set(), lazy: new Set() };
    for (const m of parts[i + 1]!.matchAll(/(\/\* harmony import \*\/ [^\n]*?)?__webpack_require__\(\/\*! [^*]* \*\/ "([^"]+)"\)/g)) {
      (m[1] || name.includes('node_modules/') ? module.eager : module.lazy).add(m[2]!);
    }
    modules.set(name, module);
  }
  return modules;
}

/** Every module `from` brings in when it is evaluated, itself included. */
function eagerClosure(modules: Map<string, Module>, from: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length) {
    const m = stack.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    stack.push(...(modules.get(m)?.eager ?? []));
  }
  return seen;
}

describe('the workflow bundle', () => {
  it('shares across workflows only pure modules: none of the SDK\'s workflow API, of workflows/ or of anything holding a workflow\'s state', async () => {
    const { code } = await bundleWorkflows();
    const modules = modulesOf(code);
    // The SDK evaluates these once, before any workflow exists (preloadModules), under the very
    // module ids the workflow code requires, so the workflows get the shared instances.
    const preload = /preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    const preloaded = [...preload.matchAll(/__webpack_require__\([^)]*"([^"]+)"\)/g)].map((m) => m[1]);
    const roots = SHARED_WORKFLOW_MODULES.map((m) => `./${m}.ts`);
    expect(preloaded).toEqual(roots);
    for (const root of roots) expect(modules.has(root), root).toBe(true);
    expect(modules.get('./workflows/licence-process.ts')?.eager.has('./dsl/respell.ts')).toBe(true);
    const shared = [...eagerClosure(modules, roots)];
    // What they bring with them: our pure DSL and date modules, CEL and the Jalali calendar's library.
    const allowed = /^\.\/(dsl\/[a-z-]+\.ts|platform\/dates\/[a-z-]+\.ts|node_modules\/(@marcbachmann\/cel-js|jalaali-js)\/)/;
    expect(shared.filter((m) => !allowed.test(m))).toEqual([]);
    expect(shared.filter((m) => m.includes('@temporalio/') || m.startsWith('./workflows/') || m.includes('/steps/'))).toEqual([]);
    // The rules' evaluator is among them: its environments are built once per worker, not per workflow.
    expect(shared).toContain('./node_modules/@marcbachmann/cel-js/lib/index.js');
  }, 120_000);

  it('evaluates no zod module at a workflow\'s start; the migration planner that needs them is loaded on first use', async () => {
    const { code } = await bundleWorkflows();
    const modules = modulesOf(code);
    expect(modules.has('./workflows/index.ts')).toBe(true);
    const eager = new Set<string>();
    const stack = ['./workflows/index.ts'];
    while (stack.length) {
      const m = stack.pop()!;
      if (eager.has(m)) continue;
      eager.add(m);
      stack.push(...(modules.get(m)?.eager ?? []));
    }
    expect([...eager].filter((m) => m.includes('node_modules/zod/'))).toEqual([]);
    expect([...eager].filter((m) => m.startsWith('./dsl/steps/'))).toEqual([]);
    // The planner is in the bundle all the same, and brings zod with it when a migration is ordered.
    expect(modules.get('./workflows/migration.ts')?.lazy.has('./dsl/migration.ts')).toBe(true);
    expect([...modules.keys()].some((m) => m.includes('node_modules/zod/'))).toBe(true);
  }, 120_000);
});
