import { describe, expect, it } from 'vitest';
import { diagnostic, done, refused, sampleProcess } from '../../test/support/step-kinds.js';

const route = {
  type: 'switch',
  cases: [{ when: 'applicant.age >= 60', next: 'done' }, { when: 'applicant.age >= 30', next: 'refused' }],
  otherwise: 'refused',
};

describe('the switch step', () => {
  it('leads to each case in order, labelled with its condition, and to otherwise', () => {
    const sample = sampleProcess({ route, done, refused });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('route')).toEqual(['case:done', 'case:refused', 'otherwise:refused']);
  });

  it('is drawn as a decision, its conditions written safely on its edges', () => {
    const { diagram } = sampleProcess({ route, done, refused });
    expect(diagram).toContain('s_route{"انتخاب مسیر<br/>route<br/><small>route</small>"}');
    expect(diagram).toContain('s_route -->|"applicant.age #gt;= 60<br/>applicant.age #gt;= 60"| s_done');
    expect(diagram).toContain('s_route -->|"در غیر این صورت<br/>otherwise"| s_refused');
  });

  it('refuses a switch without otherwise: an application matching no case would stop', () => {
    const { otherwise: _otherwise, ...open } = route;
    expect(sampleProcess({ route: open, done, refused }).codes).toEqual([diagnostic('unhandled-outcome')]);
  });

  it('refuses a switch with no case, and a case whose condition does not parse', () => {
    expect(sampleProcess({ route: { ...route, cases: [] }, done, refused }).codes).toEqual([diagnostic('schema')]);
    expect(sampleProcess({ route: { ...route, cases: [{ when: 'applicant.age >=', next: 'done' }] }, done, refused }).codes)
      .toEqual([diagnostic('invalid-expression')]);
  });

  it('has no next of its own: where it goes is its cases and otherwise', () => {
    expect(sampleProcess({ route: { ...route, next: 'done' }, done, refused }).codes).toEqual([diagnostic('unknown-field')]);
  });

  it('refuses a case or an otherwise that names no step', () => {
    expect(sampleProcess({ route: { ...route, otherwise: 'nowhere' }, done, refused }).codes).toEqual([diagnostic('unknown-step')]);
    const stray = { ...route, cases: [route.cases[0], { when: 'applicant.age >= 30', next: 'nowhere' }] };
    expect(sampleProcess({ route: stray, done, refused }).codes).toEqual([diagnostic('unknown-step')]);
  });
});
