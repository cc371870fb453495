/**
 * `refresh`: re-reads the licence a lifecycle or standing process is about from the register, into
 * the `licence` fact: after a wait, it may have been renewed, suspended or revoked meanwhile.
 */
import { z } from 'zod';
import { StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const RefreshStep = z.object({
  type: z.literal('refresh'), ...stepBase,
  next: StepId.optional(),
}).strict();

export const refresh = defineStepKind({
  schema: RefreshStep,
  leadsOn: true,
  needsLicence: true,
  diagram: { label: { fa: 'خواندن دوباره پروانه', en: 're-read the licence' }, shape: 'exchange' },
});
