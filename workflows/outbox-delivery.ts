/**
 * Delivers the outbox to the national permits portal until every notification is acknowledged.
 * It runs forever: woken by `outboxChanged` when a process queues something, backing off with
 * jitter while the portal fails (honouring its Retry-After), and continuing as new before its
 * history grows long. Order per licence is kept by the activity, which stops a licence's queue at
 * its first failure; exactly-once comes from the portal treating a repeated id as the same one.
 */
import { continueAsNew, makeContinueAsNewFunc, patched, proxyActivities, setHandler, sleep, uuid4, workflowInfo } from '@temporalio/workflow';
import type { PortalActivities } from '../activities/national-portal.js';
import {
  OUTBOX_QUEUE_SUFFIX, outboxChangedSignal, outboxTaskQueueFor, type OutboxDeliveryInput,
} from '../domain/workflow-interfaces/licence-process.js';
import { startTimer, waitFor, type Timer } from './timers.js';

const portal = proxyActivities<PortalActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  // Failures of the portal are reported in the result; these retries cover the database and crashes.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5m' },
});

const FIRST_BACKOFF_MS = 5_000;

/**
 * Since 1405/09 the delivery runs on its own task queue (`outboxTaskQueueFor`). A delivery started
 * before, on the licence processes' queue, moves there by continuing as new at its next turn; its
 * recorded turns replay as they ran.
 */
const OWN_TASK_QUEUE = 'outbox-own-task-queue';
const HISTORY_LIMIT = 2_000;

/** Exponential backoff with jitter; the randomness comes from the workflow's seeded uuid4, so replay gives the same. */
export function backoffMs(failures: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, FIRST_BACKOFF_MS * 2 ** Math.min(30, failures - 1));
  const random = Number.parseInt(uuid4().slice(0, 8), 16) / 0x1_0000_0000;
  return Math.round(ceiling * (0.5 + random * 0.5));
}

export async function outboxDelivery(input: OutboxDeliveryInput = {}): Promise<void> {
  const maxBackoffMs = input.maxBackoffMs ?? 3_600_000;
  const idlePollMs = input.idlePollMs ?? 86_400_000;
  let failures = input.failures ?? 0;
  let woken = false;
  setHandler(outboxChangedSignal, () => { woken = true; });
  let poll: Timer | undefined;

  for (;;) {
    const { taskQueue } = workflowInfo();
    if (!taskQueue.endsWith(OUTBOX_QUEUE_SUFFIX) && patched(OWN_TASK_QUEUE)) {
      await makeContinueAsNewFunc<typeof outboxDelivery>({ taskQueue: outboxTaskQueueFor(taskQueue) })({ ...input, failures });
    }
    woken = false;
    const run = await portal.deliverPendingNotifications();
    if (run.failed > 0) {
      // Back off harder only while nothing gets through: a portal that takes some is not down.
      failures = run.delivered > 0 ? 1 : failures + 1;
      // While the portal fails, new work does not cut the backoff short.
      // The portal's Retry-After is honoured up to our own ceiling: it may come back sooner than it said.
      await sleep(Math.min(maxBackoffMs, Math.max(run.retryAfterMs ?? 0, backoffMs(failures, maxBackoffMs))));
    } else {
      failures = 0;
      if (run.pending === 0) {
        // One safety poll pending at a time, however often processes wake the delivery meanwhile.
        if (!poll || poll.passed) poll = startTimer(idlePollMs);
        await waitFor(() => woken, poll);
      }
    }
    if (workflowInfo().historyLength > HISTORY_LIMIT || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof outboxDelivery>({ ...input, failures });
    }
  }
}
