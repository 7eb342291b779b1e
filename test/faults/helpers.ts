import { type ChildProcess, spawn } from 'node:child_process';
import type pg from 'pg';

/** A `jobping start --role worker` process of its own, so a test can kill it for real. */
export function spawnWorker(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['bin/jobping.js', 'start', '--role', 'worker'], {
    // PORT 0: a worker serves /healthz and /readyz, and several may run at once.
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      QUEUE_MONITOR_SECONDS: '1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Waits until `check` holds, re-reading the database; fails with `what` after the deadline. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function analysisStates(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from analyses group by status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function activeJobs(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from pgboss.job where name in ('fetch', 'analyze', 'match', 'notify') and state = 'active'`,
  );
  return rows[0]!.n;
}

/**
 * Alice's preferences from the pipeline test, and the sample postings they match (smp-025 pays
 * £70k–85k, below her $120k floor at the bundled rates).
 */
export const ALICE_PREFS = {
  keywords: ['typescript', 'node'],
  remote: 'remote',
  salaryMin: 120000,
};
export const ALICE_MATCHES = [
  '001',
  '004',
  '007',
  '014',
  '019',
  '024',
  '034',
  '052',
  '053',
  '059',
  '063',
].map((n) => `smp-${n}`);

export async function addAlice(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `insert into users (display_name) values ('alice') returning id`,
  );
  const id = rows[0]!.id;
  await pool.query(
    `insert into identities (user_id, platform, external_id) values ($1, 'console', 'alice')`,
    [id],
  );
  await pool.query(
    `insert into preferences (user_id, keywords, remote, salary_min, salary_currency, alert_mode)
     values ($1, $2, $3, $4, 'USD', 'off')`,
    [id, ALICE_PREFS.keywords, ALICE_PREFS.remote, ALICE_PREFS.salaryMin],
  );
  return id;
}

export async function matchedExternalIds(pool: pg.Pool, userId: number): Promise<string[]> {
  const { rows } = await pool.query<{ external_id: string }>(
    `select p.external_id from matches m join postings p on p.id = m.posting_id where m.user_id = $1 order by 1`,
    [userId],
  );
  return rows.map((r) => r.external_id);
}
