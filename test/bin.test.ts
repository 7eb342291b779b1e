import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../src/db/embedded.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

/**
 * `bin/jobping.js` on a Node without type stripping (22.12–22.17) runs JobPing in a child of its
 * own. Node 24 with --no-experimental-strip-types takes that path too. A service manager signals
 * the parent; JobPing in the child must still shut down cleanly, and the parent exit as it did.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function jobpingWithoutStripping(args: string[]) {
  const child = spawn(process.execPath, ['--no-experimental-strip-types', 'bin/jobping.js', ...args], {
    env: { ...process.env, DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const started = async () => {
    while (!out.includes('Press Ctrl-C')) {
      if (child.exitCode !== null) throw new Error(`exited early:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, output: () => out, exited, started };
}

async function childrenOf(pid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '--ppid', String(pid)]).catch(() => ({
    stdout: '',
  }));
  return stdout.split('\n').filter(Boolean).map(Number);
}

describe('bin/jobping.js re-running itself with type stripping', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the parent: JobPing in the child stops cleanly, the parent exits 0 after it`, async () => {
      const run = jobpingWithoutStripping(['start', '--role', 'worker']);
      await run.started();
      const [jobping] = await childrenOf(run.child.pid!);
      expect(jobping).toBeGreaterThan(0);

      run.child.kill(signal);
      expect(await run.exited).toEqual({ code: 0, signal: null });
      expect(run.output()).toContain('Stopping JobPing…');
      expect(run.output()).toContain('Stopped.');
      expect(processAlive(jobping!)).toBe(false);
    }, 60_000);
  }

  it("exits with the child's status", async () => {
    const run = jobpingWithoutStripping(['start', '--role', 'boss']);
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.output()).toContain('--role must be one of all, web, worker');
  }, 60_000);
});
