import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followFetch } from '../../src/bots/fetch-progress.ts';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import { addSource } from '../../src/pipeline/sources/manage.ts';
import { type FakeBoards, startFakeBoards } from '../fakes/boards.ts';
import { type ChatRequestBody, defaultAnswer, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { consoleActor, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Hacker News "Who is hiring" posts through a whole JobPing: a post without a "Company | Role"
 * line is kept; with the model analyzer, its card shows the title, company and place the model
 * read from the text, and users are matched on them; with the heuristic, the adapter's guess stands.
 */

/** Post 50100016 in the fixture: prose only, no role named in so many words, "Berlin" mid-sentence. */
const PROSE_POST = 'grid-scale batteries';
const EXTRACTED = {
  title: 'Power Electronics Engineer',
  company: 'Halcyon Grid',
  location: 'Berlin, Germany',
};

/** The model: reads the prose post's fields (as a real model would), the heuristic answer otherwise. */
function modelAnswer(body: ChatRequestBody): object {
  const answer = defaultAnswer(body);
  const user = JSON.stringify(body.messages?.at(-1)?.content ?? '');
  return user.includes(PROSE_POST) ? { ...answer, ...EXTRACTED } : answer;
}

let boards: FakeBoards;
beforeAll(async () => {
  boards = await startFakeBoards();
});
afterAll(async () => {
  await boards?.close();
});

async function startWithHackerNews(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp({ env });
  await t.db.pool.query(`update sources set enabled = false where id = 'sample'`);
  await addSource({ pool: t.db.pool, sources: t.app.sources }, 'hackernews', {
    baseUrl: boards.url,
    minIntervalMs: 0,
  });
  return t;
}

async function fetchHackerNews(t: TestApp) {
  const request = await requestFetch(t.app.bot, {
    trigger: 'cli',
    userId: null,
    query: null,
    sourceIds: ['hackernews'],
  });
  await followFetch(t.app.bot, request.id, () => {});
}

async function storedPostings(t: TestApp) {
  const { rows } = await t.db.pool.query<{
    externalId: string;
    title: string;
    company: string;
    location: string | null;
    dedupKey: string;
  }>(
    `select external_id as "externalId", title, company, location, dedup_key as "dedupKey"
     from postings where source_id = 'hackernews' order by external_id`,
  );
  return rows;
}

describe('Hacker News with the model analyzer', () => {
  let t: TestApp;
  let openai: FakeOpenAI;
  const hana = consoleActor('hana');
  beforeAll(async () => {
    openai = await startFakeOpenAI({ answer: modelAnswer });
    t = await startWithHackerNews({
      OPENAI_API_KEY: 'sk-test-key-for-fake',
      OPENAI_BASE_URL: openai.url,
      OPENAI_TIMEOUT_MS: '2000',
    });
    // Only the model's title says "power electronics"; only its location says where the job is.
    await t.say(hana, '/prefs set keywords="power electronics" locations=berlin');
  });
  afterAll(async () => {
    await t?.stop();
    await openai?.close();
  });

  it('shows and matches a prose post by the title, company and place the model read', async () => {
    const { reply } = await t.say(hana, '/jobs fetch');
    expect(reply.cards).toHaveLength(1);
    expect(reply.cards![0]).toMatchObject({
      ...EXTRACTED,
      remote: 'onsite',
      url: 'https://news.ycombinator.com/item?id=50100016',
      source: 'Hacker News',
    });
    // A title-level hit: the keyword's words are among the terms of the title the card shows.
    expect(reply.cards![0]!.reasons[0]).toMatch(/^title\/skills: .*\bpower\b/);

    const prose = (await storedPostings(t)).find((p) => p.externalId === '50100016')!;
    expect(prose).toMatchObject(EXTRACTED);
    // The dedup key stays the adapter's: the same post fetched again is the same posting, unchanged.
    expect(prose.dedupKey).toMatch(/^halcyon grid\|open roles\|/);
    const calls = openai.calls.length;
    await fetchHackerNews(t);
    expect(openai.calls.length).toBe(calls);
    expect((await storedPostings(t)).find((p) => p.externalId === '50100016')).toMatchObject(EXTRACTED);
    const { rows } = await t.db.pool.query(
      `select updated, unchanged from fetch_runs where source_id = 'hackernews' order by id desc limit 1`,
    );
    expect(rows[0]).toEqual({ updated: 0, unchanged: 5 });
  });
});

describe('Hacker News with the heuristic analyzer', () => {
  let t: TestApp;
  const hugo = consoleActor('hugo');
  beforeAll(async () => {
    t = await startWithHackerNews();
    await t.say(hugo, '/prefs set keywords=batteries');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps every post, and a prose post keeps the adapter’s guessed company and neutral title', async () => {
    const { reply } = await t.say(hugo, '/jobs fetch');
    expect((await storedPostings(t)).map((p) => [p.externalId, p.company, p.title, p.location])).toEqual([
      ['50100011', 'Tessellate', 'Senior Backend Engineer', 'Remote (US, Canada)'],
      ['50100012', 'Moorgate Analytics', 'Data Engineer, Analytics Engineer', 'London, UK'],
      ['50100013', 'Kestrel Robotics', 'Embedded Engineer', 'Zürich, Switzerland & Munich'],
      ['50100014', 'Company not named', 'Open roles', null],
      ['50100016', 'Halcyon Grid', 'Open roles', null],
    ]);
    expect(reply.cards).toHaveLength(1);
    expect(reply.cards![0]).toMatchObject({ title: 'Open roles', company: 'Halcyon Grid', location: null });
  });
});
