/**
 * `npm run build`: the product compiled to `dist/` for plain `node` (`node dist/gateway/main.js`,
 * `node dist/worker/main.js`, `node dist/sandbox/main.js`, from the repository's root).
 *
 * 1. `tsc -p tsconfig.build.json`: the three entry points and what they import, no tests or
 *    benchmarks; a type error fails the build with tsc's report.
 * 2. The files the compiled code finds beside itself (`import.meta.url`): the database migrations,
 *    the holiday calendar and the fee tariff.
 * 3. The workflow code bundled once, `dist/workflows/bundle.js` (its source map inline), which the
 *    compiled worker loads instead of bundling at every start.
 * 4. A check that nothing the compiled product imports is a devDependency (tsx, vitest, esbuild…):
 *    a deployment installs `npm ci --omit=dev`.
 *
 * `--out-dir <dir>` builds elsewhere (the tests build under dist/ too, so node_modules is found).
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKFLOW_BUNDLE_FILE, workflowBundleOptions } from '../worker/workflow-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The processes' entry points, as `node <out>/<entry>` runs them. */
export const ENTRY_POINTS = ['gateway/main.js', 'worker/main.js', 'sandbox/main.js'];

/** What compiled code reads relative to its own file (`new URL('…', import.meta.url)`), copied beside it. */
const ASSETS = ['db/migrations', 'processes/calendar', 'processes/tariffs'];

/** Compiles the product into `outDir`; throws tsc's report on a type error. */
function compile(outDir: string): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
}

/** The specifiers a compiled module imports: static, re-exported, dynamic and required. */
function importsOf(code: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g, /\brequire\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** What the compiled product imports that a deployment (`npm ci --omit=dev`) lacks, or has only by chance. */
export interface ImportCheck {
  /** `<module>: <package>`: a devDependency, or not installed at all. Fails the build. */
  missing: string[];
  /** `<module>: <package>`: installed as a dependency's dependency, not named in package.json's dependencies. */
  undeclared: string[];
}

/**
 * Walks the compiled modules from each entry point and sorts every package they import by what
 * package-lock.json says of it: a dependency (fine), a devDependency or not installed (missing), or
 * installed only for another dependency (undeclared).
 */
export function checkImports(outDir: string, entries: string[] = [...ENTRY_POINTS, 'workflows/index.js']): ImportCheck {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const check: ImportCheck = { missing: [], undeclared: [] };
  const seen = new Set<string>();
  const stack = entries.map((entry) => join(outDir, entry));
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(file)) {
      check.missing.push(`${relative(outDir, file)}: not built`);
      continue;
    }
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        stack.push(resolve(dirname(file), specifier));
        continue;
      }
      if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]!)) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      if (declared.has(name)) continue;
      const installed = lock.packages[`node_modules/${name}`];
      (installed && !installed.dev ? check.undeclared : check.missing).push(`${relative(outDir, file)}: ${name}`);
    }
  }
  return check;
}

/** Builds the product into `outDir` (default `dist/`); returns the files it wrote, as paths relative to the root. */
export async function build(outDir = join(root, 'dist')): Promise<{ outDir: string; wrote: string[] }> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  compile(outDir);
  // Its own package.json: the compiled modules are ES modules wherever dist/ is put.
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  for (const asset of ASSETS) cpSync(join(root, asset), join(outDir, asset), { recursive: true });
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  const bundlePath = join(outDir, 'workflows', WORKFLOW_BUNDLE_FILE);
  writeFileSync(bundlePath, code);
  const { missing, undeclared } = checkImports(outDir);
  if (missing.length > 0) {
    throw new Error(`the compiled product imports what a deployment (npm ci --omit=dev) does not install, devDependencies or nothing:\n  ${missing.join('\n  ')}`);
  }
  // Installed today because a dependency needs it; a dependency's next release may not.
  for (const line of undeclared) console.warn(`[build] warning: ${line} is not in package.json's dependencies`);
  const show = (path: string) => relative(root, path) || '.';
  return {
    outDir,
    wrote: [
      ...ENTRY_POINTS.map((entry) => show(join(outDir, entry))),
      `${show(bundlePath)} (${(code.length / 1024 / 1024).toFixed(1)} MiB, source map inline)`,
      ...ASSETS.map((asset) => `${show(join(outDir, asset))}/`),
    ],
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out-dir');
  const outDir = at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : undefined;
  build(outDir).then(({ outDir: built, wrote }) => {
    console.log(`[build] compiled the product into ${relative(root, built) || built}:`);
    for (const line of wrote) console.log(`  ${line}`);
  }, (error: unknown) => {
    console.error(`[build] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
