import { describe, expect, it } from 'vitest';
import type { LateInquiry, RegistryAnswer } from '../../domain/workflow-interfaces/licence-process.js';
import { Mailbox } from './mailbox.js';

const inquiryId = 'app-1.security.1';
const answer = (cleared: boolean): RegistryAnswer => ({ inquiryId, registry: 'security-clearance', answer: { cleared }, answeredAt: '2026-03-01T08:00:00Z' });
const timedOut: LateInquiry = { inquiryId, stepId: 'security', saveAs: 'security', policy: 'apply' };

describe('the mailbox of registry answers', () => {
  it('holds an answer until its inquiry takes it, keeping the first of two deliveries', () => {
    const mailbox = new Mailbox();
    mailbox.receiveAnswer(answer(true));
    mailbox.receiveAnswer(answer(false));
    expect([...mailbox.answers.values()]).toEqual([answer(true)]);
    expect(mailbox.lateQueue).toEqual([]);
  });

  it('ignores an answer delivered again after its inquiry took it', () => {
    const mailbox = new Mailbox();
    mailbox.consumed.add(inquiryId);
    mailbox.receiveAnswer(answer(true));
    expect(mailbox.answers.size).toBe(0);
    expect(mailbox.lateQueue).toEqual([]);
  });

  it('queues an answer that comes after its inquiry timed out once, for its late-answer policy', () => {
    const mailbox = new Mailbox();
    mailbox.late.set(inquiryId, timedOut);
    mailbox.receiveAnswer(answer(true));
    mailbox.receiveAnswer(answer(false));
    expect(mailbox.lateQueue).toEqual([answer(true)]);
    expect(mailbox.answers.size).toBe(0);
    expect(mailbox.consumed.has(inquiryId)).toBe(true);
  });

  it('keeps answers to different inquiries apart', () => {
    const mailbox = new Mailbox();
    const other = { ...answer(false), inquiryId: 'app-1.criminal.1', registry: 'criminal-record' };
    mailbox.receiveAnswer(answer(true));
    mailbox.receiveAnswer(other);
    expect(mailbox.answers.get(inquiryId)).toEqual(answer(true));
    expect(mailbox.answers.get(other.inquiryId)).toEqual(other);
  });
});
