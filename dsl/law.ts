/**
 * The law as Parvaneh reads it: the rules of the sources (`law/rules.yaml`: an id, the seed, where
 * in it, a quote) and the numbers the authority sets that no seed gives (`law/assumptions.yaml`).
 * Process files cite them (`rule:` on a rule, `law:` and `assumptions:` on a step or a file);
 * `citationsOf` lists every citation of a definition, `checkCitations` refuses what cites nothing
 * or cites what is not there. Node-side only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { AssumptionId, RuleId, Text } from './primitives.js';
import type { Path } from './parse.js';
import type { ProcessDefinition } from './schema.js';
import { kindOf } from './steps/index.js';

export const SeedId = z.enum(['000', '001', '002', '003', '004']);
/** Where a rule is written: the seed, the place in it (article, clause, FAQ), and words copied from it. */
export const Source = z.object({ seed: SeedId, at: z.string().min(1), quote: z.string().min(1) }).strict();
export const LawRule = z.object({
  id: RuleId,
  source: Source,
  /** Other places that say the same. */
  also: z.array(Source).default([]),
  /** What the rule means for Parvaneh, in English. */
  says: z.string().min(1),
  /** The number the seed itself gives (72 hours, 25 years…): a step citing the rule needs no assumption for it. */
  sets: z.string().min(1).optional(),
  /** For a rule no process file carries out: the modules that do, relative to the repository. */
  carriedOutBy: z.array(z.string().min(1)).default([]),
  /**
   * A rule Parvaneh does not carry out yet, and why: shown as open in docs/rules.md. An open rule
   * has no citation and no test; a rule that is not open has both.
   */
  open: z.string().min(1).optional(),
}).strict();
export const Assumption = z.object({
  id: AssumptionId,
  /** The number, as the files use it. */
  value: z.string().min(1),
  /** Where it came from: public practice (and which), the call's guide, or invented. */
  from: z.string().min(1),
  /** What the seeds say, or leave unsaid, on the matter. */
  seedsSay: z.string().min(1).optional(),
  /** For a number no process file holds: the files that do, relative to the repository. */
  usedIn: z.array(z.string().min(1)).default([]),
}).strict();
export const RulesFile = z.object({
  sources: z.partialRecord(SeedId, z.object({ title: Text }).strict()),
  rules: z.array(LawRule),
}).strict();
export const AssumptionsFile = z.object({ assumptions: z.array(Assumption) }).strict();

export type LawRule = z.infer<typeof LawRule>;
export type Assumption = z.infer<typeof Assumption>;
export type Source = z.infer<typeof Source>;

export interface Law {
  sources: z.infer<typeof RulesFile>['sources'];
  rules: ReadonlyMap<string, LawRule>;
  assumptions: ReadonlyMap<string, Assumption>;
}

function byId<T extends { id: string }>(items: readonly T[], what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.id)) throw new Error(`${what} "${item.id}" is written twice`);
    map.set(item.id, item);
  }
  return map;
}

/** Reads `rules.yaml` and `assumptions.yaml` from a folder (`law/` by default). */
export function loadLaw(dir = 'law'): Law {
  const rules = RulesFile.parse(parse(readFileSync(join(dir, 'rules.yaml'), 'utf8')));
  const assumptions = AssumptionsFile.parse(parse(readFileSync(join(dir, 'assumptions.yaml'), 'utf8')));
  return { sources: rules.sources, rules: byId(rules.rules, 'rule'), assumptions: byId(assumptions.assumptions, 'assumption') };
}

/** One citation in a definition: what cites, where, and whether it is a rule or an assumption. */
export interface Citation {
  kind: 'rule' | 'assumption';
  id: string;
  path: Path;
  /** The step that cites it; absent for the file's own `assumptions`. */
  step?: string;
  /** The reason code a cited check or change rule refuses with. */
  reason?: string;
}

/** Every citation a definition makes, in file order. */
export function citationsOf(definition: ProcessDefinition): Citation[] {
  const found: Citation[] = [];
  definition.assumptions?.forEach((id, i) => found.push({ kind: 'assumption', id, path: ['assumptions', i] }));
  definition.change?.rules.forEach((rule, i) => {
    if (rule.rule) found.push({ kind: 'rule', id: rule.rule, path: ['change', 'rules', i, 'rule'], reason: rule.reason });
  });
  for (const [step, body] of Object.entries(definition.steps)) {
    const at = (...rest: Path): Path => ['steps', step, ...rest];
    body.law?.forEach((id, i) => found.push({ kind: 'rule', id, path: at('law', i), step }));
    body.assumptions?.forEach((id, i) => found.push({ kind: 'assumption', id, path: at('assumptions', i), step }));
    if (body.type === 'check') {
      body.rules.forEach((rule, i) => {
        if (rule.rule) found.push({ kind: 'rule', id: rule.rule, path: at('rules', i, 'rule'), step, reason: rule.reason });
      });
    }
    if (body.type === 'switch') {
      body.cases.forEach((c, i) => { if (c.rule) found.push({ kind: 'rule', id: c.rule, path: at('cases', i, 'rule'), step }); });
    }
  }
  return found;
}

type Report = (path: Path, code: string, message: string, key?: boolean) => void;

/**
 * The law's checks on a definition: every check rule and change rule names the rule of the law it
 * carries out; every deadline and every licence validity cites where its number comes from (a
 * rule, or an assumption the authority sets); every citation names a rule or an assumption that
 * is written in `law/`.
 */
export function checkCitations(definition: ProcessDefinition, law: Law, report: Report): void {
  for (const citation of citationsOf(definition)) {
    const known = citation.kind === 'rule' ? law.rules.has(citation.id) : law.assumptions.has(citation.id);
    if (!known) {
      report(citation.path, `unknown-${citation.kind}`, `${citation.kind} "${citation.id}" is not written in law/${citation.kind === 'rule' ? 'rules' : 'assumptions'}.yaml`);
    }
  }
  definition.change?.rules.forEach((rule, i) => {
    if (!rule.rule) report(['change', 'rules', i], 'rule-without-source', `change rule ${rule.reason} names no rule of the law (rule: <id> from law/rules.yaml)`);
  });
  for (const [id, step] of Object.entries(definition.steps)) {
    if (step.type === 'check') {
      step.rules.forEach((rule, i) => {
        if (!rule.rule) report(['steps', id, 'rules', i], 'rule-without-source', `step "${id}": rule ${rule.reason} names no rule of the law (rule: <id> from law/rules.yaml)`);
      });
    }
    const deadlines = (kindOf(step).deadlines?.(step) ?? []).filter(([, spec]) => spec !== undefined);
    const lawSetsIt = step.law?.some((rule) => law.rules.get(rule)?.sets !== undefined) ?? false;
    if (deadlines.length > 0 && !step.assumptions && !lawSetsIt) {
      report(['steps', id, 'type'], 'number-without-source', `step "${id}": its deadline (${deadlines.map(([path]) => path.join('.')).join(', ')}) cites neither an assumption (assumptions:) nor a rule that gives the number (law:)`);
    }
  }
  const numbered = Object.keys(definition.licences).length > 0 || definition.catalogue !== undefined || definition.call !== undefined;
  if (numbered && !definition.assumptions) {
    report(['id'], 'number-without-source', `${definition.id}: its licence validity, catalogue or call numbers cite no assumption (a top-level assumptions: list)`);
  }
}
