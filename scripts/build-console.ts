/**
 * Builds the officers' console (console/app, Preact) into console/dist with esbuild: one bundled,
 * minified script and one style sheet, the Vazirmatn font copied beside them, every file named by
 * its content hash under assets/, a small manifest, and index.html naming the hashed files (no
 * inline script or style: the console's CSP allows only 'self').
 *
 * Skips the build when console/dist is newer than every source (the app, this script, the
 * lockfile); `--force` builds anyway.
 * @example npx tsx scripts/build-console.ts --force
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const appDir = join(root, 'console/app');
const distDir = join(root, 'console/dist');
const manifestPath = join(distDir, 'manifest.json');

export interface ConsoleManifest { script: string; style: string; files: string[]; builtAt: string }

function newestSource(): number {
  let newest = Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, statSync(join(root, 'package-lock.json')).mtimeMs);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(appDir);
  return newest;
}

/** True when console/dist was built after every source changed. */
export function consoleIsCurrent(): boolean {
  return existsSync(manifestPath) && existsSync(join(distDir, 'index.html')) && statSync(manifestPath).mtimeMs > newestSource();
}

/** Builds console/dist (into a fresh folder, then swapped in, so a server never reads half a build). */
export async function buildConsole(): Promise<ConsoleManifest> {
  const staging = `${distDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: join(appDir, 'main.tsx'), styles: join(appDir, 'styles.css') },
    outdir: join(staging, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[ext]-[hash]',
    publicPath: '/console/assets',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome120', 'firefox120', 'safari16'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(appDir, 'tsconfig.json'),
    loader: { '.woff2': 'file' },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const named = (entry: string) => {
    const found = outputs.find(([, o]) => o.entryPoint !== undefined && o.entryPoint.endsWith(entry));
    if (!found) throw new Error(`esbuild wrote no output for ${entry}`);
    return `/console/assets/${relative(join(staging, 'assets'), join(root, found[0]))}`;
  };
  const script = named('console/app/main.tsx');
  const style = named('console/app/styles.css');
  const manifest: ConsoleManifest = {
    script, style,
    files: outputs.map(([file]) => relative(staging, join(root, file))).sort(),
    builtAt: new Date().toISOString(),
  };
  const html = readFileSync(join(appDir, 'index.html'), 'utf8').replace('%JS%', script).replace('%CSS%', style);
  if (html.includes('%')) throw new Error('index.html kept a placeholder');
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'index.html'), html);
  writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const old = `${distDir}.old-${process.pid}`;
  if (existsSync(distDir)) renameSync(distDir, old);
  renameSync(staging, distDir);
  rmSync(old, { recursive: true, force: true });
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  if (!force && consoleIsCurrent()) {
    console.error('[console] console/dist is current');
  } else {
    const started = Date.now();
    const manifest = await buildConsole();
    console.error(`[console] built console/dist in ${Date.now() - started} ms: ${manifest.files.join(', ')}`);
  }
}
