import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { createLogger } from '../../src/log.ts';

export const testLogger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export function databaseUrl(database: string): string {
  const u = new URL(inject('adminDatabaseUrl'));
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function connect(name: string): TestDatabase {
  const url = databaseUrl(name);
  const pool = createPool(url, testLogger, { max: 10 });
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end().catch(() => undefined);
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** A fresh, fully migrated database (with pg-boss's schema) cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `jobping_t_${randomBytes(5).toString('hex')}`;
  const template = inject('templateDatabase');
  // Cloning needs the template to be idle; other files clone at the same moment, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`create database ${name} template ${template}`));
      break;
    } catch (err) {
      if (attempt > 50 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  return connect(name);
}

/** An empty database with nothing applied, for migration tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const name = `jobping_e_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  return connect(name);
}
