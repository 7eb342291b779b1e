import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startApp } from '../src/main.ts';
import { DISPATCH_CRON } from '../src/pipeline/workers.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { testLogger } from './helpers/db.ts';

/**
 * Scheduled fetching: FETCH_CRON becomes one pg-boss schedule for the whole install (however many
 * worker processes register it), and its job fetches every source once for all users.
 */

let t: TestApp;
const { boards, kind } = memoryBoards();

beforeAll(async () => {
  t = await startTestApp({ env: { FETCH_CRON: '*/15 * * * *' }, sourceKinds: [kind] });
  t.app.queues.boss.getSpy('fetch-all');
  t.app.queues.boss.getSpy('fetch');
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(
    `insert into sources (id, kind) values ('memory:a', 'memory'), ('memory:b', 'memory')`,
  );
  boards.set('memory:a', [rawPosting({ externalId: 'a1' })]);
  boards.set('memory:b', [rawPosting({ externalId: 'b1' })]);
});
afterAll(async () => {
  await t?.stop();
});

describe('scheduled fetching', () => {
  it('a second worker process leaves one schedule of each', async () => {
    const config = loadConfig({ DATABASE_URL: t.db.url, LOG_LEVEL: 'silent', FETCH_CRON: '*/15 * * * *' });
    const second = await startApp(config, { logger: testLogger, role: 'worker', http: false, cron: false });
    try {
      const schedules = await t.app.queues.boss.getSchedules();
      expect(schedules.map((s) => [s.name, s.cron]).sort()).toEqual([
        ['dispatch', DISPATCH_CRON],
        ['fetch-all', '*/15 * * * *'],
      ]);
    } finally {
      await second.stop();
    }
  });

  it('the scheduled job fetches each source once for everyone', async () => {
    const spy = t.app.queues.boss.getSpy('fetch');
    const jobId = await t.app.queues.send('fetch-all', {});
    await t.app.queues.boss.getSpy('fetch-all').waitForJobWithId(jobId!, 'completed');
    const { rows } = await t.db.pool.query<{ trigger: string; userId: number | null; sources: string[] }>(
      `select q.trigger, q.user_id as "userId", array_agg(r.source_id order by r.source_id) as sources
       from fetch_requests q join fetch_runs r on r.request_id = q.id group by q.id`,
    );
    expect(rows).toEqual([{ trigger: 'schedule', userId: null, sources: ['memory:a', 'memory:b'] }]);
    const runs = await t.db.pool.query<{ id: number }>('select id from fetch_runs');
    await Promise.all(
      runs.rows.map((r) => spy.waitForJob((d: { runId?: number }) => d.runId === r.id, 'completed')),
    );
    const postings = await t.db.pool.query('select external_id from postings order by 1');
    expect(postings.rows.map((r) => r.external_id)).toEqual(['a1', 'b1']);
  });

  it('a board still being fetched is not queued a second time', async () => {
    const { rows } = await t.db.pool.query<{ id: number }>(
      `insert into fetch_requests (trigger) values ('schedule') returning id`,
    );
    await t.db.pool.query(
      `insert into fetch_runs (request_id, source_id, status) values ($1, 'memory:b', 'running')`,
      [rows[0]!.id],
    );
    const jobId = await t.app.queues.send('fetch-all', {});
    await t.app.queues.boss.getSpy('fetch-all').waitForJobWithId(jobId!, 'completed');
    const latest = await t.db.pool.query(
      `select array_agg(r.source_id) as sources from fetch_runs r
       where r.request_id = (select max(id) from fetch_requests)`,
    );
    expect(latest.rows[0].sources).toEqual(['memory:a']);
  });
});
