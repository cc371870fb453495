/**
 * The trivial workflow's activities: no-ops, but for a wait's announcement, which the driver in
 * the same process hears (as the decider sees a task row) and answers with a signal.
 */
import type { Client } from '@temporalio/client';
import { trivialSignal } from '../../bench-process/trivial-interface.js';

/** Workflows that announced a wait and are not yet signalled. */
const announced = new Set<string>();

export function createTrivialActivities() {
  return {
    /** Does nothing; with `announce`, tells the driver the workflow is about to wait for a signal. */
    async trivialStep(input: { announce?: string }): Promise<void> {
      if (input.announce) announced.add(input.announce);
    },
  };
}
export type TrivialActivities = ReturnType<typeof createTrivialActivities>;

/**
 * Signals each workflow that announced a wait, polling every `pollMs` as the decider polls the
 * tasks table. @example const driver = startTrivialDriver(client); …; await driver.stop();
 */
export function startTrivialDriver(client: Client, pollMs = 10) {
  let stopped = false;
  let errors = 0;
  const done = (async () => {
    while (!stopped) {
      const due = [...announced];
      announced.clear();
      await Promise.all(due.map((id) => client.workflow.getHandle(id).signal(trivialSignal).catch(() => { errors += 1; })));
      await new Promise((r) => setTimeout(r, pollMs));
    }
  })();
  return {
    get errors() { return errors; },
    async stop() { stopped = true; await done; },
  };
}
