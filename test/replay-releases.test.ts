/**
 * Releases: the workflow histories recorded by every earlier release (test/fixtures/histories/
 * <release>/, see the README there) replay against the current workflow code without a
 * nondeterminism error. A process started by a release keeps running on the next one's code, and
 * test/replay.test.ts only replays what the current code itself recorded. Replay is local: no
 * Temporal server, no database; the time is the bundling of the workflows.
 */
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../worker/create-worker.js';
import { createPayloadCodec, encryptingDataConverter, payloadKeysFile } from '../platform/payload-codec.js';
import { HISTORY_PAYLOAD_KEYS } from './support/history-keys.js';

const root = fileURLToPath(new URL('./fixtures/histories', import.meta.url));
const releases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const files = releases.flatMap((release) => readdirSync(join(root, release)).filter((f) => f.endsWith('.json')).sort().map((f) => join(root, release, f)));

describe('histories of earlier releases', () => {
  it('has a folder of histories for at least one release, none empty', () => {
    expect(releases.length).toBeGreaterThan(0);
    for (const release of releases) expect(files.some((f) => f.startsWith(join(root, release, '/'))), `${release} has no history`).toBe(true);
  });

  it('replays every recorded history against the current workflow code', async () => {
    // Written by scripts/record-histories.ts with the generated class's toJSON: read back with
    // fromObject (64-bit numbers become Longs, so the worker takes the history as it is).
    const histories = files.map((file) => ({
      workflowId: relative(root, file),
      history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>),
    }));
    const replayed: string[] = [];
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await bundleWorkflows(), replayName: 'releases',
      // Histories recorded before payloads were encrypted pass through the codec's decode unchanged;
      // later ones are encrypted with the fixtures' test key.
      dataConverter: encryptingDataConverter(createPayloadCodec(payloadKeysFile(HISTORY_PAYLOAD_KEYS))) }, histories)) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(replayed.sort()).toEqual(histories.map((h) => h.workflowId).sort());
  });
});
