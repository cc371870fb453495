/**
 * Loads definition files from disk: parse, schema, validation, and the content hash an
 * application is pinned to. Node-side only (the workflow receives the loaded definition).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DefinitionError, type Diagnostic } from './diagnostics.js';
import type { Law } from './law.js';
import { parseDefinition } from './parse.js';
import type { ProcessDefinition } from './schema.js';
import { validateDefinition } from './validate.js';

/** A definition as an application runs it: the parsed content and its identity. */
export interface LoadedDefinition {
  definition: ProcessDefinition;
  /** sha256 of the canonical JSON of the parsed definition. */
  hash: string;
  file: string;
  source: string;
}

/** JSON with sorted keys, so the hash depends on content, not on formatting or key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The definition without its citations (`law`, `assumptions`, a rule's `rule`): what runs. Citing
 * a source, or correcting a citation, is not a new version, and an application keeps its pin.
 */
export function withoutCitations(definition: ProcessDefinition): ProcessDefinition {
  const { assumptions: _assumed, ...rest } = definition;
  const uncited = <T extends object>(part: T): T => {
    const { law: _law, assumptions: _assumptions, rule: _rule, ...kept } = part as T & { law?: unknown; assumptions?: unknown; rule?: unknown };
    return kept as T;
  };
  const steps = Object.fromEntries(Object.entries(rest.steps).map(([id, step]) => {
    const kept = uncited(step);
    if ('rules' in kept && Array.isArray(kept.rules)) Object.assign(kept, { rules: kept.rules.map(uncited) });
    if ('cases' in kept && Array.isArray(kept.cases)) Object.assign(kept, { cases: kept.cases.map(uncited) });
    return [id, kept];
  }));
  const change = rest.change && { ...rest.change, rules: rest.change.rules.map(uncited) };
  return { ...rest, change, steps } as ProcessDefinition;
}

/** The content hash an application is pinned to: of what runs, citations left out. */
export function definitionHash(definition: ProcessDefinition): string {
  return createHash('sha256').update(canonicalJson(withoutCitations(definition))).digest('hex');
}

/** Parses and validates text; returns the definition and every diagnostic found. */
export function checkSource(source: string, file: string, knownProcesses?: ReadonlySet<string>, processKinds?: ReadonlyMap<string, string>, law?: Law): { loaded?: LoadedDefinition; diagnostics: Diagnostic[] } {
  const parsed = parseDefinition(source, file);
  // A file is written in today's spelling; the first one is read only where it is pinned. Said
  // first, and also when the schema refuses the file, so no schema error about a name the author
  // never wrote comes alone.
  const firstSpelling: Diagnostic[] = parsed.respelled.map(({ path, change }) => ({
    file, ...parsed.locate(path, { key: true }), path, code: 'first-spelling',
    message: `${path.slice(0, 2).join('.')}: written in the language's first spelling; now ${change} (docs/dsl.md, "The first spelling")`,
  }));
  firstSpelling.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!parsed.definition) return { diagnostics: [...firstSpelling, ...parsed.diagnostics] };
  if (firstSpelling.length > 0) return { diagnostics: firstSpelling };
  const diagnostics = validateDefinition(parsed.definition, { file, locate: parsed.locate, knownProcesses, processKinds, law });
  if (diagnostics.length > 0) return { diagnostics };
  const definition = parsed.definition;
  return { loaded: { definition, hash: definitionHash(definition), file, source }, diagnostics };
}

/**
 * The folders under `processes/` that hold the authority's data, not definitions: the holiday
 * calendar, and the tariff of fees for each service (`tariffs/`, read by the licence types' catalogue).
 */
const DATA_FOLDERS = new Set(['calendar', 'tariffs']);

/** Every `*.yaml` definition file under a folder (the authority's data folders excluded). */
export function definitionFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!DATA_FOLDERS.has(name)) files.push(...definitionFiles(path));
    } else if (/\.ya?ml$/.test(name)) files.push(path);
  }
  return files;
}

/**
 * Loads every definition in a folder, checking cross-references between them, and, when the law is
 * given, that every rule and number cites it.
 * @throws DefinitionError listing every problem in every file.
 */
export function loadDefinitions(dir: string, law?: Law): LoadedDefinition[] {
  const files = definitionFiles(dir);
  const sources = files.map((file) => ({ file: relative(process.cwd(), file), source: readFileSync(file, 'utf8') }));
  const parsed = sources.flatMap(({ source, file }) => parseDefinition(source, file).definition ?? []);
  const ids = new Set(parsed.map((d) => d.id));
  const kinds = new Map(parsed.map((d) => [d.id, d.kind]));
  const loaded: LoadedDefinition[] = [];
  const problems: Diagnostic[] = [];
  for (const { file, source } of sources) {
    const result = checkSource(source, file, ids, kinds, law);
    if (result.loaded) loaded.push(result.loaded);
    problems.push(...result.diagnostics);
  }
  if (problems.length > 0) throw new DefinitionError(problems);
  return loaded;
}
