import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive, startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { testLogger } from '../helpers/db.ts';

const dirs: string[] = [];
async function tempDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-embedded-'));
  await fs.chmod(dir, 0o755);
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('starts, keeps its data across a restart, and stops', async () => {
    const dataDir = await tempDir();
    const first = await startEmbeddedPostgres({ dataDir, logger: testLogger });
    const c1 = new pg.Client({ connectionString: first.url });
    await c1.connect();
    await c1.query('create table kept (v text)');
    await c1.query(`insert into kept values ('still here')`);
    await c1.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, logger: testLogger });
    const c2 = new pg.Client({ connectionString: second.url });
    await c2.connect();
    const { rows } = await c2.query('select v from kept');
    await c2.end();
    const pid = Number(
      (await fs.readFile(path.join(second.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    await second.stop();
    expect(rows).toEqual([{ v: 'still here' }]);
    expect(processAlive(pid)).toBe(false);
  });

  it('`jobping start` with no DATABASE_URL comes up on its own database and stops cleanly on SIGTERM', async () => {
    const dataDir = await tempDir();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JOBPING_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['bin/jobping.js', 'start'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d) => {
      out += d;
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /server\s+(http:\/\/localhost:\d+)/.exec(out);
        if (m && out.includes('Press Ctrl-C')) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early:\n${out}`)));
    });
    expect(out).toContain(`data in ${path.join(dataDir, 'postgres')}`);
    expect(out).toMatch(/telegram\s+off: TELEGRAM_BOT_TOKEN is not set/);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    // No ADMIN_TOKEN on a local install: a token is generated, kept (mode 600) and printed with the page.
    expect(out).toContain(`admin      ${url}/admin`);
    const tokenFile = path.join(dataDir, 'admin-token');
    const token = (await fs.readFile(tokenFile, 'utf8')).trim();
    expect(out).toContain(`token ${token}  (kept in ${tokenFile})`);
    expect((await fs.stat(tokenFile)).mode & 0o777).toBe(0o600);
    const stats = await fetch(`${url}/api/stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(stats.status).toBe(200);
    const pid = Number(
      (await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    expect(processAlive(pid)).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(processAlive(pid)).toBe(false);
    expect(out).toContain('Stopped.');
  });
});

const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)('embedded PostgreSQL started by root', () => {
  it('from a folder the postgres user cannot enter (a project under /root): the cluster goes where it can reach, linked from the data dir', async () => {
    // mkdtemp makes its folder 0700, as /root is.
    const closed = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-closed-'));
    dirs.push(closed);
    const reachableRoot = path.join(await tempDir(), 'var-lib-jobping');
    const dataDir = path.join(closed, 'project', 'app', '.jobping');

    const first = await startEmbeddedPostgres({ dataDir, logger: testLogger, reachableRoot });
    const c1 = new pg.Client({ connectionString: first.url });
    await c1.connect();
    await c1.query(`create table kept as select 'still here' as v`);
    await c1.end();
    await first.stop();

    expect(path.dirname(first.dataDir)).toBe(reachableRoot);
    expect(first.relocated).toEqual({
      link: path.join(dataDir, 'postgres'),
      because: `the postgres user (PostgreSQL does not run as root) cannot enter ${closed}`,
    });
    expect(await fs.readlink(path.join(dataDir, 'postgres'))).toBe(first.dataDir);
    // Missing parents are made passable (0755), the data dir private; the closed folder stays closed.
    expect((await fs.stat(path.join(closed, 'project'))).mode & 0o777).toBe(0o755);
    expect((await fs.stat(path.join(closed, 'project', 'app'))).mode & 0o777).toBe(0o755);
    expect((await fs.stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await fs.stat(closed)).mode & 0o777).toBe(0o700);

    // The next start finds the cluster through the link.
    const second = await startEmbeddedPostgres({ dataDir, logger: testLogger, reachableRoot });
    const c2 = new pg.Client({ connectionString: second.url });
    await c2.connect();
    const { rows } = await c2.query('select v from kept');
    await c2.end();
    await second.stop();
    expect(second.dataDir).toBe(first.dataDir);
    expect(rows).toEqual([{ v: 'still here' }]);
  });

  it('a cluster already inside such a folder is not moved: a clear error says what to do', async () => {
    const closed = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-closed-'));
    dirs.push(closed);
    const dataDir = path.join(closed, '.jobping');
    await fs.mkdir(path.join(dataDir, 'postgres'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
    await expect(
      startEmbeddedPostgres({ dataDir, logger: testLogger, reachableRoot: await tempDir() }),
    ).rejects.toThrow(
      `embedded PostgreSQL in ${path.join(dataDir, 'postgres')}: the postgres user (PostgreSQL does not run as root) cannot enter ${closed}. Move the data directory (JOBPING_DATA_DIR) to a place it can reach, or let it pass that folder (chmod o+x)`,
    );
  });
});
