/** A step's expression that cannot give its value is a typed fault that says where and why, and never a fact's value. */
import { describe, expect, it } from 'vitest';
import { evaluationProblem } from '../../dsl/expressions.js';
import { ExpressionFault, kindOf, nationalCodeOf, valueOf } from './evaluation.js';

const facts = {
  applicant: { nationalCode: '0012345679', firstName: 'علی', birthDate: '1985-12-11', age: 40 },
  application: { county: 'ahvaz' },
};

function faultOf(run: () => unknown): ExpressionFault {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionFault) return error;
    throw error;
  }
  throw new Error('no fault');
}

describe('a step\'s expression', () => {
  it('gives its value when it can be evaluated', () => {
    expect(valueOf(facts, 'civil-registry', 'subject', 'applicant.nationalCode')).toBe('0012345679');
    expect(nationalCodeOf(facts, 'civil-registry', 'subject', 'applicant.nationalCode')).toBe('0012345679');
  });

  it('is a fault naming the step, the field, the expression and the missing field when a fact lacks it', () => {
    const fault = faultOf(() => valueOf(facts, 'guardian-record', 'subject', 'applicant.guardian.nationalCode'));
    expect(fault).toMatchObject({ stepId: 'guardian-record', field: 'subject', expression: 'applicant.guardian.nationalCode', problem: 'No such key: guardian' });
    expect(fault.message).toBe('step guardian-record, subject: No such key: guardian');
  });

  it('is a fault when a national code it should give is not a string, saying of what kind it is instead', () => {
    expect(faultOf(() => nationalCodeOf(facts, 'claim', 'holder', 'applicant.age')).problem).toBe('gives a number, not a national code');
    expect(faultOf(() => nationalCodeOf(facts, 'claim', 'holder', '""')).problem).toBe('gives an empty string, not a national code');
  });

  it('tells a kind, never a value', () => {
    expect([null, [], 'x', {}, 1, true].map(kindOf)).toEqual(['null', 'a list', 'a string', 'a map', 'a number', 'a bool']);
  });
});

describe('what a fault may say of its problem', () => {
  it('keeps the first line and a key the expression names', () => {
    expect(evaluationProblem(new Error('No such key: found\n\n>    1 | civil.found\n               ^'), 'civil.found')).toBe('No such key: found');
    expect(evaluationProblem(new Error('no such overload: dyn<double> + int'), 'applicant.age + 1')).toBe('no such overload: dyn<double> + int');
  });

  it('leaves out the values of facts: a key looked up by value, a quoted string, a run of digits', () => {
    expect(evaluationProblem(new Error('No such key: 0012345679'), '{"a": 1}[applicant.nationalCode]')).toBe('No such key: …');
    expect(evaluationProblem(new Error('No such key: علی'), '{"a": 1}[applicant.firstName]')).toBe('No such key: …');
    expect(evaluationProblem(new Error('"1985-12-11x" is neither a date (YYYY-MM-DD) nor an ISO date-time'), 'addMonths(x, 1)'))
      .toBe('"…" is neither a date (YYYY-MM-DD) nor an ISO date-time');
    expect(evaluationProblem(new Error('value 0012345679 out of range'), 'int(applicant.nationalCode)')).toBe('value … out of range');
  });
});
