import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, fetchThroughApi, startAdminTestApp } from '../helpers/admin.ts';
import { consoleActor } from '../helpers/app.ts';

/** /metrics times every queue's jobs, by queue and outcome, whichever stage ran them. */

let t: AdminTestApp;

beforeAll(async () => {
  t = await startAdminTestApp();
  // Spies record from when they are made: before any job runs.
  const spies = {
    analyze: t.app.queues.boss.getSpy<{ contentHash: string }>('analyze'),
    match: t.app.queues.boss.getSpy<{ postingIds: number[] }>('match'),
    notify: t.app.queues.boss.getSpy<{ deliveryId: number }>('notify'),
  };
  await t.say(consoleActor('alice'), '/prefs set keywords=typescript remote=yes alerts=instant');
  // One analysis meets a model error: its job fails once, and is retried.
  t.openai.script({ status: 500 });
  await fetchThroughApi(t);
  // A job's time is recorded before pg-boss marks it done: wait for every job to be done.
  const query = async (sql: string) => (await t.db.pool.query(sql)).rows;
  const hashes = await query('select content_hash as h from analyses');
  const matched = await query(
    `select p.id from postings p join analyses a on a.content_hash = p.content_hash where a.status = 'succeeded'`,
  );
  const deliveries = await query('select id from deliveries');
  await Promise.all([
    spies.analyze.waitForJob(() => true, 'failed'),
    ...hashes.map((r) => spies.analyze.waitForJob((d) => d.contentHash === r.h, 'completed')),
    ...matched.map((r) => spies.match.waitForJob((d) => d.postingIds.includes(r.id), 'completed')),
    ...deliveries.map((r) => spies.notify.waitForJob((d) => d.deliveryId === r.id, 'completed')),
  ]);
});
afterAll(async () => {
  await t?.stop();
});

/** The value of one sample line, by its exact labels; undefined when there is none. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('jobping_job_duration_seconds', () => {
  it('counts every stage’s jobs by queue and outcome, in cumulative buckets', async () => {
    const res = await t.api('GET', '/metrics');
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).toContain('# TYPE jobping_job_duration_seconds histogram');
    const { rows } = await t.db.pool.query(
      `select (select count(*)::int from analyses) as analyses,
              (select count(*)::int from deliveries where status = 'sent') as sent`,
    );
    const count = (queue: string, outcome: string) =>
      sample(text, `jobping_job_duration_seconds_count{queue="${queue}",outcome="${outcome}"}`);

    expect(count('fetch', 'completed')).toBe(1);
    expect(count('analyze', 'completed')).toBe(rows[0].analyses);
    expect(count('analyze', 'failed')).toBe(1);
    expect(count('match', 'completed')).toBeGreaterThan(0);
    expect(rows[0].sent).toBeGreaterThan(0);
    expect(count('notify', 'completed')).toBe(rows[0].sent);
    expect(count('match', 'failed')).toBeUndefined();

    const buckets = text
      .split('\n')
      .filter((l) => l.startsWith('jobping_job_duration_seconds_bucket{queue="analyze",outcome="completed"'))
      .map((l) => Number(l.split(' ')[1]));
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe(rows[0].analyses);
    expect(
      sample(text, 'jobping_job_duration_seconds_sum{queue="fetch",outcome="completed"}'),
    ).toBeGreaterThan(0);
  });
});
