import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { type FakeOpenAI, startFakeOpenAI } from './fakes/openai.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';

/**
 * The pipeline with the OpenAI analyzer, pointed at a local server that speaks OpenAI's chat
 * completions protocol, and boards held in memory that the tests edit between fetches.
 */

let t: TestApp;
let openai: FakeOpenAI;
const { boards, kind } = memoryBoards();
const ana = consoleActor('ana');

async function analyses() {
  const { rows } = await t.db.pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from analyses group by status order by status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function modelCalls() {
  const { rows } = await t.db.pool.query<{ outcome: string; n: number }>(
    'select outcome, count(*)::int as n from model_calls group by outcome order by outcome',
  );
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

beforeAll(async () => {
  openai = await startFakeOpenAI();
  t = await startTestApp({
    env: { OPENAI_API_KEY: 'sk-test-key-for-fake', OPENAI_BASE_URL: openai.url, OPENAI_TIMEOUT_MS: '1000' },
    sourceKinds: [kind],
  });
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(
    `insert into sources (id, kind) values ('memory:a', 'memory'), ('memory:b', 'memory')`,
  );
  await t.say(ana, '/prefs set keywords=typescript remote=yes');
});
afterAll(async () => {
  await t?.stop();
  await openai?.close();
});
beforeEach(async () => {
  await t.db.pool.query('truncate postings, analyses, model_calls, fetch_requests cascade');
  boards.set('memory:a', []);
  boards.set('memory:b', []);
  openai.calls.length = 0;
});

describe('analysis with OpenAI', () => {
  it('analyses each content once: a second fetch makes no model call, a changed description exactly one', async () => {
    boards.set('memory:a', [rawPosting({ externalId: 'a1' }), rawPosting({ externalId: 'a2' })]);
    const first = await t.say(ana, '/jobs fetch');
    expect(first.reply.cards).toHaveLength(2);
    expect(openai.calls).toHaveLength(2);
    expect(await modelCalls()).toEqual({ ok: 2 });
    // The system prompt comes first and is the same for every posting: the provider caches it.
    const [c1, c2] = openai.calls;
    expect(c1!.body.messages![0]).toEqual(c2!.body.messages![0]);
    expect(c1!.body.messages!.at(-1)!.role).toBe('user');

    await t.say(ana, '/jobs fetch');
    expect(openai.calls).toHaveLength(2);

    const board = boards.get('memory:a') as ReturnType<typeof rawPosting>[];
    board[0]!.description = `${board[0]!.description}<p>Now with Kubernetes.</p>`;
    await t.say(ana, '/jobs fetch');
    expect(openai.calls).toHaveLength(3);
    expect(await analyses()).toEqual({ succeeded: 3 });
    const { rows } = await t.db.pool.query(
      'select sum(cost_usd) > 0 as costed, sum(input_tokens) > 0 as tokens from model_calls',
    );
    expect(rows[0]).toEqual({ costed: true, tokens: true });
  });

  it('the same job on two boards is analysed once and becomes one match', async () => {
    const job = { title: 'Staff TypeScript Engineer', company: 'Northwind Labs', location: 'Remote' };
    boards.set('memory:a', [rawPosting({ ...job, externalId: 'gh-1', url: 'https://a.example/1' })]);
    boards.set('memory:b', [rawPosting({ ...job, externalId: 'lv-9', url: 'https://b.example/9' })]);
    const { reply } = await t.say(ana, '/jobs fetch');
    expect(reply.cards).toHaveLength(1);
    expect(openai.calls).toHaveLength(1);
    const { rows } = await t.db.pool.query(
      `select count(*)::int as n from matches m join postings p on p.id = m.posting_id where p.company = 'Northwind Labs'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('a posting nobody could want is skipped without a model call', async () => {
    boards.set('memory:a', [
      rawPosting({
        externalId: 'w1',
        title: 'Warehouse Associate',
        description: 'Night shifts, forklift.',
        tags: [],
      }),
    ]);
    const { reply } = await t.say(ana, '/jobs fetch');
    expect(reply.text).toContain('0 new matches');
    expect(openai.calls).toHaveLength(0);
    expect(await analyses()).toEqual({ skipped: 1 });
  });

  it('429, 500 and a timeout are retried until the model answers', async () => {
    boards.set('memory:a', [rawPosting({ externalId: 'r1' })]);
    openai.script({ status: 429, retryAfter: 1 }, { status: 500 }, { hang: true });
    const { reply } = await t.say(ana, '/jobs fetch');
    expect(reply.cards).toHaveLength(1);
    expect(openai.calls).toHaveLength(4);
    expect(await modelCalls()).toEqual({ error: 3, ok: 1 });
    expect(await analyses()).toEqual({ succeeded: 1 });
  });

  it('a model that keeps answering 429 with Retry-After is tried 6 times, then the analysis fails visibly', async () => {
    boards.set('memory:a', [rawPosting({ externalId: 'rl1' })]);
    // Retry-After: 0 re-queues at once; a seventh request would get the default (good) answer.
    openai.script(...Array.from({ length: 6 }, () => ({ status: 429, retryAfter: 0 })));
    const { reply } = await t.say(ana, '/jobs fetch');
    expect(reply.text).toContain('0 new matches');
    expect(openai.calls).toHaveLength(6);
    expect(await modelCalls()).toEqual({ error: 6 });
    const { rows } = await t.db.pool.query('select status, error from analyses');
    expect(rows).toEqual([
      {
        status: 'failed',
        error: expect.stringMatching(/^openai: 429 .*Rate limit.* \(gave up after 6 attempts\)$/),
      },
    ]);
  });

  it('an answer that fails validation twice is recorded as failed: no made-up score, no match', async () => {
    boards.set('memory:a', [rawPosting({ externalId: 'bad1' })]);
    openai.script({ schemaViolation: true }, { invalidJson: true });
    const { reply } = await t.say(ana, '/jobs fetch');
    expect(reply.text).toContain('0 new matches');
    expect(openai.calls).toHaveLength(2);
    expect(await modelCalls()).toEqual({ invalid_output: 2 });
    const { rows } = await t.db.pool.query('select status, error, seniority, summary from analyses');
    expect(rows).toEqual([
      {
        status: 'failed',
        error: expect.stringMatching(/model answer did not validate/),
        seniority: null,
        summary: null,
      },
    ]);
    expect((await t.db.pool.query('select count(*)::int as n from matches')).rows[0].n).toBe(0);
  });

  it('one failing board fails its own run only', async () => {
    boards.set('memory:a', new Error('upstream said 503'));
    boards.set('memory:b', [rawPosting({ externalId: 'ok1' })]);
    const { reply, progress } = await t.say(ana, '/jobs fetch');
    expect(reply.cards).toHaveLength(1);
    expect(progress.at(-1)).toContain('⚠ memory:a failed: upstream said 503');
    const { rows } = await t.db.pool.query(
      'select source_id, status, error from fetch_runs order by source_id',
    );
    expect(rows).toEqual([
      { source_id: 'memory:a', status: 'failed', error: 'upstream said 503' },
      { source_id: 'memory:b', status: 'succeeded', error: null },
    ]);
  });
});
