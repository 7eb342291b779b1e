import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followFetch } from '../../src/bots/fetch-progress.ts';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import { addSource } from '../../src/pipeline/sources/manage.ts';
import { type FakeBoards, startFakeBoards } from '../fakes/boards.ts';
import { consoleActor, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Real boards inside a whole JobPing (PostgreSQL, pg-boss, workers): one board failing never
 * costs the others, cards credit the boards that ask for it, a board that suddenly returns
 * nothing is flagged, and daily request limits hold across runs.
 */

let t: TestApp;
let boards: FakeBoards;
const alice = consoleActor('alice');

beforeAll(async () => {
  boards = await startFakeBoards();
  t = await startTestApp();
  await t.db.pool.query(`update sources set enabled = false where id = 'sample'`);
  const deps = { pool: t.db.pool, sources: t.app.sources };
  await addSource(deps, 'greenhouse:northwindfreight', { baseUrl: boards.url, minIntervalMs: 0 });
  await addSource(deps, 'remoteok', { baseUrl: boards.url, minIntervalMs: 0 });
  await addSource(deps, 'remotive', { baseUrl: boards.url, minIntervalMs: 0, dailyLimit: 1 });
  await t.db.pool.query(`update sources set enabled = false where id = 'remotive'`);
});
afterAll(async () => {
  await t?.stop();
  await boards?.close();
});

async function fetchNow(sourceIds: string[]) {
  const request = await requestFetch(t.app.bot, { trigger: 'cli', userId: null, query: null, sourceIds });
  await followFetch(t.app.bot, request.id, () => {});
  const { rows } = await t.db.pool.query<{
    source_id: string;
    status: string;
    found: number;
    error: string | null;
    warning: string | null;
  }>(
    'select source_id, status, found, error, warning from fetch_runs where request_id = $1 order by source_id',
    [request.id],
  );
  return rows;
}

describe('boards in the pipeline', () => {
  it('a board answering invalid JSON fails its own run only; the other board’s match arrives, credited', async () => {
    boards.queue('/v1/boards/northwindfreight/jobs', { body: '{"jobs": [ {"id": 1, "title": "Broken' });
    await t.say(alice, '/prefs set keywords=rust remote=yes');
    const { reply, progress } = await t.say(alice, '/jobs fetch');

    expect(progress[0]).toBe('Fetching 2 sources…');
    expect(reply.text).toMatch(/^Fetching 2 sources… → 3 postings, 3 new/);
    expect(reply.text).toContain(
      '⚠ greenhouse:northwindfreight failed: Greenhouse: response is not valid JSON',
    );
    expect(reply.cards).toHaveLength(1);
    const card = reply.cards![0]!;
    expect(card).toMatchObject({
      title: 'Senior Rust Engineer',
      company: 'Ferrous Labs',
      salary: '$150k–190k / year',
      source: 'Remote OK',
      attribution: { text: 'Jobs from Remote OK', url: 'https://remoteok.com' },
      url: 'https://remoteOK.com/remote-jobs/remote-senior-rust-engineer-ferrous-labs-1200101',
    });

    const { rows } = await t.db.pool.query<{ id: string; consecutive_failures: number }>(
      `select id, consecutive_failures from sources where id in ('greenhouse:northwindfreight', 'remoteok') order by id`,
    );
    expect(rows).toEqual([
      { id: 'greenhouse:northwindfreight', consecutive_failures: 1 },
      { id: 'remoteok', consecutive_failures: 0 },
    ]);
    const stored = await t.db.pool.query(
      `select count(*)::int as n from postings where source_id = 'remoteok'`,
    );
    expect(stored.rows[0].n).toBe(3);
  });

  it('flags a board that finds nothing after runs that found plenty, until it finds postings again', async () => {
    const original = boards.data.greenhouse;
    boards.data.greenhouse = Array.from({ length: 6 }, (_, i) => ({
      ...original[i % 3]!,
      id: 7012346000 + i,
    }));
    for (let i = 0; i < 3; i++) {
      const [run] = await fetchNow(['greenhouse:northwindfreight']);
      expect(run).toMatchObject({ status: 'succeeded', found: 6, warning: null });
    }
    boards.data.greenhouse = [];
    const [empty] = await fetchNow(['greenhouse:northwindfreight']);
    const expected =
      'found 0 postings where its previous 3 runs found 6, 6, 6: the board may have changed its format or be blocking us';
    expect(empty).toMatchObject({ status: 'succeeded', found: 0, warning: expected });
    const flagged = await t.db.pool.query(
      `select warning from sources where id = 'greenhouse:northwindfreight'`,
    );
    expect(flagged.rows[0].warning).toBe(expected);

    boards.data.greenhouse = original;
    await fetchNow(['greenhouse:northwindfreight']);
    const cleared = await t.db.pool.query(
      `select warning from sources where id = 'greenhouse:northwindfreight'`,
    );
    expect(cleared.rows[0].warning).toBeNull();
  });

  it('counts a board’s daily requests in the database: over the limit, the run fails saying why', async () => {
    await t.db.pool.query(`update sources set enabled = true where id = 'remotive'`);
    const before = boards.hits('/api/remote-jobs').length;
    const [first] = await fetchNow(['remotive']);
    expect(first).toMatchObject({ status: 'succeeded', found: 3 });
    const [second] = await fetchNow(['remotive']);
    expect(second).toMatchObject({
      status: 'failed',
      error: 'remotive: daily limit of 1 request reached; it resets at 00:00 UTC',
    });
    expect(boards.hits('/api/remote-jobs').length - before).toBe(1);
    const { rows } = await t.db.pool.query(`select bucket, requests from source_request_counts`);
    expect(rows).toEqual([{ bucket: 'remotive', requests: 1 }]);
  });

  it('a search board’s few searches serve the most users, not the alphabetically first keywords', async () => {
    // 60 users with a keyword of their own early in the alphabet (5 of them in Amsterdam); 10 want
    // typescript, 6 zig (those 16 in Zurich), 3 kotlin or node, 2 node. Blocked users don't count.
    const want = async (keywords: string[], locations: string[], status = 'active') => {
      await t.db.pool.query(
        `with u as (insert into users (display_name, status) values ('demand', $3) returning id)
         insert into preferences (user_id, keywords, locations) select id, $1, $2 from u`,
        [keywords, locations, status],
      );
    };
    for (let i = 0; i < 60; i++) await want([`aardvark${i}`], i < 5 ? ['Amsterdam'] : []);
    for (let i = 0; i < 10; i++) await want(['typescript'], ['Zurich']);
    for (let i = 0; i < 6; i++) await want(['zig'], ['Zurich']);
    for (let i = 0; i < 3; i++) await want(['kotlin', 'node'], []);
    for (let i = 0; i < 2; i++) await want(['node'], []);
    for (let i = 0; i < 80; i++) await want(['cobol'], ['Berlin'], 'blocked');
    await addSource({ pool: t.db.pool, sources: t.app.sources }, 'linkedin', {
      baseUrl: boards.url,
      minIntervalMs: 0,
      maxPages: 1,
    });
    const before = boards.hits('/jobs-guest/jobs/api/seeMoreJobPostings/search').length;
    const [run] = await fetchNow(['linkedin']);
    expect(run).toMatchObject({ status: 'succeeded' });
    const searches = boards.hits('/jobs-guest/jobs/api/seeMoreJobPostings/search').slice(before);
    expect(searches.map((r) => [r.query.get('keywords'), r.query.get('location')])).toEqual([
      ['typescript', 'Zurich'],
      ['zig', 'Zurich'],
      ['node', 'Zurich'],
    ]);
    await t.db.pool.query(`update sources set enabled = false where id = 'linkedin'`);
  });
});
