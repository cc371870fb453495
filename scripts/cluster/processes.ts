/**
 * A product process of the cluster (gateway, worker, sandbox) or HAProxy as a child process that
 * can be killed outright and started again with the same settings: its output goes to a log file
 * of its own, and it is ready when it prints the line it prints once it serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface ManagedProcess {
  readonly name: string;
  /** The running child's pid (undefined while stopped). */
  pid(): number | undefined;
  /** Starts it and waits for its ready line (throws with the log's tail if it exits first). */
  start(): Promise<void>;
  /** SIGKILL: nothing finishes, nothing is cleaned up. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** Printed on stdout or stderr once it serves. */
  ready: RegExp;
  logDir: string;
}

/** How long a start may take to print its ready line. */
const START_TIMEOUT_MS = 120_000;

export function managedProcess(spec: ProcessSpec): ManagedProcess {
  let child: ChildProcess | undefined;
  const logFile = join(spec.logDir, `${spec.name}.log`);
  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve() : new Promise<void>((done) => c.once('exit', () => done()));
  return {
    name: spec.name,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async start() {
      const log = createWriteStream(logFile, { flags: 'a' });
      const c = spawn(spec.command, spec.args, { env: spec.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let recent = '';
      await new Promise<void>((ready, fail) => {
        let done = false;
        const timer = setTimeout(() => {
          if (done) return;
          done = true;
          c.kill('SIGKILL');
          fail(new Error(`${spec.name} printed no ready line within ${START_TIMEOUT_MS / 1000} s (log: ${logFile}):\n${recent}`));
        }, START_TIMEOUT_MS);
        const watch = (chunk: Buffer) => {
          log.write(chunk);
          if (done) return;
          recent = (recent + chunk.toString()).slice(-4000);
          if (spec.ready.test(recent)) {
            done = true;
            clearTimeout(timer);
            ready();
          }
        };
        c.stdout!.on('data', watch);
        c.stderr!.on('data', watch);
        c.once('exit', (code, signal) => {
          log.end();
          if (done) return;
          done = true;
          clearTimeout(timer);
          fail(new Error(`${spec.name} exited (${code ?? signal}) before it was ready (log: ${logFile}):\n${recent}`));
        });
      });
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop(graceMs = 15_000) {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const c = child;
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
      await exited(c);
      clearTimeout(timer);
    },
  };
}
