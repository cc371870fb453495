import { describe, expect, it } from 'vitest';
import { workerSlotsFromEnv } from './create-worker.js';

describe('worker slots from the environment', () => {
  it('takes the whole numbers set and leaves the rest to the defaults', () => {
    expect(workerSlotsFromEnv({ WORKER_WORKFLOW_TASK_SLOTS: '4', WORKER_ACTIVITY_SLOTS: '', WORKER_CACHED_WORKFLOWS: '100' })).toEqual({ workflowTasks: 4, cachedWorkflows: 100 });
    expect(workerSlotsFromEnv({})).toEqual({});
  });

  it('stops at a setting that is not a whole number of at least 1, naming it', () => {
    expect(() => workerSlotsFromEnv({ WORKER_LOCAL_ACTIVITY_SLOTS: '0' })).toThrow(/WORKER_LOCAL_ACTIVITY_SLOTS.*"0"/);
    expect(() => workerSlotsFromEnv({ WORKER_ACTIVITY_SLOTS: 'many' })).toThrow(/WORKER_ACTIVITY_SLOTS/);
  });
});
