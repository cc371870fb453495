/**
 * A PostgreSQL cluster of a test's own (the embedded server in a temporary directory), so the
 * test can stop and start it without touching the cluster every other test file shares.
 */
import { throwawayPostgres } from './database.js';

export interface OwnPostgres {
  /** The server's URL (its `parvaneh` database); `startHarness({ databaseUrl })` makes a fresh one on it. */
  url: string;
  port: number;
  /** A fast shutdown: every connection is cut. */
  stop(): Promise<void>;
  /** Starts the same cluster again. */
  start(): Promise<void>;
  /** Stops it for good and deletes its files. */
  remove(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const pg = await throwawayPostgres();
  return { url: pg.url, port: pg.port, stop: () => pg.stop(), start: () => pg.start(), remove: () => pg.remove() };
}
