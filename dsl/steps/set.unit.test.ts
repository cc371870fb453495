import { describe, expect, it } from 'vitest';
import { diagnostic, done, sampleProcess } from '../../test/support/step-kinds.js';

const note = {
  type: 'set',
  facts: { quarter: { lastDay: 'quarterEnd(today)', due: 'addDays(quarterEnd(today), 30)' }, filed: 'false' },
  next: 'filing',
};
/** A later step that names what `note` sets. */
const filing = (expr: string) => ({ type: 'check', rules: [{ expr, reason: 'NOT_FILED', message: { fa: 'ثبت نشد', en: 'not filed' } }], next: 'done' });

describe('the set step', () => {
  it('saves facts, one expression or a record of them, that the steps after it may name', () => {
    const sample = sampleProcess({ note, filing: filing('quarter.due != "" && !filed'), done });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('note')).toEqual(['next:filing']);
    expect(sample.diagram).toContain('s_note["ثبت مقادیر<br/>set facts<br/><small>note</small>"]');
  });

  it('refuses a later expression naming a fact it does not set', () => {
    expect(sampleProcess({ note: { ...note, facts: { filed: 'false' } }, filing: filing('quarter.due != ""'), done }).codes).toEqual([diagnostic('invalid-expression')]);
  });

  it('refuses an expression that does not parse, in a fact or in a field of a record', () => {
    expect(sampleProcess({ note: { ...note, facts: { filed: 'today +' } }, filing: filing('today != ""'), done }).codes).toEqual([diagnostic('invalid-expression')]);
    expect(sampleProcess({ note: { ...note, facts: { quarter: { due: 'nothing.here' } } }, filing: filing('today != ""'), done }).codes).toEqual([diagnostic('invalid-expression')]);
  });

  it('refuses a fact name that is not camelCase, and a value that is not an expression', () => {
    expect(sampleProcess({ note: { ...note, facts: { 'filed-on': 'today' } }, filing: filing('true'), done }).codes).toEqual([diagnostic('schema')]);
    expect(sampleProcess({ note: { ...note, facts: { filed: 1 } }, filing: filing('true'), done }).codes).toEqual([diagnostic('schema')]);
  });

  it('does not wait: a loop of sets alone is refused', () => {
    const loop = { first: { type: 'set', facts: { a: '1' }, next: 'second' }, second: { type: 'set', facts: { b: '2' }, next: 'first' } };
    expect(sampleProcess(loop).codes).toEqual([diagnostic('cycle-without-wait')]);
  });
});
