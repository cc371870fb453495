/**
 * Vitest global setup: one embedded PostgreSQL cluster for the whole run (each file makes its own
 * database on it), unless DATABASE_URL already names a server. The forked test processes inherit
 * DATABASE_URL from here.
 */
import { throwawayPostgres } from './database.js';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DATABASE_URL) return;
  const pg = await throwawayPostgres();
  process.env.DATABASE_URL = pg.url;
  console.log(`[tests] embedded PostgreSQL ${pg.version} on 127.0.0.1:${pg.port}`);
  return async () => {
    delete process.env.DATABASE_URL;
    await pg.remove();
  };
}
