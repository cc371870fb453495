/**
 * A short soak in the suite: the same run as `npm run soak`, with 24 applications, so a change
 * that loses a notification or doubles an inquiry under faults fails CI, not only the long soak.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../scripts/soak/run.js';

describe('soak under injected faults', () => {
  it('completes every application with no stuck process, duplicated inquiry or lost notification', async () => {
    const report = await runSoak({ applications: 24, concurrency: 12, drainMs: 240_000 });
    expect(report.submitted).toBe(24);
    expect(report.faults.applied.length).toBeGreaterThanOrEqual(8);
    expect(report.faults.workerRestarts).toBe(1);
    expect(report).toMatchObject({ stuck: 0, duplicatedInquiries: 0, lostNotifications: 0, notificationsOutOfOrder: 0, doubledNotifications: 0, rejectedOtherwise: 0 });
    // Every tenth applicant states an age under 25: seeds 9 and 19.
    expect(report.rejectedByRule).toBe(2);
    expect(report.completed).toBe(22);
    expect(report.notificationsDelivered).toBeGreaterThanOrEqual(24);
    // It drained before its window ended, and the worker's workflow tasks were all read back.
    expect(report.drainSeconds).toBeLessThanOrEqual(240);
    expect(report.workflowTasks.tasks).toBeGreaterThan(24 * 10);
  }, 420_000);
});
