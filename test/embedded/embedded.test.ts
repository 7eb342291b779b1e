import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
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

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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
    expect(alive(pid)).toBe(false);
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
    expect(alive(pid)).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(out).toContain('Stopped.');
  });
});
