/** Real Temporal servers for the tests, from the binaries `scripts/install.sh` put in `.tools/bin`. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const binDir = process.env.PARVANEH_TEMPORAL_BIN ?? join(process.cwd(), '.tools', 'bin');

function binary(name: string): string {
  const path = join(binDir, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/install.sh`);
  return path;
}

/** The time-skipping test server: days of process time pass in seconds. */
export function timeSkippingTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: binary('temporal-test-server') } },
  });
}

/** The Temporal dev server (the `temporal` CLI), as `npm start` runs it. */
export function devServerTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: binary('temporal') }, ui: false, log: { format: 'pretty', level: 'error' } },
  });
}
