import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/ports.ts';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import { type Queues, startQueues } from '../../src/pipeline/queues.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { createTestDatabase, type TestDatabase, testLogger } from '../helpers/db.ts';
import {
  ALICE_MATCHES,
  activeJobs,
  addAlice,
  analysisStates,
  eventually,
  matchedExternalIds,
  spawnWorker,
} from './helpers.ts';

/**
 * Worker processes stopped the hard way and the polite way in the middle of analysis: the work is
 * redone or handed back, nothing is lost, nothing is stuck, and the result is what an undisturbed
 * run gives.
 */

let db: TestDatabase | undefined;
let queues: Queues | undefined;
let openai: FakeOpenAI | undefined;
const kills: (() => void)[] = [];

afterEach(async () => {
  for (const kill of kills.splice(0)) kill();
  await queues?.stop(2000);
  await openai?.close();
  await db?.drop();
});

async function setUp() {
  db = await createTestDatabase();
  openai = await startFakeOpenAI({ latencyMs: 3000 });
  queues = await startQueues({ url: db.url, logger: testLogger, supervise: false, schedule: false });
  const userId = await addAlice(db.pool);
  const env = {
    DATABASE_URL: db.url,
    OPENAI_API_KEY: 'sk-fault-test-key',
    OPENAI_BASE_URL: openai.url,
    OPENAI_TIMEOUT_MS: '30000',
  };
  return { userId, env };
}

function worker(env: Record<string, string>) {
  const w = spawnWorker(env);
  kills.push(() => w.child.kill('SIGKILL'));
  return w;
}

describe('worker faults', () => {
  it('a worker killed with SIGKILL mid-analysis: another worker redoes the work, the matches are complete', async () => {
    const { userId, env } = await setUp();
    const first = worker(env);
    await requestFetch(
      { pool: db!.pool, queues: queues!, clock: systemClock },
      { trigger: 'cli', userId: null, query: null },
    );
    await openai!.waitForCalls(4); // model calls in flight, none answered yet
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    expect(await analysisStates(db!.pool)).toMatchObject({ pending: expect.any(Number) });

    openai!.setLatency(5);
    worker(env);
    const states = await eventually(
      'every analysis to settle',
      () => analysisStates(db!.pool),
      (s) => !s.pending && (s.succeeded ?? 0) > 0,
    );
    expect(states.failed).toBeUndefined();
    await eventually(
      'matching to finish',
      () => matchedExternalIds(db!.pool, userId),
      (ids) => ids.length >= ALICE_MATCHES.length,
    );
    expect(await matchedExternalIds(db!.pool, userId)).toEqual(ALICE_MATCHES);
    // The killed process's calls were never recorded; the redone ones were, once per content.
    const { rows } = await db!.pool.query(
      `select count(*)::int as calls, count(distinct content_hash)::int as contents from model_calls where outcome = 'ok'`,
    );
    expect(rows[0].calls).toBe(rows[0].contents);
  }, 90_000);

  it('SIGTERM mid-analysis: running jobs finish, the process exits 0, and nothing is left active', async () => {
    const { userId, env } = await setUp();
    const w = worker(env);
    await requestFetch(
      { pool: db!.pool, queues: queues!, clock: systemClock },
      { trigger: 'cli', userId: null, query: null },
    );
    await openai!.waitForCalls(4);
    const callsAtTerm = openai!.calls.length;
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.output()).toContain('Stopped.');
    expect(await activeJobs(db!.pool)).toBe(0);
    // The calls that were running when the signal came finished and were recorded.
    const { rows } = await db!.pool.query(`select count(*)::int as n from model_calls where outcome = 'ok'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(callsAtTerm);

    openai!.setLatency(5);
    worker(env);
    await eventually(
      'every analysis to settle',
      () => analysisStates(db!.pool),
      (s) => !s.pending,
    );
    await eventually(
      'matching to finish',
      () => matchedExternalIds(db!.pool, userId),
      (ids) => ids.length >= ALICE_MATCHES.length,
    );
    expect(await matchedExternalIds(db!.pool, userId)).toEqual(ALICE_MATCHES);
  }, 90_000);
});
