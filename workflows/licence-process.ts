/**
 * The one generic workflow: interprets the licence-process definition it was started with
 * (pinned by content hash), answers the `state` query, takes decisions, registry answers and
 * withdrawals as signals, and continues as new when its history grows long.
 */
import {
  allHandlersFinished, CancellationScope, condition, continueAsNew, executeChild, isCancellation, patched, proxyActivities, proxyLocalActivities, setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DefinitionActivities } from '../activities/definitions.js';
import type { ProcessActivities } from '../activities/processes.js';
import type { Facts, Reckoning } from '../dsl/expressions.js';
import { respell } from '../dsl/respell.js';
import type { ProcessDefinition } from '../dsl/schema.js';
import { isoAt, now } from './clock.js';
import {
  decisionSignal, migrateUpdate, registryAnswerSignal, stateQuery, withdrawSignal, workflowIdFor,
  type IssuedLicence, type LicenceProcessInput, type ProcessResult, type ProcessState, type Withdrawal,
} from '../domain/workflow-interfaces/licence-process.js';
import { Interpreter, Mailbox, type Ending, type StandingLicence } from './interpreter.js';
import { Migrations } from './migration.js';
import { callVerdictSignal, type CallVerdict } from '../domain/workflow-interfaces/competition-process.js';
import { callIdOf, tellCall } from './steps/cohort.js';
import { pokeOutbox } from './outbox-poke.js';
import { DATABASE_RETRY, DEFAULT_HISTORY_LIMIT } from './activity-options.js';
import { Timeline } from './timeline.js';



/**
 * Since 1405/09 an expression's `today` and `applicant.age` are on the Tehran date and its month
 * counts are Jalali (issue 12, Art. 8(11) of seed 002). An application started before keeps the UTC
 * day and Gregorian months it started with, so its recorded history replays as it ran.
 */
const TEHRAN_JALALI_RECKONING = 'tehran-jalali-reckoning';

/**
 * Since issue 15 a run keeps its history lean: timeline events are written together (timeline.ts),
 * and a licence's standing processes are looked up and started by local activities, whose input
 * is not recorded, given their definition's hash alone. Decided once, at the start of each run; a
 * run recorded before replays as it ran.
 */
const LEAN_HISTORY = 'lean-history';

/**
 * Since 1405/09 a database write is never cancelled while it runs (timeline.ts, `whole`): a branch
 * cancelled meanwhile stops right after it. Decided once, at the start of each run; a run recorded
 * before replays as it ran.
 */
const WHOLE_WRITES = 'whole-writes';

export async function licenceProcess(input: LicenceProcessInput): Promise<ProcessResult> {
  const lean = patched(LEAN_HISTORY);
  const timeline = new Timeline(lean, patched(WHOLE_WRITES));
  const { applicationId, definitionHash, calendar } = input;
  // Started by its hash alone (a standing process of a lean run): looked up once, then carried on.
  const pinned = input.definition ?? await local.pinnedDefinition(definitionHash);
  // Pinned in whatever spelling the language had when the application started; run in today's.
  const definition = respell(pinned).definition;
  const resume = input.resume;
  const mailbox = new Mailbox();
  for (const d of resume?.decisions ?? []) mailbox.decisions.set(d.taskId, d);
  for (const a of resume?.answers ?? []) mailbox.answers.set(a.inquiryId, a);
  for (const l of resume?.lateInquiries ?? []) mailbox.late.set(l.inquiryId, l);
  const state = { facts: resume?.facts ?? (JSON.parse(JSON.stringify(input.facts)) as Facts), seq: resume?.seq ?? 0, entries: resume?.entries ?? {} };
  const runs = (resume?.runs ?? 0) + 1;
  const reckoning: Reckoning = resume ? (resume.reckoning ?? 'utc-gregorian') : patched(TEHRAN_JALALI_RECKONING) ? 'tehran-jalali' : 'utc-gregorian';
  let withdrawal: Withdrawal | undefined;
  /** A competitive call's refusal that reached the application away from its cohort step (e.g. LATE_DOCUMENTS). */
  let refusal: CallVerdict | undefined;
  let ending: Ending | undefined;
  const main = new CancellationScope();

  // The first decision on a task stands; a second officer's concurrent decision is ignored.
  setHandler(decisionSignal, (decision) => { if (!mailbox.decisions.has(decision.taskId)) mailbox.decisions.set(decision.taskId, decision); });
  setHandler(registryAnswerSignal, (answer) => { mailbox.receiveAnswer(answer); });
  setHandler(withdrawSignal, (w) => {
    if (!withdrawal && !ending) {
      withdrawal = w;
      main.cancel();
    }
  });
  setHandler(callVerdictSignal, (verdict) => {
    if (verdict.verdict === 'refuse' && mailbox.awaitingStage !== verdict.stage) {
      if (!withdrawal && !refusal && !ending) {
        refusal = verdict;
        main.cancel();
      }
    } else mailbox.verdicts.set(verdict.stage, verdict);
  });
  setHandler(stateQuery, (): ProcessState => ({
    applicationId,
    definition: { id: definition.id, version: definition.version, hash: definitionHash, title: definition.title },
    status: ending?.outcome ?? 'running',
    currentSteps: [...mailbox.currentSteps],
    openTasks: [...mailbox.openTasks.values()],
    pendingInquiries: [...mailbox.pendingInquiries.values()],
    reason: ending?.reason,
    runs,
  }));

  const interpreter: Interpreter = new Interpreter(applicationId, definition, definitionHash, calendar, state, mailbox, reckoning, {
    async beforeTopLevelStep(stepId) {
      const info = workflowInfo();
      if (info.historyLength < (input.historyLimit ?? DEFAULT_HISTORY_LIMIT) && !info.continueAsNewSuggested) return;
      await condition(() => mailbox.lateQueue.length === 0);
      await timeline.written();
      await continueAsNew<typeof licenceProcess>({
        ...input, definition: pinned,
        resume: {
          at: stepId, facts: state.facts, seq: state.seq, entries: state.entries, runs, reckoning,
          decisions: [...mailbox.decisions.values()], answers: [...mailbox.answers.values()], lateInquiries: [...mailbox.late.values()],
        },
      });
    },
    // Processes started from this one inherit its history limit (tests lower it to exercise continue-as-new).
    startChild: (stepId, childDefinition, hash, childInput, opts) => startChild(interpreter, stepId, childDefinition, hash, childInput, { ...opts, historyLimit: input.historyLimit, lean }),
    startStanding: (processId, licence) => startStanding(interpreter, processId, licence, input.historyLimit, lean),
  }, timeline);

  // A supervisor's order to move the application to a newer version of its definition.
  const migrations = new Migrations(interpreter, () => !ending && !withdrawal && !refusal, () => main.cancel());
  setHandler(migrateUpdate, (order) => migrations.order(order), { validator: (order) => migrations.validate(order) });

  if (!resume) {
    await interpreter.db.recordEvent(interpreter.event('process-started', undefined, { definition: definition.id, version: definition.version, hash: definitionHash }));
  }
  // Late registry answers are handled beside the main flow, whatever step it is at. It waits in the
  // workflow's own scope, so cancelling the workflow (a parent withdrawn) ends it with a
  // cancellation; that is its end, not an unhandled rejection failing the workflow task.
  void (async () => {
    for (;;) {
      await condition(() => mailbox.lateQueue.length > 0);
      await interpreter.handleLateAnswer(mailbox.lateQueue.shift()!);
    }
  })().catch((error: unknown) => {
    if (!isCancellation(error)) throw error;
  });

  try {
    ending = await main.run(async () => (resume ? undefined : await interpreter.judgeChange()) ?? interpreter.runFrom(resume?.at ?? definition.start, true));
    if (!ending) ending = { outcome: 'rejected', reason: 'PROCESS_STOPPED_WITHOUT_END', stepId: 'unknown' };
  } catch (error) {
    if (!isCancellation(error)) throw error;
    if (migrations.pending && !withdrawal && !refusal) {
      const migrated = await migrations.apply(input, runs);
      await condition(allHandlersFinished);
      await timeline.written();
      await continueAsNew<typeof licenceProcess>(migrated);
    }
    // Withdrawn by the applicant, or cancelled with its parent (a subprocess of a withdrawn application).
    const stepId = [...mailbox.currentSteps][0] ?? 'unknown';
    ending = refusal
      ? { outcome: 'rejected', reason: refusal.reason ?? 'REFUSED_BY_CALL', stepId }
      : { outcome: 'withdrawn', reason: withdrawal ? 'WITHDRAWN_BY_APPLICANT' : 'CANCELLED_WITH_PARENT', stepId };
  }
  migrations.abandon();
  const final = ending;
  await CancellationScope.nonCancellable(() => interpreter.db.finishApplication(
    { applicationId, outcome: final.outcome, reason: final.reason, stepId: final.stepId },
    interpreter.event(`application-${final.outcome}`, final.stepId, { reason: final.reason, ...(withdrawal ? { requestedBy: withdrawal.requestedBy, note: withdrawal.reason } : {}) }, final.stepId),
  ));
  await CancellationScope.nonCancellable(pokeOutbox);
  // An applicant of a competitive call: the call learns the place may be free.
  const callId = callIdOf(state.facts);
  if (callId) await CancellationScope.nonCancellable(() => tellCall(callId));
  return { ...final, licences: (state.facts.licences ?? {}) as Record<string, IssuedLicence> };
}

/** Runs a `subprocess` step: a child application with its own definition, linked to this one. */
async function startChild(interpreter: Interpreter, stepId: string, definition: ProcessDefinition, hash: string, input: Facts, opts: { applicant?: unknown; detach?: boolean; historyLimit?: number; lean?: boolean } = {}) {
  const childId = `${interpreter.applicationId}.${stepId}.${interpreter.state.entries[stepId]}`;
  const parentFacts = interpreter.state.facts;
  const facts: Facts = {
    applicant: opts.applicant ?? parentFacts.applicant,
    application: { ...(parentFacts.application as object), id: childId, parentId: interpreter.applicationId, licenceType: definition.id },
    ...input,
  };
  await interpreter.db.registerChildApplication(
    { parentId: interpreter.applicationId, childId, licenceType: definition.id, definitionVersion: definition.version, definitionHash: hash, facts },
    interpreter.event('subprocess-started', stepId, { childId, process: definition.id, version: definition.version, at: isoAt(now()), detached: opts.detach ?? false }),
  );
  if (opts.detach) {
    await startDetached(interpreter, childId, definition, hash, facts, opts.historyLimit, opts.lean);
    return undefined;
  }
  const result = await executeChild(licenceProcess, {
    workflowId: workflowIdFor(childId),
    args: [{ applicationId: childId, definition, definitionHash: hash, calendar: interpreter.calendar, facts, historyLimit: opts.historyLimit }],
  });
  await interpreter.db.recordEvent(interpreter.event('subprocess-ended', stepId, { childId, outcome: result.outcome, reason: result.reason }));
  return result;
}

const definitions = proxyActivities<DefinitionActivities>({ startToCloseTimeout: '30s' });
const processes = proxyActivities<ProcessActivities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } });
/** The same as local activities (a lean run): a marker each, the definition not recorded as a start's input. */
const local = proxyLocalActivities<DefinitionActivities & ProcessActivities>({ startToCloseTimeout: '30s', retry: DATABASE_RETRY });

/**
 * Starts a standing process beside a licence just issued: an application of its own
 * (`licence-<number>.<process>`), a workflow of its own that runs on for years.
 */
async function startStanding(interpreter: Interpreter, processId: string, licence: StandingLicence, historyLimit?: number, lean = false) {
  // A lean run records which version is in effect, not its content: the process looks that up.
  let definition: { id: string; version: number; content?: ProcessDefinition };
  let hash: string;
  if (lean) {
    ({ hash, ...definition } = await interpreter.timeline.run(() => local.definitionInEffect(processId, isoAt(now()))));
  } else {
    const resolved = await definitions.resolveDefinition(processId, isoAt(now()));
    definition = { ...resolved.definition, content: resolved.definition };
    hash = resolved.hash;
  }
  const childId = `licence-${licence.number}.${processId}`;
  const parentFacts = interpreter.state.facts;
  const facts: Facts = {
    applicant: parentFacts.applicant,
    application: { ...(parentFacts.application as object), id: childId, parentId: interpreter.applicationId, licenceType: definition.id },
    licence: { ...licence, changesInProgress: [], dependents: [] },
  };
  await interpreter.db.registerChildApplication(
    { parentId: interpreter.applicationId, childId, licenceType: definition.id, definitionVersion: definition.version, definitionHash: hash, facts },
    interpreter.event('standing-process-started', undefined, { childId, process: definition.id, version: definition.version, licence: licence.number }),
  );
  await startDetached(interpreter, childId, definition.content, hash, facts, historyLimit, lean);
}

/**
 * Starts a process that outlives this one and is not cancelled with it: a workflow of its own
 * rather than a child (started by an activity; a retried start is a no-op).
 */
async function startDetached(interpreter: Interpreter, childId: string, definition: ProcessDefinition | undefined, hash: string, facts: Facts, historyLimit?: number, lean = false) {
  const start = { applicationId: childId, ...(definition ? { definition } : {}), definitionHash: hash, calendar: interpreter.calendar, facts, ...(historyLimit ? { historyLimit } : {}) };
  await (lean ? interpreter.timeline.run(() => local.startDetachedProcess(start)) : processes.startDetachedProcess(start));
}
