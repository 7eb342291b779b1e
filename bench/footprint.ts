import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startJobPing } from './child.ts';
import { freshDatabase } from './db.ts';

/**
 * Scenario 6 (start-up): time from `jobping start` to GET /readyz 200, on a PostgreSQL server
 * that is already running (a new database: the first start applies every migration) and with the
 * embedded database (the first start creates the cluster), each then restarted; and the
 * process's resident memory when idle. The embedded server's own processes are not counted.
 */

export interface StartupFigures {
  database: string;
  firstStartMs: number;
  restartMs: number;
  idleRssMiB: number;
}

const SETTLE_MS = 5000;

async function startTwice(label: string, env: Record<string, string>): Promise<StartupFigures> {
  const first = await startJobPing(env);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const idleRssMiB = first.rssMiB();
  await first.stop();
  const again = await startJobPing(env);
  await again.stop();
  return { database: label, firstStartMs: first.readyMs, restartMs: again.readyMs, idleRssMiB };
}

export async function runFootprint(
  adminUrl: string,
  serverKind: string,
  log: (line: string) => void,
): Promise<StartupFigures[]> {
  const results: StartupFigures[] = [];
  const db = await freshDatabase(adminUrl, 'start');
  try {
    const server = serverKind === 'local server' ? 'local PostgreSQL server' : 'running PostgreSQL';
    results.push(await startTwice(`${server}, new database`, { DATABASE_URL: db.url }));
    log(
      `  server: ${results.at(-1)!.firstStartMs.toFixed(0)} ms, restart ${results.at(-1)!.restartMs.toFixed(0)} ms`,
    );
  } finally {
    await db.drop();
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-bench-embedded-'));
  // As root the embedded server runs as `postgres`, which must reach the data directory.
  await fs.chmod(dir, 0o755);
  try {
    results.push(
      await startTwice('embedded (no DATABASE_URL), new data directory', { JOBPING_DATA_DIR: dir }),
    );
    log(
      `  embedded: ${results.at(-1)!.firstStartMs.toFixed(0)} ms, restart ${results.at(-1)!.restartMs.toFixed(0)} ms`,
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return results;
}
