/**
 * Reads a licence-process definition from YAML text: YAML syntax, then the schema. Every problem
 * is reported with the line and column it comes from, never as a bare exception.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic } from './diagnostics.js';
import { respell, type Respelling } from './respell.js';
import { ProcessDefinition } from './schema.js';
import { stepKinds } from './steps/index.js';

export type Path = (string | number)[];

/** Finds the source position of a path in the document; missing tails fall back to the nearest parent. */
export type Locator = (path: Path, opts?: { key?: boolean }) => { line: number; column: number };

export interface ParseResult {
  definition?: ProcessDefinition;
  diagnostics: Diagnostic[];
  locate: Locator;
  /** The raw document as plain data, even when the schema refused it (for the validator's hints). */
  raw: unknown;
  /** What was written in the language's first spelling and read in today's (`respell.ts`). */
  respelled: Respelling[];
}

/** Parses and schema-checks one definition. */
export function parseDefinition(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const locate = makeLocator(doc, lineCounter);
  const diagnostics: Diagnostic[] = [];

  for (const error of doc.errors) {
    const [pos] = error.linePos ?? [{ line: 1, col: 1 }];
    diagnostics.push({
      file, line: pos.line, column: pos.col, path: [],
      code: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
      message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    });
  }
  if (diagnostics.length > 0) return { diagnostics, locate, raw: undefined, respelled: [] };

  const { definition: raw, respelled } = respell<unknown>(doc.toJS());
  const parsed = ProcessDefinition.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(...fromSchemaIssue(issue, file, locate, raw));
    return { diagnostics, locate, raw, respelled };
  }
  return { definition: parsed.data, diagnostics, locate, raw, respelled };
}

function fromSchemaIssue(issue: z.core.$ZodIssue, file: string, locate: Locator, raw: unknown): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file, ...locate([...path, key], { key: true }), path: [...path, key], code: 'unknown-field',
      message: `${where}unknown field "${key}"`,
    }));
  }
  // A step's own type (`steps.<id>.type`), not a field's type deeper in it (a task outcome's field).
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'type' && path[0] === 'steps' && path.length <= 3) {
    return [{
      file, ...locate(path), path, code: 'unknown-step-type',
      message: `${where}unknown step type; expected one of ${stepKinds.map((kind) => kind.type).join(', ')}`,
    }];
  }
  const last = path[path.length - 1];
  if (issue.code === 'invalid_union' && typeof last === 'string' && ['due', 'timeout', 'delay', 'validity', 'after', 'within', 'resultsDue'].includes(last) && valueAt(raw, path) !== undefined) {
    return [{
      file, ...locate(path), path, code: 'schema',
      message: `${where}expected a deadline: one of { hours | workingHours | days | workingDays | months: <whole number> } or { date: YYYY/MM/DD }`,
    }];
  }
  const missing = (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) || (issue.code === 'invalid_union' && valueAt(raw, path) === undefined);
  return [{
    file, ...locate(path), path,
    code: missing ? 'missing-field' : 'schema',
    message: missing ? `${where}required field is missing` : `${where}${issue.message}`,
  }];
}

function makeLocator(doc: Document, lineCounter: LineCounter): Locator {
  return (path, opts = {}) => {
    let node: Node | null | undefined = doc.contents as Node | null;
    let keyNode: Node | undefined;
    let best: Node | undefined = node ?? undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value as Node | null;
        best = opts.key ? keyNode : (node ?? keyNode);
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment] as Node | undefined;
        if (!node) break;
        best = node;
      } else break;
    }
    const offset = best?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

/** The value at a path of the raw document, or undefined. */
function valueAt(raw: unknown, path: Path): unknown {
  let value = raw;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
  return value;
}
