import { describe, expect, it } from 'vitest';
import { applicationOf, licenceNumberOf, type StepContext } from './context.js';

/** A step context with these facts: all the two readers below look at. */
const withFacts = (facts: Record<string, unknown>) => ({ state: { facts, seq: 0, entries: {} } }) as unknown as StepContext;

describe('what a step reads of its application', () => {
  it('reads the application\'s own facts, and none when the process was given none', () => {
    expect(applicationOf(withFacts({ application: { county: 'ahvaz', province: 'khuzestan' } }))).toEqual({ county: 'ahvaz', province: 'khuzestan' });
    expect(applicationOf(withFacts({}))).toEqual({});
  });

  it('reads the number of the licence a lifecycle or standing process is about', () => {
    expect(licenceNumberOf(withFacts({ licence: { number: 'WSC-AL-1405-000001', status: 'active' } }), 'renew')).toBe('WSC-AL-1405-000001');
  });

  it('refuses, naming the step, a licence step in a process about no licence', () => {
    expect(() => licenceNumberOf(withFacts({ licence: {} }), 'renew')).toThrow('step renew works on a licence, but the process names none');
    expect(() => licenceNumberOf(withFacts({}), 'renew')).toThrow(/^step renew /);
  });
});
