import { afterAll, beforeAll, expect, it } from 'vitest';
import { createInstantDeliveries } from '../src/db/deliveries.ts';
import { withTransaction } from '../src/db/pool.ts';
import { releaseDeliveries } from '../src/pipeline/deliver.ts';
import type { Queues } from '../src/pipeline/queues.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

/**
 * A burst of instant alerts goes on the queue one user at a time in turn (each user's first
 * alert, then each user's second, …), so no worker holds several messages to one chat at once:
 * chat platforms refuse more than about one message a second in one chat.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

it('queues a burst of alerts round-robin over the users', async () => {
  const { rows: users } = await db.pool.query<{ id: number }>(
    `with u as (insert into users (display_name) values ('ann'), ('ben'), ('cy') returning id),
     i as (insert into identities (user_id, platform, external_id) select id, 'console', 'u' || id from u),
     p as (insert into preferences (user_id, alert_mode, alert_threshold) select id, 'instant', 0 from u)
     select id from u order by id`,
  );
  const { rows: postings } = await db.pool.query<{ id: number }>(
    `insert into postings (source_id, external_id, dedup_key, title, company, url, content_hash)
     select 'sample', 'o' || g, 'k' || g, 'Engineer ' || g, 'Acme', 'https://jobs.example/' || g, 'h' || g
     from generate_series(1, 3) g returning id`,
  );
  // Matches created user by user, as the match stage stores them.
  const { rows: matches } = await db.pool.query<{ id: number }>(
    `insert into matches (user_id, posting_id, score)
     select u, p, 90 from unnest($1::bigint[]) u, unnest($2::bigint[]) p order by u, p returning id`,
    [users.map((u) => u.id), postings.map((p) => p.id)],
  );
  const queued: number[] = [];
  const queues = {
    sendMany: async (_name: string, payloads: { deliveryId: number }[]) => {
      queued.push(...payloads.map((p) => p.deliveryId));
    },
  } as unknown as Queues;
  await withTransaction(db.pool, async (tx) => {
    const now = new Date();
    const ids = await createInstantDeliveries(
      tx,
      matches.map((m) => m.id),
      now,
    );
    await releaseDeliveries(tx, { queues, now }, ids);
  });
  const { rows } = await db.pool.query<{ id: number; userId: number }>(
    `select d.id, m.user_id as "userId" from deliveries d join matches m on m.id = d.match_id`,
  );
  const userOf = new Map(rows.map((r) => [r.id, r.userId]));
  const [ann, ben, cy] = users.map((u) => u.id);
  expect(queued.map((id) => userOf.get(id))).toEqual([ann, ben, cy, ann, ben, cy, ann, ben, cy]);
});
