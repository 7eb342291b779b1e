import type pg from 'pg';
import { followFetch } from '../src/bots/fetch-progress.ts';
import { loadConfig } from '../src/config.ts';
import { parseTermList } from '../src/core/terms.ts';
import { createLogger } from '../src/log.ts';
import { type RunningApp, startApp } from '../src/main.ts';
import { requestFetch } from '../src/pipeline/fetch.ts';
import { memoryBoards } from '../test/fakes/memory-source.ts';
import { startFakeOpenAI } from '../test/fakes/openai.ts';
import { freshDatabase } from './db.ts';
import { type GeneratedUser, generatePostings, generateUsers } from './generate.ts';

/**
 * The pipeline benchmark: N postings on B boards (a share posted twice) and M users, through
 * fetch → analyse → match, three times over the same boards, with the fake OpenAI server at a set
 * latency (or the heuristic analyzer). Reports throughput and model economy against the old design.
 */

export interface PipelineFigures {
  analyzer: string;
  postings: number;
  uniquePostings: number;
  users: number;
  modelLatencyMs: number | null;
  concurrency: number | null;
  firstFetchSeconds: number;
  postingsPerSecond: number;
  analysedPerSecond: number;
  idealAnalysedPerSecond: number | null;
  modelCalls: number;
  analysedContents: number;
  callsPerAnalysedContent: number | null;
  callsPerUniquePosting: number;
  preFilterSkipRate: number;
  inputTokensPerCall: number | null;
  costPer1000Postings: number | null;
  naiveModelCalls: number;
  matches: number;
  repeatFetchCalls: number;
}

async function insertUsers(pool: pg.Pool, users: GeneratedUser[]) {
  await pool.query(
    `with u as (
       insert into users (display_name) select 'bench-' || g from generate_series(1, $1) g returning id
     ), numbered as (select id, row_number() over (order by id) as n from u),
     i as (insert into identities (user_id, platform, external_id) select id, 'console', 'bench-' || id from numbered)
     insert into preferences (user_id, keywords, remote, salary_min, salary_currency, alert_mode)
     select n.id, (($2::jsonb)->(n.n::int - 1)->>'keywords')::text[]::text[], ($2::jsonb)->(n.n::int - 1)->>'remote',
            (($2::jsonb)->(n.n::int - 1)->>'salaryMin')::numeric, 'USD', 'off'
     from numbered n`,
    [
      users.length,
      JSON.stringify(
        users.map((u) => ({ ...u, keywords: `{${u.keywords.map((k) => parseTermList(k)[0]).join(',')}}` })),
      ),
    ],
  );
}

export async function runPipelineBench(options: {
  adminUrl: string;
  postings: number;
  users: number;
  boards?: number;
  duplicateShare?: number;
  modelLatencyMs: number | null;
  concurrency?: number;
  log?: (line: string) => void;
}): Promise<PipelineFigures> {
  const log = options.log ?? (() => {});
  const scenario = generatePostings({
    postings: options.postings,
    boards: options.boards ?? 4,
    duplicateShare: options.duplicateShare ?? 0.2,
  });
  const db = await freshDatabase(options.adminUrl, options.modelLatencyMs === null ? 'heur' : 'model');
  const openai =
    options.modelLatencyMs === null ? null : await startFakeOpenAI({ latencyMs: options.modelLatencyMs });
  const { boards, kind } = memoryBoards();
  for (const [id, postings] of scenario.boards) boards.set(id, postings);
  const concurrency = options.concurrency ?? 32;
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: 'error',
    OPENAI_CONCURRENCY: String(concurrency),
    ...(openai ? { OPENAI_API_KEY: 'sk-bench-key-0000', OPENAI_BASE_URL: openai.url } : {}),
  });
  let app: RunningApp | undefined;
  try {
    app = await startApp(config, {
      logger: createLogger({ level: 'error', format: 'json' }),
      http: false,
      sourceKinds: [kind],
      pollingIntervalSeconds: 0.5,
    });
    await app.db.pool.query(`update sources set enabled = false`);
    await app.db.pool.query(`insert into sources (id, kind) select unnest($1::text[]), 'memory'`, [
      [...scenario.boards.keys()],
    ]);
    await insertUsers(app.db.pool, generateUsers(options.users));
    const bot = { ...app.bot, fetchPollMs: 100, fetchTimeoutMs: 30 * 60_000 };

    const started = performance.now();
    const first = await requestFetch(bot, { trigger: 'cli', userId: null, query: null });
    await followFetch(bot, first.id, (line) => log(`  ${line}`));
    const firstSeconds = (performance.now() - started) / 1000;
    const callsAfterFirst = await countCalls(app.db.pool);
    for (let i = 0; i < 2; i++) {
      const again = await requestFetch(bot, { trigger: 'cli', userId: null, query: null });
      await followFetch(bot, again.id, () => {});
    }
    const { rows } = await app.db.pool.query<{
      calls: number;
      analysed: number;
      skipped: number;
      contents: number;
      input: number;
      cost: number;
      matches: number;
    }>(
      `select (select count(*) from model_calls where outcome = 'ok')::int as calls,
              (select count(*) from analyses where status = 'succeeded')::int as analysed,
              (select count(*) from analyses where status = 'skipped')::int as skipped,
              (select count(*) from analyses)::int as contents,
              (select coalesce(avg(input_tokens), 0) from model_calls where outcome = 'ok')::float as input,
              (select coalesce(sum(cost_usd), 0) from model_calls)::float as cost,
              (select count(*) from matches)::int as matches`,
    );
    const r = rows[0]!;
    return {
      analyzer: openai ? `fake OpenAI, ${options.modelLatencyMs} ms` : 'heuristic',
      postings: scenario.totalPostings,
      uniquePostings: scenario.uniquePostings,
      users: options.users,
      modelLatencyMs: options.modelLatencyMs,
      concurrency: openai ? concurrency : null,
      firstFetchSeconds: firstSeconds,
      postingsPerSecond: scenario.totalPostings / firstSeconds,
      analysedPerSecond: r.analysed / firstSeconds,
      idealAnalysedPerSecond: openai ? concurrency / (options.modelLatencyMs! / 1000) : null,
      modelCalls: r.calls,
      analysedContents: r.analysed,
      callsPerAnalysedContent: openai && r.analysed ? r.calls / r.analysed : null,
      callsPerUniquePosting: r.calls / scenario.uniquePostings,
      preFilterSkipRate: r.contents ? r.skipped / r.contents : 0,
      inputTokensPerCall: openai ? r.input : null,
      costPer1000Postings: openai ? (r.cost / scenario.uniquePostings) * 1000 : null,
      // The old design: every fetched posting analysed for every user, on every fetch.
      naiveModelCalls: scenario.totalPostings * options.users * 3,
      matches: r.matches,
      repeatFetchCalls: r.calls - callsAfterFirst,
    };
  } finally {
    await app?.stop();
    await openai?.close();
    await db.drop();
  }
}

async function countCalls(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from model_calls where outcome = 'ok'`,
  );
  return rows[0]!.n;
}
