/**
 * Examples for the OpenAPI document. Request examples work as they are against the sandbox
 * (`npm start`): the applicant is fixture person 0012345679 (a man of 40, clear everywhere).
 * Response examples are checked against their schemas when the document is built.
 */

const APPLICATION_ID = '3f1c2a9e-8d4b-4c61-9b7e-2a5d6f0c8e11';
const TRACKING_CODE = 'PRV-7K3M-Q9TD';
const DEFINITION_HASH = 'b5e0c3a5f7d1e2c4b6a8d0f2e4c6b8a0d2f4e6c8b0a2d4f6e8c0b2a4d6f8e0c2';
const TITLE = { fa: 'مرکز خدمات بهزیستی (مثبت زندگی)', en: 'Welfare Services Centre ("Mosbat-e Zendegi")' };
const LICENCE_NUMBER = 'WSC-AL-1405-000001';

/**
 * The birth date the sandbox's civil registry records for 0012345679 (40 at Nowruz 1405): his alone
 * does not move with the sandbox clock, so the example matches the record, as it must, on any day.
 */
export const FIXTURE_BIRTH_DATE = '1985-12-11';

export const applicationSubmission = {
  licenceType: 'welfare-services-centre',
  county: 'ahvaz',
  applicant: {
    nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی', birthDate: FIXTURE_BIRTH_DATE, sex: 'male' as const, religionRecognised: true,
  },
  // He holds a master's in social work: he may manage the centre himself (seed 002, Art. 5 note 3).
  manager: { kind: 'holder' as const },
};

export const submittedApplication = {
  applicationId: APPLICATION_ID, trackingCode: TRACKING_CODE, licenceType: 'welfare-services-centre', definitionVersion: 1, definitionHash: DEFINITION_HASH,
};

export const applicationRecord = {
  id: APPLICATION_ID, trackingCode: TRACKING_CODE, licenceType: 'welfare-services-centre', definitionVersion: 1, definitionHash: DEFINITION_HASH,
  applicantNationalCode: '0012345679', county: 'ahvaz', province: 'khuzestan', status: 'running', currentStep: 'initial-interview',
  outcomeReason: null, facts: { applicant: applicationSubmission.applicant, application: { id: APPLICATION_ID, county: 'ahvaz', province: 'khuzestan' } },
  submittedBy: 'portal', parentApplicationId: null,
  createdAt: '2026-04-05T06:30:00.000Z', updatedAt: '2026-04-05T06:30:02.000Z', endedAt: null,
};

const interviewOutcomes = [
  { name: 'accept', title: { fa: 'تایید', en: 'accept' }, requiresReason: false },
  { name: 'reject', title: { fa: 'رد', en: 'reject' }, requiresReason: true },
];

export const task = {
  id: `${APPLICATION_ID}.initial-interview.1`, applicationId: APPLICATION_ID, licenceType: 'welfare-services-centre',
  applicant: { firstName: 'علی', lastName: 'رضایی' }, stepId: 'initial-interview',
  title: { fa: 'مصاحبه اولیه و نیازسنجی شهرستان', en: 'county initial interview and needs assessment' },
  role: 'county-office', county: 'ahvaz', province: null, allowedOutcomes: interviewOutcomes, outcomes: interviewOutcomes, status: 'open',
  dueAt: '2026-04-08T16:00:00.000Z', dueAtJalali: '1405/01/19 19:30', dueInWorkingDays: 3, escalatedAt: null, outcome: null, reason: null, decidedBy: null, recorded: null, priority: null,
  createdAt: '2026-04-05T06:30:02.000Z', decidedAt: null,
};

export const licence = {
  number: LICENCE_NUMBER, kind: 'activity-licence', title: { fa: 'پروانه فعالیت', en: 'activity licence' },
  licenceType: 'welfare-services-centre', licenceTypeTitle: TITLE, applicationId: APPLICATION_ID,
  holderNationalCode: '0012345679', holderName: 'علی رضایی', county: 'ahvaz', province: 'khuzestan', status: 'active', valid: true,
  validFrom: '2026-05-10T07:00:00.000Z', validFromJalali: '1405/02/20', validUntil: '2031-05-10T07:00:00.000Z', validUntilJalali: '1410/02/20',
};

export const licenceDetail = {
  ...licence, verificationCode: '3FA94C0B17D2', parent: null,
  dependents: [{
    number: 'CM-1405-000007', kind: 'manager-licence', title: { fa: 'پروانه مسئول مرکز', en: 'centre manager licence' }, licenceType: 'centre-manager',
    county: 'ahvaz', status: 'active', valid: true, validUntil: '2031-05-10T07:00:00.000Z', validUntilJalali: '1410/02/20',
  }],
};

export const document = {
  id: '9a7b5c3d-1e2f-4a6b-8c0d-2e4f6a8b0c1d', applicationId: APPLICATION_ID, type: 'degree', fileName: 'degree.pdf', mediaType: 'application/pdf',
  size: 52, sha256: 'd1c1b9a06d2b0f7c1c7e5d6b8a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f', uploadedBy: 'portal', uploadedAt: '2026-04-05T06:31:00.000Z',
};

export const applicationView = {
  application: applicationRecord,
  timeline: [
    { seq: 1, kind: 'application-submitted', stepId: null, detail: {}, occurredAt: '2026-04-05T06:30:00.000Z' },
    { seq: 2, kind: 'task-opened', stepId: 'initial-interview', detail: { role: 'county-office' }, occurredAt: '2026-04-05T06:30:02.000Z' },
  ],
  tasks: [task],
  inquiries: [{
    id: `${APPLICATION_ID}.civil-registry.1`, stepId: 'civil-registry', registry: 'civil-registry', subjectNationalCode: '0012345679',
    purpose: { fa: 'احراز هویت متقاضی پروانه', en: 'identity of the licence applicant' }, requestedBy: 'welfare-services-centre',
    status: 'answered', deadlineAt: '2026-04-19T20:30:00.000Z', sentAt: '2026-04-05T06:30:00.500Z', answeredAt: '2026-04-05T06:30:00.900Z',
    answer: { found: true, alive: true, citizenship: 'IR' }, late: false,
  }],
  licences: [],
  documents: [document],
};

export const tracking = {
  trackingCode: TRACKING_CODE, licenceType: 'welfare-services-centre', licenceTypeTitle: TITLE, status: 'running',
  currentStep: 'initial-interview', currentStepTitle: task.title,
  submittedAt: '2026-04-05T06:30:00.000Z', submittedAtJalali: '1405/01/16 10:00', updatedAt: '2026-04-05T06:30:02.000Z', updatedAtJalali: '1405/01/16 10:00',
};

export const verification = {
  number: LICENCE_NUMBER, kind: 'activity-licence', title: licence.title, licenceType: { id: 'welfare-services-centre', title: TITLE },
  status: 'active', valid: true, validFrom: licence.validFrom, validFromJalali: licence.validFromJalali, validUntil: licence.validUntil,
  validUntilJalali: licence.validUntilJalali, holderName: 'ع*** ر***', county: { id: 'ahvaz', title: { fa: 'اهواز', en: 'Ahvaz' } },
  checkedAt: '2026-06-01T08:00:00.000Z', checkedAtJalali: '1405/03/11 11:30',
};

export const licenceChangeStarted = (change: string) => ({
  applicationId: '5b2e8f1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b', trackingCode: 'PRV-4N8R-W2XZ', licenceNumber: LICENCE_NUMBER, change, definitionVersion: 1,
});

export const dueProcess = {
  grounds: 'Staff insurance evidence not filed for two quarters',
  legalBasis: 'Art. 8 of the instruction of 1398/09/04; Art. 26 regulation',
  responseDays: 10,
};

/** A 2-month leave of the centre's manager, a written substitute named (Art. 8). */
export const managerLeave = {
  startDate: '2027-01-10', months: 2,
  substitute: { nationalCode: '0013579134', firstName: 'مریم', lastName: 'کریمی', birthDate: '1991-06-02', sex: 'female', religionRecognised: true },
};

export const offeredChange = {
  change: 'manager-leave', process: 'centre-manager-leave', title: { fa: 'مرخصی مسئول مرکز', en: 'leave of the centre manager' },
  startedBy: ['county-office', 'portal'], exclusive: false,
  input: {
    startDate: { type: 'date', optional: false },
    months: { type: 'integer', optional: false, min: 1, max: 60 },
    substitute: { type: 'person', optional: true },
    newManager: { type: 'person', optional: true },
  },
};

const CHECKLIST = [
  'welfare.standing.licence-displayed', 'welfare.standing.working-hours', 'welfare.standing.insurance',
  'welfare.standing.hygiene-safety', 'welfare.standing.staff-training', 'welfare.standing.signage',
].map((item) => item === 'welfare.standing.insurance'
  ? { item, result: 'fail' as const, note: 'Two staff members are not on the insured list' }
  : { item, result: 'pass' as const });

/** A county inspection that records each standing rule and finds the staff uninsured: the failed rule goes to the province by itself. */
export const supervision = {
  kind: 'inspection' as const, visitedOn: '2026-12-01', result: 'minor-violation' as const,
  findings: [{ code: 'staff-not-insured', description: 'Two staff members are not on the insured list' }],
  checklist: CHECKLIST,
};

export const supervisionRecord = {
  id: '7a1d3c5e-2b4f-4d6a-9c8e-1f3a5b7d9e0c', licenceNumber: LICENCE_NUMBER, kind: 'inspection', level: 'county', visitedOn: '2026-12-01',
  result: 'minor-violation', findings: supervision.findings, checklist: CHECKLIST, failedItems: ['welfare.standing.insurance'], source: null,
  opened: 'violation-report', changeApplicationId: 'c2b7e4a9-3f1d-4e8b-a6c5-9d0f2e7b1a34', recordedBy: 'county-office:ahvaz',
  recordedAt: '2026-12-01T09:30:00.000Z',
};

export const checklistItem = {
  id: 'welfare.standing.insurance', source: 'seed 002, Art. 8(6)', followedBy: 'centre-staff-insurance',
  title: {
    fa: 'همه کارکنان بر اساس قانون کار و تامین اجتماعی بیمه شده‌اند و مستندات فصلی به بهزیستی شهرستان ارائه شده است',
    en: 'every member of staff is insured under the labour and social-insurance laws, and the quarterly evidence was filed with the county',
  },
};

/**
 * A closure on 1414/01/01. Art. 8(11) wants at least 3 Jalali months' notice: accepted on any day
 * before 1413/10/01, the renewal window of a licence issued today included (the examples' test).
 */
export const closureNotice = { kind: 'temporary' as const, effectiveDate: '2035-03-21' };

/** Refusals by a change's rules (422 `change-refused`): the rule's reason code and message. */
export const refused = {
  closureTooShort: {
    reason: 'CLOSURE_NOTICE_TOO_SHORT', field: 'effectiveDate', detail: 'closure-notice refused: CLOSURE_NOTICE_TOO_SHORT',
    title: 'closure needs at least 3 months\' written notice', title_fa: 'اعلام تعطیلی باید دست‌کم سه ماه پیش باشد',
  },
  renewalTooEarly: {
    reason: 'RENEWAL_TOO_EARLY', detail: 'renewal refused: RENEWAL_TOO_EARLY',
    title: 'a renewal may be requested from 3 months before expiry', title_fa: 'درخواست تمدید از سه ماه پیش از پایان اعتبار پذیرفته می‌شود',
  },
  documentsMissing: {
    reason: 'DOCUMENTS_MISSING', field: 'documents', detail: 'outcome accept of initial-interview requires birth-certificate, national-id-card, photo; missing photo',
    title: 'the documents this decision needs are not attached: photo', title_fa: 'مدارک لازم برای این تصمیم پیوست نشده است: عکس',
  },
  notInForce: (change: string) => ({
    reason: 'LICENCE_NOT_IN_FORCE', detail: `${change} refused: LICENCE_NOT_IN_FORCE`,
    title: 'the licence\'s status does not allow this', title_fa: 'وضعیت پروانه اجازه این اقدام را نمی‌دهد',
  }),
};

/** A national supervisor's order moving an application to version 2 of its licence type. */
export const migrationOrder = {
  toVersion: 2,
  reason: 'Circular 1405/112 of the State Welfare Organisation: applications waiting at a step go on under version 2',
};

export const migration = {
  applicationId: APPLICATION_ID,
  from: { version: 1, hash: DEFINITION_HASH },
  to: { version: 2, hash: 'c8d1e4f7a0b3c6d9e2f5a8b1c4d7e0f3a6b9c2d5e8f1a4b7c0d3e6f9a2b5c8d1' },
  moves: [{ from: 'initial-interview', to: 'initial-interview' }],
  resumeAt: 'initial-interview',
  cancelledTasks: [`${APPLICATION_ID}.initial-interview.1`],
  reaskedInquiries: [],
};

/** A direct application for a licence another process starts (422 `application-refused`): the reason of its first check. */
export const applicationRefused = {
  reason: 'MANAGER_NEEDS_CENTRE', field: 'licenceType',
  detail: 'centre-manager is started by another process, which hands it centreLicence, nominatedBy, employedDuringCentreShift: MANAGER_NEEDS_CENTRE',
  title: 'a manager licence is issued only for a centre with a principle agreement or activity licence, whose holder introduces the manager',
  title_fa: 'پروانه مسئول مرکز فقط برای مرکزی صادر می‌شود که موافقت اصولی یا پروانه فعالیت دارد و صاحب امتیاز آن مسئول را معرفی کرده است',
};
export const migrationRefused = {
  reason: 'STEP_NOT_IN_TARGET', field: 'mapping',
  detail: 'step "initial-interview" does not exist in version 3; map it to a step that does',
  title: 'step "initial-interview" does not exist in version 3; map it to a step that does', title_fa: 'مرحله «initial-interview» در نسخه 3 وجود ندارد',
};

/** A tiny, real PDF. */
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

export const documentUpload = {
  type: 'degree' as const, fileName: 'degree.pdf', mediaType: 'application/pdf' as const, contentBase64: Buffer.from(PDF).toString('base64'),
};

export const registryCallback = {
  inquiryId: `${APPLICATION_ID}.criminal-record.1`, registry: 'criminal-record', nationalCode: '0012345679',
  answer: { status: 'clear' }, answeredAt: '2026-04-07T09:00:00.000Z',
};

export const jwks = {
  keys: [{
    kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', alg: 'ES256', use: 'sig',
  }],
};

export const MERMAID = 'flowchart TD\n  eligibility["applicant\'s general conditions"] --> civil-registry\n';

export const officeFigures = {
  scope: { role: 'county-office', county: 'ahvaz', province: 'khuzestan' },
  tasks: { open: 12, overdue: 2, escalated: 0 },
  steps: [{
    licenceType: 'welfare-services-centre', stepId: 'initial-interview', title: task.title,
    open: 7, overdue: 1, decided: 40, medianHours: 30.5, p90Hours: 70.25,
  }],
  inquiries: [{ registry: 'police-clearance', waiting: 3, late: 1, oldestSince: '2026-04-01T06:30:00.000Z' }],
  generatedAt: '2026-04-08T08:00:00.000Z',
};

export const callSummary = {
  id: 'health-services-office-call-1405', title: { fa: 'فراخوان دفاتر خدمات سلامت ۱۴۰۵', en: 'Health Services Office call 1405' },
  definitionVersion: 3, stage: 'exam', registrationOpensAt: '2026-11-21T20:30:00.000Z',
  registrationClosesAt: '2027-02-13T20:30:00.000Z', registrationClosesAtJalali: '1405/11/25 00:00', documentsDueAt: '2027-02-17T20:30:00.000Z', examRecordedAt: null,
  registrations: 2, byStatus: { eligible: 1, refused: 1 },
  universities: [
    { id: 'ahvaz-jundishapur', title: { fa: 'دانشگاه علوم پزشکی جندی‌شاپور اهواز', en: 'Ahvaz Jundishapur University of Medical Sciences' }, capacity: 3, registrations: 2 },
    { id: 'dezful', title: { fa: 'دانشگاه علوم پزشکی دزفول', en: 'Dezful University of Medical Sciences' }, capacity: 1, registrations: 0 },
  ],
};

export const callRegistrationLine = {
  applicationId: '0b6a3c1e-3f55-4c59-9a0e-4f2f7c1d2e11', trackingCode: 'PRV-7K2M-QX9D', university: 'ahvaz-jundishapur', status: 'eligible', reason: null,
  applicationStatus: 'running', outcomeReason: null, examScore: null, score: null, bonus: null, total: null, shortlistRank: null, finalRank: null, decidedBy: null,
  county: 'ahvaz', applicant: { firstName: 'علی', lastName: 'رضایی' }, registeredAt: '2026-12-02T07:00:00.000Z',
  documents: ['birth-certificate', 'degree', 'military-service-card', 'national-id-card', 'photo'], invited: false,
};

/** The first steps of the welfare services centre's graph (`getLicenceTypeGraph`). */
export const processGraph = {
  typeId: 'welfare-services-centre', version: 4, start: 'eligibility',
  nodes: [
    { id: 'eligibility', kind: 'check', shape: 'decision' as const, title: { fa: 'شرایط عمومی متقاضی', en: 'applicant\'s general conditions' }, detail: 'AGE_BELOW_MINIMUM, RELIGION_NOT_RECOGNISED', role: null },
    { id: 'civil-registry', kind: 'inquire', shape: 'exchange' as const, title: { fa: 'استعلام ثبت احوال', en: 'civil registry inquiry' }, detail: { fa: 'civil-registry · ۱۰ روز کاری', en: 'civil-registry · 10 working days' }, role: null },
    { id: 'initial-interview', kind: 'task', shape: 'box' as const, title: { fa: 'مصاحبه اولیه و نیازسنجی شهرستان', en: 'county initial interview and needs assessment' }, detail: { fa: 'county-office · ۳ روز کاری', en: 'county-office · 3 working days' }, role: 'task' as const },
    { id: 'registry-unavailable', kind: 'end', shape: 'ending' as const, title: { fa: 'پایان', en: 'end' }, detail: { fa: 'رد · REGISTRY_UNAVAILABLE', en: 'rejected · REGISTRY_UNAVAILABLE' }, role: 'finish' as const },
  ],
  edges: [
    { from: 'eligibility', to: 'civil-registry', label: null, kind: 'next' as const },
    { from: 'civil-registry', to: 'initial-interview', label: null, kind: 'next' as const },
    { from: 'civil-registry', to: 'registry-unavailable', label: { fa: 'پایان مهلت', en: 'timed out' }, kind: 'late' as const },
  ],
};
