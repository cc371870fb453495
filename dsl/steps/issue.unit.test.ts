import { describe, expect, it } from 'vitest';
import { diagnostic, done, sampleProcess } from '../../test/support/step-kinds.js';

const permit = { licences: { permit: { title: { fa: 'پروانه', en: 'permit' }, validity: { months: 60 }, numberPrefix: 'SMP-P' } } };
const grant = { type: 'issue', licence: 'permit', next: 'done' };

describe('the issue step', () => {
  it('issues a licence the process declares, and leads on by next', () => {
    const sample = sampleProcess({ grant, done }, permit);
    expect(sample.codes).toEqual([]);
    expect(sample.edges('grant')).toEqual(['next:done']);
  });

  it('is drawn as a register entry', () => {
    expect(sampleProcess({ grant, done }, permit).diagram).toContain('s_grant[["صدور<br/>issue<br/><small>grant</small>"]]');
  });

  it('refuses a licence kind the process does not declare', () => {
    expect(sampleProcess({ grant, done }).codes).toEqual([diagnostic('unknown-licence')]);
  });

  it('supersedes only the licences standing on the same licence, so supersedes needs dependsOn', () => {
    expect(sampleProcess({ grant: { ...grant, supersedes: 'close' }, done }, permit).codes).toEqual([diagnostic('supersedes-without-depends-on')]);
    expect(sampleProcess({ grant: { ...grant, supersedes: 'revoke', dependsOn: 'licence.number' }, done }, permit).codes).toEqual([]);
  });

  it('refuses a dependsOn naming a fact the process never has, and a supersede action it does not know', () => {
    expect(sampleProcess({ grant: { ...grant, dependsOn: 'centre.number' }, done }, permit).codes).toEqual([diagnostic('invalid-expression')]);
    expect(sampleProcess({ grant: { ...grant, supersedes: 'suspend', dependsOn: 'licence.number' }, done }, permit).codes).toEqual([diagnostic('schema')]);
  });

  it('adopts the licences an expression names, which must parse and name known facts', () => {
    const adopting = { ...grant, adopts: 'licences["manager-licence"].number' };
    const sample = sampleProcess({ grant: adopting, done }, permit);
    expect(sample.codes).toEqual([]);
    expect(sample.definition!.steps.grant).toMatchObject({ adopts: 'licences["manager-licence"].number' });
    expect(sampleProcess({ grant: { ...grant, adopts: 'manager.licences' }, done }, permit).codes).toEqual([diagnostic('invalid-expression')]);
    expect(sampleProcess({ grant: { ...grant, adopts: 'licences[' }, done }, permit).codes).toEqual([diagnostic('invalid-expression')]);
  });
});
