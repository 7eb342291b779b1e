import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/bots/handlers.ts';
import { type AdminTestApp, fetchThroughApi, problemOf, startAdminTestApp } from '../helpers/admin.ts';
import { consoleActor } from '../helpers/app.ts';

/** Users through the admin API: list, detail, block/unblock, and deletion that leaves nothing behind. */

let t: AdminTestApp;
const alice = { ...consoleActor('alice-7781'), displayName: 'Alice Liddell' };
const bob = consoleActor('bob-5512');
const ids: Record<string, number> = {};

async function settleAlerts() {
  const { rows } = await t.db.pool.query<{ id: number }>('select id from deliveries order by id');
  const spy = t.app.queues.boss.getSpy<{ deliveryId: number }>('notify');
  await Promise.all(rows.map((r) => spy.waitForJob((d) => d.deliveryId === r.id, 'completed')));
}

beforeAll(async () => {
  t = await startAdminTestApp();
  t.app.queues.boss.getSpy('notify');
  await t.say(alice, '/prefs set keywords=typescript,node remote=yes');
  await t.say(bob, '/prefs set keywords=rust alerts=digest');
  await fetchThroughApi(t);
  await settleAlerts();
  // Alice also fetched from chat, with a search text of her own, and saved a job.
  await t.say(alice, '/jobs fetch golang');
  const { rows } = await t.db.pool.query<{ external_id: string; user_id: number }>(
    'select external_id, user_id from identities',
  );
  for (const r of rows) ids[r.external_id] = r.user_id;
  const mine = (await t.say(alice, '/jobs')).reply.cards![0]!;
  await handleCommand(t.app.bot, alice, { name: 'match.action', action: 'save', matchId: mine.matchId });
});
afterAll(async () => {
  await t?.stop();
});

describe('users', () => {
  it('lists users with their platforms and match counts, filtered and paged', async () => {
    const all = (await t.api('GET', '/api/users')).json();
    expect(all.items.map((u: { id: number }) => u.id)).toEqual([ids['alice-7781'], ids['bob-5512']]);
    expect(all.items[0]).toMatchObject({
      displayName: 'Alice Liddell',
      status: 'active',
      platforms: ['console'],
    });
    expect(all.items[0].matches).toBeGreaterThan(5);
    const found = (await t.api('GET', '/api/users?q=5512')).json();
    expect(found.items.map((u: { id: number }) => u.id)).toEqual([ids['bob-5512']]);
    const first = (await t.api('GET', '/api/users?limit=1')).json();
    const second = (await t.api('GET', `/api/users?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((u: { id: number }) => u.id)).toEqual([ids['bob-5512']]);
    expect(second.nextCursor).toBeNull();
    problemOf(await t.api('GET', '/api/users?status=gone'), 400);
    problemOf(await t.api('GET', '/api/users', { token: null }), 401);
  });

  it('shows one user: chat accounts, preferences, matches by status, deliverability', async () => {
    const res = await t.api('GET', `/api/users/${ids['alice-7781']}`);
    expect(res.statusCode).toBe(200);
    const user = res.json();
    expect(user).toMatchObject({
      displayName: 'Alice Liddell',
      identities: [{ platform: 'console', externalId: 'alice-7781', deliverable: true }],
      preferences: { keywords: ['typescript', 'node'], remote: 'remote', alertMode: 'instant' },
      matches: { saved: 1, dismissed: 0, applied: 0 },
      deliverability: { reachable: true, alertIdentityId: user.identities[0].id },
    });
    expect(user.deliverability.deliveries.sent).toBeGreaterThan(0);
    problemOf(await t.api('GET', '/api/users/999999'), 404);
    problemOf(await t.api('GET', '/api/users/0'), 400);
  });

  it('a blocked user is refused by the bot, and an alert waiting to go out is dropped', async () => {
    const path = `/api/users/${ids['bob-5512']}`;
    // An alert of Bob's that is queued but not sent yet.
    const { rows: waiting } = await t.db.pool.query<{ id: number }>(
      `insert into deliveries (match_id, platform, identity_id)
       select m.id, 'console', i.id from matches m join identities i on i.user_id = m.user_id
       where m.user_id = $1 limit 1 returning id`,
      [ids['bob-5512']],
    );
    const blocked = await t.api('PATCH', path, { body: { status: 'blocked' } });
    expect(blocked.statusCode).toBe(200);
    expect(blocked.json()).toMatchObject({ status: 'blocked', deliverability: { reachable: false } });
    expect((await t.say(bob, '/jobs')).reply.text).toBe(
      'This account is blocked. Contact the operator of this JobPing.',
    );
    expect((await t.api('GET', '/api/users?status=blocked')).json().items).toHaveLength(1);
    const dropped = await t.db.pool.query('select status, error from deliveries where id = $1', [
      waiting[0]!.id,
    ]);
    expect(dropped.rows[0]).toEqual({ status: 'skipped', error: 'user blocked by the operator' });

    const unblocked = await t.api('PATCH', path, { body: { status: 'active' } });
    expect(unblocked.json().status).toBe('active');
    expect((await t.say(bob, '/jobs')).reply.text).not.toContain('blocked');

    const bad = problemOf(await t.api('PATCH', path, { body: { status: 'banished', note: 'x' } }), 400);
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['(root)', 'status']);
    problemOf(await t.api('PATCH', '/api/users/999999', { body: { status: 'blocked' } }), 404);
    problemOf(await t.api('PATCH', path, { body: { status: 'blocked' }, token: 'nope' }), 401);
  });
});

describe('DELETE /api/users/{id}', () => {
  it('removes every trace of the user and nothing of anyone else', async () => {
    const aliceId = ids['alice-7781']!;
    const before = await t.db.pool.query<{ n: number }>(
      `select (select count(*) from matches where user_id = $1)::int + (select count(*) from deliveries d
         join matches m on m.id = d.match_id where m.user_id = $1)::int as n`,
      [aliceId],
    );
    expect(before.rows[0]!.n).toBeGreaterThan(5);
    const bobMatches = await t.db.pool.query('select count(*)::int as n from matches where user_id = $1', [
      ids['bob-5512'],
    ]);

    expect((await t.api('DELETE', `/api/users/${aliceId}`)).statusCode).toBe(204);

    // Every table of our schema, every row, as text: neither her ids nor her name nor her search remain.
    const { rows: tables } = await t.db.pool.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const { table_name } of tables) {
      const { rows } = await t.db.pool.query<{ n: number }>(
        `select count(*)::int as n from ${table_name} t
         where row_to_json(t)::text ~* 'alice-7781|Alice Liddell|golang'`,
      );
      expect({ table_name, n: rows[0]!.n }).toEqual({ table_name, n: 0 });
    }
    const { rows: userColumns } = await t.db.pool.query<{ table_name: string }>(
      `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'user_id'`,
    );
    expect(userColumns.map((c) => c.table_name).sort()).toEqual([
      'digests',
      'fetch_requests',
      'identities',
      'link_codes',
      'matches',
      'preferences',
    ]);
    for (const { table_name } of userColumns) {
      const { rows } = await t.db.pool.query(
        `select count(*)::int as n from ${table_name} where user_id = $1`,
        [aliceId],
      );
      expect(rows[0].n).toBe(0);
    }
    const users = await t.db.pool.query('select count(*)::int as n from users where id = $1', [aliceId]);
    expect(users.rows[0].n).toBe(0);
    const orphans = await t.db.pool.query(
      'select count(*)::int as n from deliveries d left join matches m on m.id = d.match_id where m.id is null',
    );
    expect(orphans.rows[0].n).toBe(0);
    // Bob is untouched, and the fetch she asked for stays as the source's history.
    const after = await t.db.pool.query('select count(*)::int as n from matches where user_id = $1', [
      ids['bob-5512'],
    ]);
    expect(after.rows[0].n).toBe(bobMatches.rows[0].n);
    const runs = await t.db.pool.query(
      `select count(*)::int as n from fetch_requests where trigger = 'chat'`,
    );
    expect(runs.rows[0].n).toBe(1);

    problemOf(await t.api('GET', `/api/users/${aliceId}`), 404);
    problemOf(await t.api('DELETE', `/api/users/${aliceId}`), 404);
    problemOf(await t.api('DELETE', '/api/users/abc'), 400);
    problemOf(await t.api('DELETE', `/api/users/${ids['bob-5512']}`, { token: null }), 401);
    // A user who writes again after deletion starts from scratch.
    expect((await t.say(alice, '/prefs')).reply.text).toContain('keywords: none');
  });
});
