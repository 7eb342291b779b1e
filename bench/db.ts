import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { createLogger } from '../src/log.ts';

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
