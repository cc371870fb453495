/** `notify`: tells the portal (through the outbox) or the applicant (by SMS) of an event. */
import { z } from 'zod';
import { StepId, Text, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const NotifyStep = z.object({
  type: z.literal('notify'), ...stepBase,
  channel: z.enum(['portal', 'sms']),
  /** A stable event name the portal understands, e.g. `principle-agreement-issued`. */
  event: z.string().regex(/^[a-z][a-z0-9-]*$/),
  message: Text.optional(),
  next: StepId.optional(),
}).strict();

export const notify = defineStepKind({
  schema: NotifyStep,
  leadsOn: true,
  diagram: { label: { fa: 'اطلاع‌رسانی', en: 'notify' }, shape: 'box' },
});
