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
  /** Ends the current thread, refusing the signatures it holds; the next signature starts a new one. */
  restart(): Promise<void>;
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

interface Job { kid: string; privateKey: KeyObject; input: Buffer; resolve(signature: Buffer): void; reject(error: Error): void }

/**
 * Starts the signing thread (unreferenced: it keeps no process alive). Should the thread die, the
 * signatures it held are refused and the next one starts a new thread.
 */
export function signingThread(): SigningThread {
  let worker: Worker | undefined;
  let closed = false;
  /** The keys the current thread has, by kid. */
  const known = new Map<string, KeyObject>();
  const inFlight = new Map<number, Job[]>();
  let queued: Job[] = [];
  let nextId = 0;

  function start(): Worker {
    const thread = new Worker(THREAD_SOURCE, { eval: true });
    thread.unref();
    const lost = (error: Error) => {
      if (worker !== thread) return;
      worker = undefined;
      known.clear();
      for (const jobs of inFlight.values()) for (const job of jobs) job.reject(error);
      inFlight.clear();
    };
    thread.on('error', lost);
    thread.on('exit', () => lost(new Error('the signing thread has ended')));
    thread.on('message', ({ id, signatures }: { id: number; signatures: (Uint8Array | string)[] }) => {
      const jobs = inFlight.get(id) ?? [];
      inFlight.delete(id);
      jobs.forEach((job, i) => {
        const signature = signatures[i];
        if (typeof signature === 'string' || signature === undefined) job.reject(new Error(`signing failed: ${signature}`));
        else job.resolve(Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength));
      });
    });
    return thread;
  }

  function flush() {
    const jobs = queued;
    queued = [];
    if (closed) {
      for (const job of jobs) job.reject(new Error('the signing thread is closed'));
      return;
    }
    const thread = worker ??= start();
    const id = nextId++;
    inFlight.set(id, jobs);
    try {
      // A key goes to the thread once, by its kid (a rotation brings a new kid).
      thread.postMessage({
        id,
        jobs: jobs.map(({ kid, privateKey, input }) => {
          const send = known.get(kid) === privateKey ? undefined : privateKey;
          if (send) known.set(kid, send);
          return { kid, key: send, input };
        }),
      });
    } catch (error) {
      // Not sent (something that cannot be cloned): refused here, and the keys sent again next time.
      inFlight.delete(id);
      known.clear();
      for (const job of jobs) job.reject(error as Error);
    }
  }

  return {
    sign({ kid, privateKey }, input) {
      if (closed) return Promise.reject(new Error('the signing thread is closed'));
      return new Promise<Buffer>((resolve, reject) => {
        if (queued.length === 0) setImmediate(flush);
        queued.push({ kid, privateKey, input, resolve, reject });
      });
    },
    async restart() {
      await worker?.terminate();
    },
    async close() {
      closed = true;
      const thread = worker;
      worker = undefined;
      await thread?.terminate();
    },
  };
}
