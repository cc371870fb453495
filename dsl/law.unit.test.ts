import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diagnostic, done, refused } from '../test/support/step-kinds.js';
import { loadLaw, type Law, type LawRule } from './law.js';
import { buildLawTable, readSources, ruleTests, type RuleTest } from './law-table.js';
import { checkSource, definitionHash, loadDefinitions } from './load.js';

const law = loadLaw();

/** A one-file process validated against the real law. */
function cited(steps: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  const source = stringify({ id: 'sample', version: 1, effectiveFrom: '1404/01/01', title: { fa: 'نمونه', en: 'sample' }, start: Object.keys(steps)[0], ...fields, steps });
  const { loaded, diagnostics } = checkSource(source, 'sample.yaml', new Set(), new Map(), law);
  return { loaded, codes: diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`), messages: diagnostics.map((d) => d.message) };
}
const ageRule = { expr: 'applicant.age >= 25', reason: 'AGE_BELOW_MINIMUM', message: { fa: 'سن کم', en: 'under age' } };
const interview = (extra: Record<string, unknown>) => ({
  type: 'task', role: 'county-office', scope: 'applicant-county', due: { workingDays: 3 },
  outcomes: { accept: { title: { fa: 'پذیرش', en: 'accept' }, next: 'done' } }, late: 'refused', ...extra,
});

describe('the law of the process files', () => {
  it('holds every rule of seeds 000–004 with a quote found in its source, carried out and proved by a named test, and every assumption cited', () => {
    const table = buildLawTable({ law, definitions: loadDefinitions('processes', law), tests: ruleTests('.'), sources: readSources() });
    expect(table.problems).toEqual([]);
    expect(table.counts.rules).toBeGreaterThanOrEqual(44);
  });

  it('keeps docs/rules.md as npm run rules writes it', () => {
    const table = buildLawTable({ law, definitions: loadDefinitions('processes', law), tests: ruleTests('.'), sources: readSources() });
    expect(readFileSync('docs/rules.md', 'utf8'), 'docs/rules.md is stale: run npm run rules').toBe(table.markdown);
  });
});

describe('the validator and the law', () => {
  it('takes a rule that names its source, and a deadline that cites its assumption', () => {
    const sample = cited({
      eligible: { type: 'check', rules: [{ ...ageRule, rule: 'welfare.holder.age' }], next: 'interview' },
      interview: interview({ law: ['welfare.county.interview'], assumptions: ['welfare.interview.due'] }),
      done, refused,
    });
    expect(sample.codes).toEqual([]);
  });

  it('refuses a check rule or a change rule without a source, and a rule or an assumption that law/ does not write', () => {
    const sample = cited({
      eligible: { type: 'check', rules: [ageRule, { ...ageRule, expr: 'applicant.age < 90', rule: 'welfare.holder.youth' }], next: 'interview' },
      interview: interview({ assumptions: ['welfare.interview.soon'] }),
      done, refused,
    });
    expect(sample.codes).toEqual([diagnostic('rule-without-source'), diagnostic('unknown-rule'), diagnostic('unknown-assumption')]);
    expect(sample.messages[0]).toContain('rule AGE_BELOW_MINIMUM names no rule of the law');
  });

  it('refuses a deadline that cites no assumption, unless it cites the rule that gives the number (72 hours of FAQ 14)', () => {
    expect(cited({ interview: interview({ law: ['welfare.county.interview'] }), done, refused }).codes).toEqual([diagnostic('number-without-source')]);
    expect(cited({ interview: interview({ law: ['health.review.result-in-72-hours'] }), done, refused }).codes).toEqual([]);
  });

  it('refuses a licence validity that cites no assumption', () => {
    const licences = { permit: { title: { fa: 'مجوز', en: 'permit' }, validity: { months: 12 }, numberPrefix: 'PRM' } };
    const withoutSource = cited({ first: done }, { licences });
    expect(withoutSource.codes).toEqual([diagnostic('number-without-source')]);
    expect(cited({ first: done }, { licences, assumptions: ['welfare.activity-licence.validity'] }).codes).toEqual([]);
  });

  it('refuses a reason no application can be given: a rule that always holds, or one that repeats an earlier rule of its step', () => {
    const always = cited({ eligible: { type: 'check', rules: [{ ...ageRule, expr: 'true', rule: 'welfare.holder.age' }], next: 'done' }, done });
    expect(always.codes).toEqual([diagnostic('unreachable-reason')]);
    const twice = cited({ eligible: { type: 'check', rules: [{ ...ageRule, rule: 'welfare.holder.age' }, { ...ageRule, reason: 'TOO_YOUNG', rule: 'welfare.holder.age' }], next: 'done' }, done });
    expect(twice.codes).toEqual([diagnostic('unreachable-reason')]);
    expect(twice.messages[0]).toContain('rule TOO_YOUNG repeats rule AGE_BELOW_MINIMUM');
  });

  it('leaves citations out of the content hash: citing a source is not a new version, changing what runs is', () => {
    const plain = cited({ eligible: { type: 'check', rules: [{ ...ageRule, rule: 'welfare.holder.age' }], next: 'interview' }, interview: interview({ assumptions: ['welfare.interview.due'] }), done, refused });
    const recited = cited({ eligible: { type: 'check', rules: [{ ...ageRule, rule: 'welfare.holder.identity' }], next: 'interview' }, interview: interview({ assumptions: ['welfare.province-decision.due'], law: ['welfare.county.interview'] }), done, refused });
    const changed = cited({ eligible: { type: 'check', rules: [{ ...ageRule, expr: 'applicant.age >= 26', rule: 'welfare.holder.age' }], next: 'interview' }, interview: interview({ assumptions: ['welfare.interview.due'] }), done, refused });
    expect(definitionHash(recited.loaded!.definition)).toBe(definitionHash(plain.loaded!.definition));
    expect(definitionHash(changed.loaded!.definition)).not.toBe(definitionHash(plain.loaded!.definition));
  });
});

describe('the table of the law', () => {
  const rule = (id: string, quote: string, extra: Partial<LawRule> = {}): LawRule => ({ id, source: { seed: '002', at: 'Art. 4(a)', quote }, also: [], says: id, carriedOutBy: ['dsl/law.ts'], ...extra });
  const small = (rules: LawRule[]): Law => ({ sources: { '002': { title: { fa: 'دستورالعمل', en: 'instruction' } } }, rules: new Map(rules.map((r) => [r.id, r])), assumptions: new Map() });
  const sources = { '002': 'الف- شرایط عمومی\n\nØ دارا بودن حداقل ۲۵ سال   سن' };
  const tests: RuleTest[] = [{ file: 'a.test.ts', title: 'refuses the young §x.age', rules: ['x.age'] }];

  it('finds a quote in its source across spacing and zero-width non-joiners, and refuses one that is not there', () => {
    expect(buildLawTable({ law: small([rule('x.age', 'دارا\u200cبودن حداقل ۲۵ سال سن'.replace('\u200c', ' '))]), definitions: [], tests, sources }).problems).toEqual([]);
    expect(buildLawTable({ law: small([rule('x.age', 'حداقل ۳۰ سال سن')]), definitions: [], tests, sources }).problems)
      .toEqual(['x.age: the quote "حداقل ۳۰ سال سن" is not in source 002 (Art. 4(a))']);
  });

  it('refuses a rule no test names, a test naming an unwritten rule, a rule nobody carries out, and an open rule that is carried out', () => {
    const problems = buildLawTable({
      law: small([rule('x.age', 'سال سن'), rule('x.sex', 'سن', { carriedOutBy: [] }), rule('x.open', 'سن', { open: 'not yet' })]),
      definitions: [], sources,
      tests: [...tests, { file: 'b.test.ts', title: '§x.agee', rules: ['x.agee'] }, { file: 'c.test.ts', title: '§x.open', rules: ['x.open'] }],
    }).problems;
    expect(problems).toEqual([
      'b.test.ts: "§x.agee" names §x.agee, which law/rules.yaml does not write',
      'x.sex: no test names it (§x.sex in a test\'s title)',
      'x.sex: no process file cites it and no module is named as carrying it out',
      'x.open: marked open, yet carried out or tested: remove "open"',
    ]);
  });

  it('reads the rules a test title names, in it, test and describe calls', () => {
    const found = ruleTests('dsl', ['law.unit.test.ts']).filter((t) => t.file === 'law.unit.test.ts');
    expect(found).toEqual([]);
    const named = ruleTests('test', ['welfare-centre.test.ts']);
    expect(named.find((t) => t.rules.includes('welfare.holder.age'))?.title).toContain('aged 24');
  });
});
