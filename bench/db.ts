import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseTermList } from '../src/core/terms.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { createLogger } from '../src/log.ts';
import type { GeneratedUser } from './generate.ts';

/** A PostgreSQL server for benchmarks: DATABASE_URL's server when set, else an embedded one. */
export async function benchServer() {
  if (process.env.DATABASE_URL) {
    return { adminUrl: process.env.DATABASE_URL, kind: 'local server', stop: async () => {} };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-bench-'));
  await fs.chmod(dir, 0o755);
  const embedded = await startEmbeddedPostgres({
    dataDir: dir,
    logger: createLogger({ level: 'warn', format: 'json' }),
  });
  return {
    adminUrl: embedded.url,
    kind: 'embedded',
    stop: async () => {
      await embedded.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on that server, dropped afterwards. */
export async function freshDatabase(adminUrl: string, label: string) {
  const name = `jobping_bench_${label}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Inserts users with their preferences in one statement; with `platform`, each gets a chat
 * account there (external id `prefix` + n, n from 1) that alerts can be sent to.
 */
export async function insertUsers(
  db: Pick<pg.Pool, 'query'>,
  users: GeneratedUser[],
  options: { alertMode: 'instant' | 'digest' | 'off'; platform?: 'console' | 'telegram'; idBase?: number },
): Promise<void> {
  const rows = users.map((u) => ({
    ...u,
    keywords: u.keywords.map((k) => parseTermList(k)[0]!).filter(Boolean),
  }));
  await db.query(
    `with u as (
       insert into users (display_name) select 'bench-' || g from generate_series(1, $1) g returning id
     ), n as (select id, (row_number() over (order by id))::int as n from u),
     i as (insert into identities (user_id, platform, external_id)
           select id, $3::text, ($4::bigint + n)::text from n where $3::text is not null)
     insert into preferences (user_id, keywords, locations, remote, salary_min, salary_currency, seniority, alert_mode)
     select n.id, array(select jsonb_array_elements_text(p->'keywords')),
            array(select jsonb_array_elements_text(p->'locations')), p->>'remote',
            (p->>'salaryMin')::numeric, p->>'currency', array(select jsonb_array_elements_text(p->'seniority')), $5::text
     from n cross join lateral (select ($2::jsonb)->(n.n - 1) as p) x`,
    [users.length, JSON.stringify(rows), options.platform ?? null, options.idBase ?? 0, options.alertMode],
  );
}
