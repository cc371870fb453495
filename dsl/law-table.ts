/**
 * The table of the law (`docs/rules.md`, written by `npm run rules`): each rule of the sources
 * with its quote, the process files and steps that carry it out, the reason codes it refuses with
 * and the tests that prove it; then the assumptions apart. Building it also finds what is wrong: a
 * quote that is not in its source, a rule no process and no module carries out, a rule no test
 * names, a test naming a rule that is not written, an assumption nobody cites.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { citationsOf, type Law, type LawRule, type Source } from './law.js';
import type { LoadedDefinition } from './load.js';

/** A test (or a `describe` around tests) whose title names rules: `§welfare.holder.age`. */
export interface RuleTest { file: string; title: string; rules: string[] }

const RULE_MENTION = /§([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)/g;
const TITLE = /\b(?:it|test|describe)(?:\.(?:skip|only|concurrent|sequential|each\([^)]*\)))*\(\s*(['"`])((?:\\.|(?!\1)[\s\S])*?)\1/g;

/** Every `*.test.ts` under a folder (dependencies, tools and data left out). */
export function testFiles(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (['node_modules', '.tools', '.data', '.git'].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...testFiles(root, path));
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

/** The titles of tests and groups that name rules, in each file's order. */
export function ruleTests(root: string, files = testFiles(root)): RuleTest[] {
  const found: RuleTest[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(TITLE)) {
      const title = match[2]!.replace(/\\(.)/g, '$1');
      const rules = [...title.matchAll(RULE_MENTION)].map((m) => m[1]!);
      if (rules.length > 0) found.push({ file, title, rules });
    }
  }
  return found;
}

/** The words of a source as a quote is compared with them: no zero-width non-joiners, one space. */
export function plainWords(text: string): string {
  return text.replace(/[\u200c\u200f\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

interface Place { process: string; version: number; file: string; steps: Set<string>; reasons: Set<string> }

export interface LawTable {
  markdown: string;
  problems: string[];
  counts: { rules: number; open: number; assumptions: number; tests: number; seedNumbers: number };
}

export function buildLawTable(input: {
  law: Law;
  definitions: readonly LoadedDefinition[];
  tests: readonly RuleTest[];
  /** The text of each source, by seed id. */
  sources: Readonly<Record<string, string>>;
  /** Whether a module a rule names in `carriedOutBy` exists. */
  exists?: (path: string) => boolean;
}): LawTable {
  const { law, definitions, tests, sources } = input;
  const exists = input.exists ?? existsSync;
  const problems: string[] = [];

  const quoteOk = (rule: LawRule, source: Source) => {
    const text = sources[source.seed];
    if (text === undefined) problems.push(`${rule.id}: source ${source.seed} is not in law/sources`);
    else if (!plainWords(text).includes(plainWords(source.quote))) problems.push(`${rule.id}: the quote "${source.quote}" is not in source ${source.seed} (${source.at})`);
  };
  for (const rule of law.rules.values()) [rule.source, ...rule.also].forEach((s) => quoteOk(rule, s));

  // Where each rule and assumption is cited: per process, its newest version first.
  const newest = new Map<string, number>();
  for (const { definition: d } of definitions) newest.set(d.id, Math.max(newest.get(d.id) ?? 0, d.version));
  const places = new Map<string, Place[]>();
  for (const { definition: d, file } of [...definitions].sort((a, b) => a.definition.id.localeCompare(b.definition.id) || b.definition.version - a.definition.version)) {
    for (const c of citationsOf(d)) {
      const list = places.get(c.id) ?? [];
      let place = list.find((p) => p.process === d.id && p.version === d.version);
      if (!place) list.push(place = { process: d.id, version: d.version, file, steps: new Set(), reasons: new Set() });
      place.steps.add(c.step ?? (c.path[0] === 'change' ? '(change)' : '(file)'));
      if (c.reason) place.reasons.add(c.reason);
      places.set(c.id, list);
    }
  }
  const testsOf = new Map<string, RuleTest[]>();
  for (const test of tests) {
    for (const id of new Set(test.rules)) {
      if (!law.rules.has(id)) problems.push(`${test.file}: "${test.title}" names §${id}, which law/rules.yaml does not write`);
      testsOf.set(id, [...(testsOf.get(id) ?? []), test]);
    }
  }
  for (const rule of law.rules.values()) {
    if (rule.open !== undefined) {
      if (testsOf.has(rule.id) || places.has(rule.id) || rule.carriedOutBy.length > 0) problems.push(`${rule.id}: marked open, yet carried out or tested: remove "open"`);
      continue;
    }
    if (!testsOf.has(rule.id)) problems.push(`${rule.id}: no test names it (§${rule.id} in a test's title)`);
    if (!places.has(rule.id) && rule.carriedOutBy.length === 0) problems.push(`${rule.id}: no process file cites it and no module is named as carrying it out`);
    for (const path of rule.carriedOutBy) if (!exists(path)) problems.push(`${rule.id}: carriedOutBy names ${path}, which does not exist`);
  }
  for (const assumption of law.assumptions.values()) {
    if (!places.has(assumption.id) && assumption.usedIn.length === 0) problems.push(`${assumption.id}: no process file cites this assumption and no file is named as using it`);
    for (const path of assumption.usedIn) if (!exists(path)) problems.push(`${assumption.id}: usedIn names ${path}, which does not exist`);
  }

  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const where = (id: string, fallback: readonly string[]) => {
    const list = places.get(id) ?? [];
    const current = list.filter((p) => newest.get(p.process) === p.version);
    const older = list.filter((p) => newest.get(p.process) !== p.version);
    const lines = current.map((p) => `${p.process} v${p.version} (${p.file}): ${[...p.steps].join(', ')}`);
    const olderByProcess = new Map<string, number[]>();
    for (const p of older) olderByProcess.set(p.process, [...(olderByProcess.get(p.process) ?? []), p.version]);
    for (const [process, versions] of olderByProcess) lines.push(`earlier: ${process} ${versions.sort((a, b) => a - b).map((v) => `v${v}`).join(', ')}`);
    lines.push(...fallback.map((path) => `\`${path}\``));
    return lines.map(cell).join('<br>');
  };
  const reasonsOf = (id: string) => [...new Set((places.get(id) ?? []).filter((p) => newest.get(p.process) === p.version).flatMap((p) => [...p.reasons]))].sort();

  const rules = [...law.rules.values()];
  const lines: string[] = [
    '# The law, rule by rule',
    '',
    '<!-- Written by `npm run rules` from law/rules.yaml, law/assumptions.yaml, the process files and the tests. Do not edit: change those and run it again. -->',
    '',
    `${rules.length} rules of the sources (seeds 000–004, in \`law/sources/\`), ${rules.filter((r) => r.sets).length} of them giving a number, ${rules.filter((r) => r.open).length} still open; ` +
      `${law.assumptions.size} numbers the authority sets (assumptions); ${tests.length} tests name the rules they prove.`,
    '',
    'Each rule: its id (cited by process files as `rule:` or `law:`, and by tests as `§id` in their titles), its source with the words quoted from it, where it is carried out (the newest version of each process first; older versions that still run are listed after), the reason codes an application is refused with, and the tests that prove it. A number not in the sources is not a rule: it is in the assumptions at the end.',
    '',
  ];
  for (const [seed, { title }] of Object.entries(law.sources)) {
    const ofSeed = rules.filter((r) => r.source.seed === seed);
    const alsoHere = rules.filter((r) => r.source.seed !== seed && r.also.some((a) => a.seed === seed));
    lines.push(`## Seed ${seed}: ${title.en}`, '', `${title.fa}`, '');
    if (ofSeed.length === 0 && alsoHere.length === 0) {
      lines.push('No rule: the text introduces the service and its goals; nothing in it binds a process.', '');
      continue;
    }
    if (alsoHere.length > 0) lines.push(`Also cited from this source: ${alsoHere.map((r) => `\`${r.id}\``).join(', ')}.`, '');
    if (ofSeed.length === 0) continue;
    lines.push('| rule | source | carried out in | refuses with | tests |', '| --- | --- | --- | --- | --- |');
    for (const rule of ofSeed) {
      const quoted = [rule.source, ...rule.also].map((s) => `${s.seed === seed ? '' : `seed ${s.seed} `}${s.at}: «${s.quote}»`).join('<br>');
      const proof = (testsOf.get(rule.id) ?? []).map((t) => `${t.file}: ${t.title}`);
      const carried = rule.open !== undefined ? `**open**: ${cell(rule.open)}` : where(rule.id, rule.carriedOutBy);
      lines.push(`| \`${rule.id}\`<br>${cell(rule.says)}${rule.sets ? `<br>the seed's number: ${cell(rule.sets)}` : ''} | ${cell(quoted)} | ${carried} | ${reasonsOf(rule.id).join(', ')} | ${proof.map(cell).join('<br>') || '**none**'} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Assumptions: numbers the authority sets',
    '',
    'Not in the sources: each is cited where it is used (`assumptions:` on a step or a file), so the authority can find and change it (a new version of the files that cite it).',
    '',
    '| assumption | value | where it came from | what the sources say | cited in |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const a of law.assumptions.values()) {
    lines.push(`| \`${a.id}\` | ${cell(a.value)} | ${cell(a.from)} | ${cell(a.seedsSay ?? '')} | ${where(a.id, a.usedIn)} |`);
  }
  lines.push('');
  return {
    markdown: lines.join('\n'),
    problems,
    counts: { rules: rules.length, open: rules.filter((r) => r.open).length, assumptions: law.assumptions.size, tests: tests.length, seedNumbers: rules.filter((r) => r.sets).length },
  };
}

/** The sources' texts from `law/sources/<seed>.txt`. */
export function readSources(dir = 'law/sources'): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => /^\d{3}\.txt$/.test(f)).map((f) => [f.slice(0, 3), readFileSync(join(dir, f), 'utf8')]));
}
