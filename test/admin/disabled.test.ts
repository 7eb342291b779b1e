import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type RunningApp, startApp } from '../../src/main.ts';
import { problemOf } from '../helpers/admin.ts';
import { createTestDatabase, type TestDatabase, testLogger } from '../helpers/db.ts';

/** A deployment (DATABASE_URL set) without ADMIN_TOKEN: the admin API is off, health stays open. */

let db: TestDatabase;
let app: RunningApp;
const printed: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent' });
  app = await startApp(config, { logger: testLogger, role: 'web', print: (line) => printed.push(line) });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

it('answers 503 "admin API disabled: set ADMIN_TOKEN" on the API and metrics, and says so at start', async () => {
  expect(printed).toContain(
    '  admin      off: admin API disabled: set ADMIN_TOKEN (health endpoints stay open)',
  );
  const http = app.http!;
  for (const url of ['/api/jobs', '/api/stats', '/metrics']) {
    const res = await http.inject({ url, headers: { authorization: 'Bearer anything-at-all-here' } });
    expect(problemOf(res, 503).detail).toBe('admin API disabled: set ADMIN_TOKEN');
  }
  expect(problemOf(await http.inject({ method: 'POST', url: '/api/fetch', payload: {} }), 503).status).toBe(
    503,
  );
  expect((await http.inject({ url: '/healthz' })).statusCode).toBe(200);
  expect((await http.inject({ url: '/readyz' })).statusCode).toBe(200);
  // The page and the API description hold no data; the page shows the 503 when it calls the API.
  expect((await http.inject({ url: '/admin' })).statusCode).toBe(200);
  expect((await http.inject({ url: '/api/openapi.json' })).statusCode).toBe(200);
});
