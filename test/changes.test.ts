import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../src/bots/handlers.ts';
import type { RawPosting } from '../src/core/types.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { fetchAll, watchMessages } from './helpers/alerts.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/**
 * Change messages about saved jobs, end to end: a salary change, a repost folded into a saved
 * job, and a job gone from its board on two successful runs in a row. Each goes once to the users
 * who saved (or applied to) the job, and never again however often the board is fetched.
 */

let t: TestApp;
const clock = manualClock('2025-06-02T12:00:00Z');
const { boards, kind } = memoryBoards();
const gus = consoleActor('gus');
const hana = consoleActor('hana');

const board = () => boards.get('memory:a') as RawPosting[];

function job(id: string, title: string, extra: Partial<RawPosting> = {}): RawPosting {
  return rawPosting({
    externalId: id,
    title,
    company: 'Globex',
    location: 'Remote',
    tags: [],
    description: `<p>${title}.</p>`,
    salary: { min: 120000, max: 140000, currency: 'USD', interval: 'year' },
    postedAt: '2025-06-01T12:00:00Z',
    ...extra,
  });
}

async function matchOf(actor: { externalId: string }, title: string) {
  const { rows } = await t.db.pool.query<{ id: number }>(
    `select m.id from matches m join postings p on p.id = m.posting_id
     join identities i on i.user_id = m.user_id where i.external_id = $1 and p.title = $2`,
    [actor.externalId, title],
  );
  return rows[0]!.id;
}

const texts = () => t.alerts.splice(0).map((a) => `${a.target}: ${a.reply.text}`);

beforeAll(async () => {
  t = await startTestApp({ clock, sourceKinds: [kind] });
  watchMessages(t);
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(
    `insert into sources (id, kind) values ('memory:a', 'memory'), ('memory:b', 'memory')`,
  );
  boards.set('memory:b', []);
  // Digest mode: no instant alerts, so every message below is a change message.
  await t.say(gus, '/prefs set keywords=scala alerts=digest');
  await t.say(hana, '/prefs set keywords=scala alerts=digest');
  boards.set('memory:a', [
    job('s1', 'Scala Engineer'),
    job('s2', 'Senior Scala Engineer'),
    job('s3', 'Scala Lead'),
  ]);
  await fetchAll(t);
  for (const title of ['Scala Engineer', 'Senior Scala Engineer', 'Scala Lead'])
    await handleCommand(t.app.bot, gus, {
      name: 'match.action',
      action: 'save',
      matchId: await matchOf(gus, title),
    });
  await handleCommand(t.app.bot, hana, {
    name: 'match.action',
    action: 'applied',
    matchId: await matchOf(hana, 'Scala Lead'),
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('change messages for saved jobs', () => {
  it('a salary change is told once to whoever saved the job', async () => {
    board()[0]!.salary = { min: 130000, max: 150000, currency: 'USD', interval: 'year' };
    await fetchAll(t);
    expect(texts()).toEqual([
      'gus: Salary changed: Scala Engineer at Globex now says $130k–150k / year (was $120k–140k / year).',
    ]);
    await fetchAll(t);
    expect(texts()).toEqual([]);
  });

  it('a job posted again (on another board) is told once', async () => {
    boards.set('memory:b', [job('b1', 'Senior Scala Engineer', { url: 'https://other.example/b1' })]);
    await fetchAll(t);
    expect(texts()).toEqual([
      'gus: Reposted: Senior Scala Engineer at Globex was posted again on Memory board · b: https://other.example/b1',
    ]);
    await fetchAll(t);
    expect(texts()).toEqual([]);
  });

  it('a job gone from its board on two successful runs closes, told once to each who saved or applied', async () => {
    boards.set(
      'memory:a',
      board().filter((p) => p.externalId !== 's3'),
    );
    await fetchAll(t); // first miss: could be a hiccup
    expect(texts()).toEqual([]);
    boards.set('memory:a', new Error('board down'));
    await fetchAll(t); // a failed run proves nothing
    expect(texts()).toEqual([]);
    boards.set('memory:a', [job('s1', 'Scala Engineer'), job('s2', 'Senior Scala Engineer')]);
    board()[0]!.salary = { min: 130000, max: 150000, currency: 'USD', interval: 'year' };
    await fetchAll(t); // second successful run without it
    expect(texts().sort()).toEqual([
      'gus: Closed: Scala Lead at Globex is no longer listed on Memory board · a.',
      'hana: Closed: Scala Lead at Globex is no longer listed on Memory board · a.',
    ]);
    await fetchAll(t);
    await fetchAll(t);
    expect(texts()).toEqual([]);
    const { rows } = await t.db.pool.query(
      `select kind, change_key, count(*)::int as n from deliveries group by 1, 2 order by 1, 2`,
    );
    expect(rows).toEqual([
      { kind: 'change', change_key: 'closed', n: 2 },
      { kind: 'change', change_key: expect.stringMatching(/^reposted:\d+$/), n: 1 },
      { kind: 'change', change_key: 'salary:$130k–150k / year', n: 1 },
    ]);
  });
});
