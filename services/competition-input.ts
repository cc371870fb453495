/** The shapes the portal sends for a competitive call: a registration, and the exam results. */
import { z } from 'zod';
import { ApplicantInput } from './application-input.js';
import { COUNTY_IDS } from './geography.js';

/** A registration in a call: who, for which county (hence which university), with which documents. */
export const CompetitionRegistrationInput = z.object({
  county: z.enum(COUNTY_IDS),
  applicant: ApplicantInput.omit({ religionRecognised: true }).extend({
    /** `official`: an official government employee (civil or military); `contract`: contract or temporary staff. */
    employment: z.enum(['none', 'contract', 'official']),
  }).strict(),
  /** Ids of the uploaded documents, as the call lists them, e.g. `national-id-card`. */
  documents: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).max(30),
}).strict();

export const ExamResultsInput = z.object({
  results: z.array(z.object({
    applicationId: z.string().min(1),
    score: z.number().min(0),
  }).strict()).min(1).max(10_000),
}).strict();

export type CompetitionRegistrationInput = z.infer<typeof CompetitionRegistrationInput>;
