import { describe, expect, it } from 'vitest';
import { done, refused, sampleProcess } from '../test/support/step-kinds.js';
import { loadDefinitions } from './load.js';
import { planMigration, type MigrationVerdict } from './migration.js';
import type { ProcessDefinition } from './schema.js';

const shipped = loadDefinitions('processes');
const welfare = (version: number) => shipped.find((l) => l.definition.id === 'welfare-services-centre' && l.definition.version === version)!.definition;
const v1 = welfare(1);
const v2 = welfare(2);
const submitted = ['applicant', 'application'];

/** The next version of `definition`, with `edit` applied to a copy. */
function nextVersion(definition: ProcessDefinition, edit: (copy: ProcessDefinition) => void = () => undefined): ProcessDefinition {
  const copy = structuredClone(definition);
  copy.version += 1;
  edit(copy);
  return copy;
}

const refusalsOf = (verdict: MigrationVerdict) => (verdict.allowed ? [] : verdict.refusals.map((r) => `${r.reason}@${r.stepId ?? '-'}`));

const task = (next: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  type: 'task', role: 'county-office', due: { days: 3 }, late: 'rejected',
  outcomes: Object.fromEntries(Object.entries(next).map(([name, to]) => [name, { title: { fa: name, en: name }, next: to }])), ...extra,
});

describe('migrating a running application to a newer version', () => {
  it('moves a welfare-centre application waiting at its interview from v1 to v2 at the same step', () => {
    expect(planMigration({ pinned: v1, target: v2, currentSteps: ['initial-interview'], facts: [...submitted, 'civil', 'education'] }))
      .toEqual({ allowed: true, moves: [{ from: 'initial-interview', to: 'initial-interview' }], resumeAt: 'initial-interview' });
  });

  it('moves one waiting for the civil registry, so v2\'s identity rules judge its answer', () => {
    const verdict = planMigration({ pinned: v1, target: v2, currentSteps: ['civil-registry'], facts: submitted });
    expect(verdict).toMatchObject({ allowed: true, resumeAt: 'civil-registry' });
  });

  it('refuses a version that is not newer, and another process', () => {
    expect(refusalsOf(planMigration({ pinned: v2, target: v1, currentSteps: ['initial-interview'] }))).toEqual(['NOT_A_NEWER_VERSION@-']);
    expect(refusalsOf(planMigration({ pinned: v1, target: v1, currentSteps: ['initial-interview'] }))).toEqual(['NOT_A_NEWER_VERSION@-']);
    const other = nextVersion(v1, (d) => { d.id = 'another-centre'; });
    expect(refusalsOf(planMigration({ pinned: v1, target: other, currentSteps: ['initial-interview'] }))).toEqual(['OTHER_PROCESS@-']);
  });

  it('refuses a current step the target does not have, naming it, and takes a mapping to the renamed step', () => {
    const renamed = nextVersion(v2, (d) => {
      d.steps['county-interview'] = d.steps['initial-interview']!;
      delete d.steps['initial-interview'];
      for (const step of Object.values(d.steps)) if ('next' in step && step.next === 'initial-interview') step.next = 'county-interview';
    });
    const refusedVerdict = planMigration({ pinned: v1, target: renamed, currentSteps: ['initial-interview'] });
    expect(refusalsOf(refusedVerdict)).toEqual(['STEP_NOT_IN_TARGET@initial-interview']);
    expect(!refusedVerdict.allowed && refusedVerdict.refusals[0]!.message.en).toBe('step "initial-interview" does not exist in version 3; map it to a step that does');
    expect(!refusedVerdict.allowed && refusedVerdict.refusals[0]!.message.fa).toContain('initial-interview');

    expect(planMigration({ pinned: v1, target: renamed, currentSteps: ['initial-interview'], mapping: { 'initial-interview': 'county-interview' } }))
      .toMatchObject({ allowed: true, moves: [{ from: 'initial-interview', to: 'county-interview' }], resumeAt: 'county-interview' });
    expect(refusalsOf(planMigration({ pinned: v1, target: v2, currentSteps: ['initial-interview'], mapping: { 'initial-interview': 'no-such-step' } })))
      .toEqual(['STEP_NOT_IN_TARGET@initial-interview']);
  });

  it('refuses a mapping that names a step the application is not at', () => {
    expect(refusalsOf(planMigration({ pinned: v1, target: v2, currentSteps: ['initial-interview'], mapping: { 'site-visit': 'site-visit' } })))
      .toEqual(['MAPPING_NOT_CURRENT@site-visit']);
  });

  it('takes a task only to a task that offers every outcome the current one offers', () => {
    expect(refusalsOf(planMigration({ pinned: v1, target: v2, currentSteps: ['initial-interview'], mapping: { 'initial-interview': 'civil-registry' } })))
      .toEqual(['INCOMPATIBLE_STEP@initial-interview']);
    const fewer = nextVersion(v2, (d) => {
      const interview = d.steps['initial-interview'];
      if (interview?.type === 'task') delete interview.outcomes.reject;
    });
    const verdict = planMigration({ pinned: v1, target: fewer, currentSteps: ['initial-interview'] });
    expect(refusalsOf(verdict)).toEqual(['INCOMPATIBLE_STEP@initial-interview']);
    expect(!verdict.allowed && verdict.refusals[0]!.message.en).toContain('it does not offer the outcome reject');
    // More outcomes, another office: still a task to decide.
    const more = nextVersion(v2, (d) => {
      const interview = d.steps['initial-interview'];
      if (interview?.type === 'task') {
        interview.role = 'province-office';
        interview.outcomes.defer = { title: { fa: 'تعویق', en: 'defer' }, next: 'interview-overdue', requiresReason: false };
      }
    });
    expect(planMigration({ pinned: v1, target: more, currentSteps: ['initial-interview'] })).toMatchObject({ allowed: true });
  });

  it('takes an inquiry only to one of the same registry saving the same fact', () => {
    const other = nextVersion(v2, (d) => {
      const inquiry = d.steps['civil-registry'];
      if (inquiry?.type === 'inquire') inquiry.saveAs = 'identity';
    });
    expect(refusalsOf(planMigration({ pinned: v1, target: other, currentSteps: ['civil-registry'] }))).toEqual(['INCOMPATIBLE_STEP@civil-registry']);
  });

  it('refuses while the application is inside a parallel step, or at a step it does not wait at', () => {
    expect(refusalsOf(planMigration({ pinned: v1, target: v2, currentSteps: ['vetting', 'security-clearance', 'criminal-record'] })))
      .toEqual(['INSIDE_PARALLEL@vetting']);
    expect(refusalsOf(planMigration({ pinned: v1, target: v2, currentSteps: ['identity'] }))).toEqual(['STEP_NOT_MIGRATABLE@identity']);
    expect(refusalsOf(planMigration({ pinned: v1, target: v2, currentSteps: [] }))).toEqual(['NO_CURRENT_STEP@-']);
  });

  it('refuses a target step that lies only inside a parallel branch', () => {
    // criminal-record-overdue is a task reached only from a vetting branch; registry-unavailable is reached from the top level too.
    const verdict = planMigration({ pinned: v1, target: v2, currentSteps: ['registry-unavailable'], mapping: { 'registry-unavailable': 'criminal-record-overdue' } });
    expect(refusalsOf(verdict)).toEqual(['INSIDE_PARALLEL@registry-unavailable']);
    expect(planMigration({ pinned: v1, target: v2, currentSteps: ['registry-unavailable'] })).toMatchObject({ allowed: true });
  });

  it('flags a fact the target\'s later steps read that the application does not hold and no later step saves', () => {
    const pinned = sampleProcess({ review: task({ accept: 'done', reject: 'refused' }), done, refused, rejected: refused }).definition!;
    const target = sampleProcess({
      'ask-registry': {
        type: 'inquire', registry: 'civil-registry', subject: 'applicant.nationalCode', timeout: { days: 1 }, late: 'rejected', saveAs: 'civil', next: 'review',
      },
      review: task({ accept: 'judge', reject: 'refused' }),
      judge: { type: 'check', rules: [{ expr: 'civil.alive == true', reason: 'DECEASED', message: { fa: 'فوت', en: 'deceased' } }], next: 'done' },
      done, refused, rejected: refused,
    }, { version: 2 }).definition!;
    const verdict = planMigration({ pinned, target, currentSteps: ['review'], facts: submitted });
    expect(refusalsOf(verdict)).toEqual(['MISSING_FACT@judge']);
    expect(!verdict.allowed && verdict.refusals[0]!.message.en).toContain('civil.alive == true');
    // Held already, or asked for again from the migrated step on: nothing missing.
    expect(planMigration({ pinned, target, currentSteps: ['review'], facts: [...submitted, 'civil'] })).toMatchObject({ allowed: true });
    expect(planMigration({ pinned, target, currentSteps: ['review'], mapping: { review: 'review' }, facts: [...submitted, 'civil'] })).toMatchObject({ allowed: true });
    // Without the application's facts, the check is left to whoever has them (the workflow).
    expect(planMigration({ pinned, target, currentSteps: ['review'] })).toMatchObject({ allowed: true });
  });
});
