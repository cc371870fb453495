import { describe, expect, it } from 'vitest';
import { diagnostic, done, sampleProcess } from '../../test/support/step-kinds.js';

const tell = { type: 'notify', channel: 'portal', event: 'permit-issued', next: 'done' };

describe('the notify step', () => {
  it('tells the portal of an event, and leads on by next', () => {
    const sample = sampleProcess({ tell, done });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('tell')).toEqual(['next:done']);
    expect(sample.diagram).toContain('s_tell["اطلاع‌رسانی<br/>notify<br/><small>tell</small>"]');
  });

  it('texts the applicant by SMS, drawn under its own title', () => {
    const text = { ...tell, channel: 'sms', message: { fa: 'پروانه صادر شد', en: 'your permit is issued' }, title: { fa: 'پیامک صدور', en: 'issue SMS' } };
    const sample = sampleProcess({ tell: text, done });
    expect(sample.codes).toEqual([]);
    expect(sample.diagram).toContain('s_tell["پیامک صدور<br/>issue SMS<br/><small>tell</small>"]');
  });

  it('refuses a channel other than the portal and SMS, and an event name that is not kebab-case', () => {
    expect(sampleProcess({ tell: { ...tell, channel: 'email' }, done }).codes).toEqual([diagnostic('schema')]);
    expect(sampleProcess({ tell: { ...tell, event: 'Permit Issued' }, done }).codes).toEqual([diagnostic('schema')]);
  });

  it('refuses a notice that leads nowhere outside a parallel branch', () => {
    const { next: _next, ...last } = tell;
    expect(sampleProcess({ tell: last }).codes).toEqual([diagnostic('missing-next')]);
  });
});
