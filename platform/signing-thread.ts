/**
 * ES256 signatures made on one worker thread, in batches: the signatures asked for during one turn
 * of the event loop go to the thread as one message and come back as one. Handing each signature
 * to libuv's thread pool on its own wakes a pool thread per response, and on a machine whose cores
 * are all busy the event loop then waits for that thread to finish (the signing job's `run` was
 * 18–46 % of the gateway's busy samples on the signed routes); one wake-up per batch costs that once.
 *
 * @example
 * const signer = signingThread();
 * const signature = await signer.sign(key, signingInput); // R||S, 64 bytes
 * await signer.close();
 */
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** Signs bytes with ES256 (IEEE P1363 R||S, as JWS wants) and returns the signature. */
export type SignBytes = (key: { kid: string; privateKey: KeyObject }, input: Buffer) => Promise<Buffer>;

export interface SigningThread {
  sign: SignBytes;
  /** Ends the thread; signatures still pending are refused. */
  close(): Promise<void>;
}

// Plain JavaScript, evaluated: the thread needs no loader, whatever runs the gateway.
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
const keys = new Map();
parentPort.on('message', ({ id, jobs }) => {
  const signatures = jobs.map((job) => {
    if (job.key) keys.set(job.kid, job.key);
    try { return sign('sha256', job.input, { key: keys.get(job.kid), dsaEncoding: 'ieee-p1363' }); }
    catch (error) { return String(error && error.message || error); }
  });
  parentPort.postMessage({ id, signatures });
});`;

interface Job { kid: string; key?: KeyObject; input: Buffer; resolve(signature: Buffer): void; reject(error: Error): void }

/** Starts the signing thread (unreferenced: it keeps no process alive). */
export function signingThread(): SigningThread {
  const worker = new Worker(THREAD_SOURCE, { eval: true });
  worker.unref();
  const known = new Map<string, KeyObject>();
  const inFlight = new Map<number, Job[]>();
  let queued: Job[] = [];
  let nextId = 0;
  let failure: Error | undefined;

  const fail = (error: Error) => {
    failure ??= error;
    for (const jobs of inFlight.values()) for (const job of jobs) job.reject(error);
    inFlight.clear();
  };
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the signing thread has ended')));
  worker.on('message', ({ id, signatures }: { id: number; signatures: (Uint8Array | string)[] }) => {
    const jobs = inFlight.get(id) ?? [];
    inFlight.delete(id);
    jobs.forEach((job, i) => {
      const signature = signatures[i];
      if (typeof signature === 'string' || signature === undefined) job.reject(new Error(`signing failed: ${signature}`));
      else job.resolve(Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength));
    });
  });

  function flush() {
    const jobs = queued;
    queued = [];
    const id = nextId++;
    inFlight.set(id, jobs);
    worker.postMessage({ id, jobs: jobs.map(({ kid, key, input }) => ({ kid, key, input })) });
  }

  return {
    sign({ kid, privateKey }, input) {
      if (failure) return Promise.reject(failure);
      return new Promise<Buffer>((resolve, reject) => {
        // A key goes to the thread once, by its kid (a rotation brings a new kid).
        const key = known.get(kid) === privateKey ? undefined : privateKey;
        if (key) known.set(kid, key);
        if (queued.length === 0) setImmediate(flush);
        queued.push({ kid, key, input, resolve, reject });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
