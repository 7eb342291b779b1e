import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type RunningApp, startApp } from '../src/main.ts';
import { createTestDatabase, type TestDatabase, testLogger } from './helpers/db.ts';

let app: RunningApp | undefined;
let worker: RunningApp | undefined;
let workerDb: TestDatabase | undefined;
afterAll(async () => {
  await app?.stop();
  await worker?.stop();
  await workerDb?.drop();
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

  it('a worker serves /healthz and /readyz on PORT (for its container health check) and nothing else', async () => {
    workerDb = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: workerDb.url, PORT: '0', ADMIN_TOKEN: 'a'.repeat(32) });
    const lines: string[] = [];
    worker = await startApp(config, {
      logger: testLogger,
      role: 'worker',
      cron: false,
      print: (l) => lines.push(l),
    });
    expect(worker.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(lines).toContain(
      `  health     ${worker.url}/healthz, ready ${worker.url}/readyz  (a worker serves nothing else)`,
    );
    expect(lines.some((l) => l.includes('/admin'))).toBe(false);
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${worker.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    const auth = { authorization: `Bearer ${'a'.repeat(32)}` };
    expect((await fetch(`${worker.url}/api/stats`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${worker.url}/admin`)).status).toBe(404);
  });
});
