import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/log.ts';
import { createQueues } from '../src/pipeline/queues.ts';

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set (CI), else an embedded one in a temp
 * directory. A template database is migrated once (our schema and pg-boss's); every test file
 * then clones it, which takes milliseconds and isolates files from each other.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let tmpDir: string | undefined;
let adminUrl = '';
let template = '';

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function setup(project: TestProject) {
  const logger = createLogger({ level: 'warn', format: 'json' });
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-test-'));
    await fs.chmod(tmpDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: tmpDir, logger });
    adminUrl = embedded.url;
  }
  template = `jobping_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  await admin.end();

  const url = withDatabase(adminUrl, template);
  const pool = new pg.Pool({ connectionString: url });
  await migrate(pool, logger);
  await pool.end();
  const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  await createQueues(boss);
  await boss.stop({ graceful: false, close: true });

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
}

export async function teardown() {
  if (adminUrl && template) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
  }
  await embedded?.stop();
  if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
}
