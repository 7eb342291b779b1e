import { followFetch } from '../../src/bots/fetch-progress.ts';
import { runDispatch } from '../../src/pipeline/dispatch.ts';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import type { TestApp } from './app.ts';

/** What the helpers drive: any running test app with its database (console or a platform's). */
type Driven = Pick<TestApp, 'app' | 'db'>;

/**
 * Driving the alert machinery from a test: a fetch that nobody asked for in chat (so alerts go
 * out instead of a reply), the dispatcher run at the test clock's time, and a wait until every
 * message queued so far has been handled (pg-boss spies, no sleeps).
 */

/** Call before anything is queued: spies only see jobs from the moment they exist. */
export function watchMessages(t: Driven) {
  t.app.queues.boss.getSpy('notify');
  t.app.queues.boss.getSpy('digest');
}

export async function fetchAll(t: Driven) {
  const request = await requestFetch(t.app.bot, { trigger: 'schedule', userId: null, query: null });
  const progress = await followFetch(t.app.bot, request.id, () => {});
  if (!progress.done) throw new Error('fetch did not finish');
  await settle(t);
  return progress;
}

export async function dispatch(t: Driven) {
  const outcome = await runDispatch(t.app.bot);
  await settle(t);
  return outcome;
}

/** Waits until every delivery and digest queued so far has been sent (or settled otherwise). */
export async function settle(t: Driven) {
  const deliveries = await t.db.pool.query<{ id: number }>(
    `select id from deliveries where queued_at is not null and kind <> 'digest'`,
  );
  const digests = await t.db.pool.query<{ id: number }>(`select id from digests where status <> 'empty'`);
  const notify = t.app.queues.boss.getSpy<{ deliveryId: number }>('notify');
  const digest = t.app.queues.boss.getSpy<{ digestId: number }>('digest');
  await Promise.all([
    ...deliveries.rows.map((r) => notify.waitForJob((d) => d.deliveryId === r.id, 'completed')),
    ...digests.rows.map((r) => digest.waitForJob((d) => d.digestId === r.id, 'completed')),
  ]);
}

/** The alerts received so far, as text lines, and forgets them. */
export function takeAlerts(t: TestApp) {
  const taken = t.alerts.splice(0);
  return taken;
}
