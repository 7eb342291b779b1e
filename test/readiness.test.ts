import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type RunningApp, startApp } from '../src/main.ts';
import { createTestDatabase, testLogger } from './helpers/db.ts';

let app: RunningApp | undefined;
afterAll(async () => {
  await app?.stop();
});

describe('health and readiness', () => {
  it('/readyz answers 503 once the database is gone, while /healthz stays up', async () => {
    const db = await createTestDatabase();
    await db.pool.end();
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0' });
    app = await startApp(config, { logger: testLogger, role: 'web' });

    const ok = await fetch(`${app.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });

    const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    await admin.query(`drop database ${db.name} with (force)`);
    await admin.end();

    const gone = await fetch(`${app.url}/readyz`);
    expect(gone.status).toBe(503);
    const body = (await gone.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('not ready');
    expect(body.checks.database).toMatch(/^unavailable: /);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
