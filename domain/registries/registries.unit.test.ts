/** Each registry's endpoint: the answers the sandbox gives validate, and a wrong one is named precisely. */
import { describe, expect, it } from 'vitest';
import { civilRegistry } from './civil-registry.js';
import { smsGateway } from '../messaging/sms.js';
import { checkAnswer, readReply, REGISTRIES } from './index.js';
import { socialInsurance } from './social-insurance.js';

const insured = { nationalCode: '0012345679', found: true, insured: true, workshopCode: '1410020011', insuredStaff: 7, paidThrough: '2026-03-31' };

describe('registries', () => {
  it('declares every registry (and the SMS gateway beside them) with a path, a mode and a title in Persian and English', () => {
    expect(Object.keys(REGISTRIES).sort()).toEqual([
      'addiction', 'civil-registry', 'criminal-record', 'higher-education', 'military-service', 'security-clearance', 'social-insurance',
    ]);
    for (const endpoint of [...Object.values(REGISTRIES), smsGateway]) {
      expect(endpoint.path).toBe(`/registries/${endpoint.name}/inquiries`);
      expect(endpoint.title.fa).toMatch(/[\u0600-\u06FF]/);
      expect(endpoint.title.en).not.toBe('');
    }
    expect(REGISTRIES['security-clearance']!.mode).toBe('async');
    expect(socialInsurance.mode).toBe('sync');
  });

  it('accepts a social-insurance answer for an insured person and for an unknown one', () => {
    expect(checkAnswer('social-insurance', insured)).toEqual({ ok: true, answer: insured });
    expect(checkAnswer('social-insurance', { nationalCode: '0012345678', found: false }).ok).toBe(true);
  });

  it('names the field of a social-insurance answer that is off its schema', () => {
    const result = checkAnswer('social-insurance', { ...insured, paidThrough: '1405/01/10', insuredStaff: 'seven' });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/at insuredStaff: .*number.*at paidThrough: must be a date like/s) });
  });

  it('says why a reply is malformed: cut short, for another inquiry, or off the schema', () => {
    const answered = JSON.stringify({ inquiryId: 'i-1', status: 'answered', answer: { nationalCode: '0012345679', found: false } });
    expect(readReply(civilRegistry, 'i-1', answered)).toEqual({ ok: true, reply: { status: 'answered', answer: { nationalCode: '0012345679', found: false } } });
    expect(readReply(civilRegistry, 'i-1', answered.slice(0, 30))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON, probably cut short \(30 bytes/) });
    expect(readReply(civilRegistry, 'i-2', answered)).toEqual({ ok: false, reason: 'the reply is for inquiry i-1, not i-2' });
    const wrongSex = JSON.stringify({ inquiryId: 'i-1', status: 'answered', answer: { nationalCode: '1', firstName: 'a', lastName: 'b', birthDate: '1990-01-01', sex: 'x', alive: true, citizenship: 'IR' } });
    expect(readReply(civilRegistry, 'i-1', wrongSex)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the answer does not match its schema at sex: /) });
    expect(readReply(civilRegistry, 'i-1', JSON.stringify({ inquiryId: 'i-1', status: 'accepted' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/answers at once/) });
  });
});
