/**
 * Applications on the wire: the submission (the service's own schema, documented), the office's
 * view, the list and the citizen's tracking view.
 */
import { z } from 'zod';
import { ApplicantInput, ApplicationInput, LegalPersonInput } from '../../services/application-input.js';
import { lineOfText, paragraphText } from '../../services/free-text.js';
import { IsoDateTime, JalaliText, JsonObject, Title } from '../openapi/common.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';
import { DocumentMetadata } from './documents.js';
import { Licence } from './licences.js';
import { Task } from './tasks.js';

const APPLICATION_STATUSES = ['running', 'approved', 'rejected', 'withdrawn', 'failed'] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES).describe(
  'running until the process ends approved, rejected or withdrawn; or failed: a fault of the licence type\'s process definition (an expression it could not evaluate) ended it, through no fault of the applicant (reason `PROCESS_FAULT`)',
);

export const Applicant = requestSchema('Applicant', ApplicantInput.extend({
  nationalCode: ApplicantInput.shape.nationalCode.meta({
    description: 'The Iranian national code: 10 digits with a mod-11 check digit. Persian (۰–۹) and Arabic-Indic (٠–٩) digits are accepted and normalised.',
    examples: ['0012345679'],
  }),
  firstName: ApplicantInput.shape.firstName.meta({ description: 'Arabic ي/ك are normalised to Persian ی/ک.', examples: ['علی'] }),
  lastName: ApplicantInput.shape.lastName.meta({ examples: ['رضایی'] }),
  birthDate: ApplicantInput.shape.birthDate.meta({ description: 'Gregorian, ISO 8601 (YYYY-MM-DD).', examples: ['1985-12-11'] }),
  mobile: ApplicantInput.shape.mobile.meta({ description: 'Mobile number for SMS notices: 09XXXXXXXXX.' }),
  religionRecognised: ApplicantInput.shape.religionRecognised.meta({ description: 'Muslim or a member of an officially recognised religion (Art. 4).' }),
}).describe('The licence holder (natural person) as the portal describes them.'));

export const CentreManager = requestSchema('CentreManager', z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('holder').describe('The holder manages the centre himself (seed 002, Art. 5 note 3): he goes through the manager licence process himself.') }).strict(),
  z.object({
    kind: z.literal('nominee').describe('The holder names another person, who goes through the manager licence process.'),
    person: Applicant,
  }).strict(),
]).describe('Who is to manage the centre (مسئول مرکز): `{"kind": "holder"}` or `{"kind": "nominee", "person": {…}}`. Required by `welfare-services-centre` (from version 3, which refuses an application without it, `MANAGER_NOT_NAMED`): its activity licence is issued only once this person holds a centre manager licence.'));

export const LegalPerson = requestSchema('LegalPerson', LegalPersonInput.extend({
  nationalId: LegalPersonInput.shape.nationalId.meta({
    description: 'The legal person\'s national identifier (شناسه ملی): 11 digits with a check digit. Persian and Arabic-Indic digits are accepted and normalised.',
    examples: ['10380284790'],
  }),
  name: LegalPersonInput.shape.name.meta({ description: 'The registered name.', examples: ['مؤسسه نیکوکاری امید'] }),
}).describe('The legal person that is to hold the licence, when `holderType` is `legal` (and only then: with `natural` it is refused, 400 naming `legalPerson`). `welfare-services-centre` from version 4 requires it of a legal person (`LEGAL_PERSON_NOT_IDENTIFIED`) and counts the centres a legal person holds by its identifier (seed 002, Art. 8(5)).'));

export const ApplicationSubmission = requestSchema('ApplicationSubmission', ApplicationInput.extend({
  licenceType: ApplicationInput.shape.licenceType.meta({ description: 'A licence type id from `GET /v1/licence-types`.', examples: ['welfare-services-centre'] }),
  county: ApplicationInput.shape.county.meta({ description: 'The county whose office handles the application.', examples: ['ahvaz'] }),
  applicant: Applicant,
  legalPerson: LegalPerson.optional(),
  manager: CentreManager.optional(),
}).describe('A new application for a licence.'));

export const SubmittedApplication = responseSchema('SubmittedApplication', z.object({
  applicationId: z.uuid(),
  trackingCode: z.string().describe('The citizen\'s tracking code (کد پیگیری): `GET /v1/tracking/{code}`.'),
  licenceType: z.string(),
  definitionVersion: z.number().int().describe('The definition version this application is pinned to for its whole life.'),
  definitionHash: z.string().describe('sha256 of that definition.'),
}));

const nullableDate = IsoDateTime.nullable();

export const ApplicationRecord = responseSchema('ApplicationRecord', z.object({
  id: z.string().describe('A submitted application\'s UUID; a subprocess is `<parent>.<step>.<n>`, a licence\'s standing process `licence-<number>.<process>`.'),
  trackingCode: z.string(),
  licenceType: z.string(),
  definitionVersion: z.number().int(),
  definitionHash: z.string(),
  applicantNationalCode: z.string(),
  county: z.string(),
  province: z.string(),
  status: ApplicationStatus,
  currentStep: z.string().nullable(),
  outcomeReason: z.string().nullable().describe('The reason code the process ended with, e.g. `AGE_BELOW_MINIMUM`.'),
  facts: JsonObject.describe('The facts as submitted (applicant, application).'),
  submittedBy: z.string(),
  parentApplicationId: z.string().nullable().describe('For a licence change or a sub-process: the application it belongs to.'),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  endedAt: nullableDate,
}));

export const TimelineEvent = responseSchema('TimelineEvent', z.object({
  seq: z.number().int(),
  kind: z.string().describe('e.g. `step-entered`, `inquiry-sent`, `task-opened`, `licence-issued`, `application-approved`.'),
  stepId: z.string().nullable(),
  detail: JsonObject,
  occurredAt: IsoDateTime,
}));

export const Inquiry = responseSchema('Inquiry', z.object({
  id: z.string(),
  stepId: z.string(),
  registry: z.string(),
  subjectNationalCode: z.string(),
  purpose: z.unknown().describe('Why the registry is asked (a Persian and English text), if the definition says.'),
  requestedBy: z.string(),
  status: z.enum(['sent', 'accepted', 'answered', 'timed-out', 'late-answered']),
  deadlineAt: nullableDate,
  sentAt: IsoDateTime,
  answeredAt: nullableDate,
  answer: z.unknown().describe('The registry\'s answer, once given.'),
  late: z.boolean(),
}));

export const ApplicationView = responseSchema('ApplicationView', z.object({
  application: ApplicationRecord,
  timeline: z.array(TimelineEvent),
  tasks: z.array(Task),
  inquiries: z.array(Inquiry),
  licences: z.array(Licence),
  documents: z.array(DocumentMetadata).describe('Metadata only; the content is never returned.'),
}));

export const ApplicationList = responseSchema('ApplicationList', z.object({ items: z.array(ApplicationRecord) }));

export const ApplicationListQuery = z.object({
  status: ApplicationStatus.optional(),
  licenceType: z.string().regex(/^[a-z][a-z0-9-]*$/).optional().describe('Only applications for this licence type (or lifecycle process).'),
  limit: z.coerce.number().int().min(1).max(200).optional().describe('At most this many, newest first (default 50).'),
}).strict();

export const Withdrawal = requestSchema('Withdrawal', z.object({
  reason: paragraphText().trim().min(1).max(2000).describe('Why the applicant withdraws, as they said it.'),
}).strict());

export const WithdrawalRequested = responseSchema('WithdrawalRequested', z.object({
  applicationId: z.string(),
  status: z.literal('withdrawal-requested'),
}));

export const Tracking = responseSchema('Tracking', z.object({
  trackingCode: z.string(),
  licenceType: z.string(),
  licenceTypeTitle: Title.nullable(),
  status: ApplicationStatus,
  currentStep: z.string().nullable(),
  currentStepTitle: Title.nullable(),
  submittedAt: IsoDateTime,
  submittedAtJalali: JalaliText,
  updatedAt: IsoDateTime,
  updatedAtJalali: JalaliText,
}).describe('Where an application stands, for the citizen: no personal data.'));

export const ApplicationId = z.object({ applicationId: z.string().max(300).regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|licence-[A-Z0-9-]+\.[a-z][a-z0-9-]*)(\.[a-z][a-z0-9-]*\.\d+)*$/, 'an application id').describe('The application id returned on submission (or of a subprocess or standing process: `<parent>.<step>.<n>`, `licence-<number>.<process>`).') });
export const TrackingCode = z.object({ code: lineOfText().min(4).max(40).describe('The tracking code, e.g. `PRV-7K3M-Q9TD` (case and Persian digits are normalised).') });
export const ApplicationDocumentParams = ApplicationId.extend({
  documentId: z.uuid().describe('The document\'s id, from the application\'s `documents`.'),
});
