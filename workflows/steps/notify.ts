/** Runs a `notify`: a portal notice through the outbox, or an SMS that may fail without harm. */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { SmsActivities } from '../../activities/sms.js';
import type { IssuedLicence } from '../../domain/workflow-interfaces/licence-process.js';
import { isoAt, now } from '../clock.js';
import { pokeOutbox } from '../outbox-poke.js';
import type { StepRunner } from './context.js';

export const runNotify: StepRunner<'notify'> = async (ctx, id, step) => {
  const key = ctx.entryKey(id);
  const licences = Object.values((ctx.state.facts.licences ?? {}) as Record<string, IssuedLicence>);
  const latest = licences[licences.length - 1];
  // A lifecycle process is about one licence; an application, about the licence it issued last.
  const about = (ctx.state.facts.licence as { number?: string } | undefined)?.number ?? latest?.number;
  if (step.channel === 'portal') {
    await ctx.db.enqueueNotification({
      dedupeKey: key, subject: about ?? ctx.applicationId, event: step.event,
      payload: { applicationId: ctx.applicationId, licenceType: ctx.definition.id, event: step.event, licence: latest ?? null, licenceNumber: about ?? null, occurredAt: isoAt(now()) },
    }, ctx.event('portal-notified', id, { event: step.event }));
    await pokeOutbox();
    return { next: step.next };
  }
  const applicant = (ctx.state.facts.applicant ?? {}) as Record<string, string>;
  const sms = proxyActivities<SmsActivities>({ startToCloseTimeout: '15s', retry: { maximumAttempts: 5, initialInterval: '2s' } });
  try {
    await sms.sendSms({ messageId: key, nationalCode: applicant.nationalCode ?? '', message: step.message?.fa ?? step.event });
    await ctx.db.recordEvent(ctx.event('sms-sent', id, { event: step.event }));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    // SMS is fire and forget: a failed message is recorded, the application goes on.
    await ctx.db.recordEvent(ctx.event('sms-failed', id, { event: step.event, error: error.cause?.message ?? error.message }));
  }
  return { next: step.next };
};
