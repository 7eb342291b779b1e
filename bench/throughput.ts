import type pg from 'pg';
import { isDone } from '../src/bots/fetch-progress.ts';
import { getRequestProgress } from '../src/db/fetch-runs.ts';
import { createPool } from '../src/db/pool.ts';
import { createLogger } from '../src/log.ts';
import { BOT_TOKEN, SIGNING_SECRET, startFakeSlack } from '../test/fakes/slack.ts';
import { ADMIN_TOKEN, type JobPingProcess, sampleRss, startJobPing } from './child.ts';
import { freshDatabase, insertUsers } from './db.ts';
import { startFakes } from './fakes-worker.ts';
import { generateUsers } from './generate.ts';
import { type AckFigures, slackProbe } from './responsiveness.ts';

/**
 * Scenarios 1, 2, 5 and 6 (under load) in one run: generated Greenhouse boards on a local board
 * server (20% of jobs also on a second board), fetched three times by a real `jobping start`
 * through the real Greenhouse adapter, analysed (heuristic, or the fake OpenAI server at a set
 * latency) and matched for M users. Meanwhile a Slack slash command is sent every 200 ms and the
 * process's resident memory is sampled; both are also measured idle, before the first fetch.
 */

export interface ThroughputOptions {
  adminUrl: string;
  postings: number;
  users: number;
  boards: number;
  /** null: the heuristic analyzer. */
  latencyMs: number | null;
  concurrency: number;
  log: (line: string) => void;
}

export interface ThroughputFigures {
  analyzer: string;
  concurrency: number | null;
  boards: number;
  boardPostings: number;
  uniquePostings: number;
  users: number;
  fetchSeconds: number[];
  postingsPerSecond: number;
  analysed: number;
  analysedPerSecond: number;
  idealPerSecond: number | null;
  modelCalls: number;
  repeatFetchCalls: number;
  callsPerAnalysed: number | null;
  callsPerUniquePosting: number;
  preFilterSkipRate: number;
  inputTokensPerCall: number | null;
  /** A model call as JobPing timed it (the server's latency plus the client's side). */
  callMs: number | null;
  costPer1000: number | null;
  oldDesignCalls: number;
  oldDesignCostPer1000: number | null;
  matches: number;
  rssIdle: number;
  rssPeak: number;
  rssMean: number;
  slackIdle: AckFigures;
  slackLoad: AckFigures;
}

const logger = createLogger({ level: 'error', format: 'json' });

async function fetchAll(app: JobPingProcess, pool: pg.Pool): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${app.url}/api/fetch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 202) throw new Error(`POST /api/fetch: HTTP ${res.status} ${await res.text()}`);
  const { requestId } = (await res.json()) as { requestId: number };
  const deadline = performance.now() + 20 * 60_000;
  for (;;) {
    const progress = await getRequestProgress(pool, requestId);
    if (progress.sourcesFailed.length)
      throw new Error(`a source failed: ${progress.sourcesFailed[0]!.error}`);
    if (isDone(progress)) return (performance.now() - started) / 1000;
    if (performance.now() > deadline) throw new Error(`fetch not done in 20 minutes\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function counts(pool: pg.Pool) {
  const { rows } = await pool.query<{
    calls: number;
    analysed: number;
    skipped: number;
    contents: number;
    input: number;
    cost: number;
    callMs: number;
    matches: number;
  }>(
    `select (select count(*) from model_calls where outcome = 'ok')::int as calls,
            (select count(*) from analyses where status = 'succeeded')::int as analysed,
            (select count(*) from analyses where status = 'skipped')::int as skipped,
            (select count(*) from analyses)::int as contents,
            (select coalesce(avg(input_tokens), 0) from model_calls where outcome = 'ok')::float as input,
            (select coalesce(sum(cost_usd), 0) from model_calls)::float as cost,
            (select coalesce(avg(duration_ms), 0) from model_calls where outcome = 'ok')::float as "callMs",
            (select count(*) from matches)::int as matches`,
  );
  return rows[0]!;
}

async function setUp(pool: pg.Pool, boardsUrl: string, boards: string[], users: number) {
  await pool.query('update sources set enabled = false');
  await pool.query(
    `insert into sources (id, kind, config)
     select 'greenhouse:' || b, 'greenhouse', jsonb_build_object('board', b, 'baseUrl', $2::text)
     from unnest($1::text[]) b`,
    [boards, boardsUrl],
  );
  // Digests, not instant alerts: this measures fetch → analyse → match, not sending.
  await insertUsers(pool, generateUsers(users), { alertMode: 'digest' });
}

export async function runThroughput(options: ThroughputOptions): Promise<ThroughputFigures> {
  const { log } = options;
  const fakes = await startFakes({
    postings: options.postings,
    boards: options.boards,
    duplicateShare: 0.2,
    latencyMs: options.latencyMs,
  });
  const slack = await startFakeSlack();
  const db = await freshDatabase(options.adminUrl, options.latencyMs === null ? 'heur' : 'model');
  const model = fakes.openaiUrl !== null;
  let app: JobPingProcess | undefined;
  const pool = createPool(db.url, logger, { max: 2 });
  try {
    app = await startJobPing({
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      OPENAI_CONCURRENCY: String(options.concurrency),
      ...(model ? { OPENAI_API_KEY: 'sk-bench-key-0000', OPENAI_BASE_URL: fakes.openaiUrl! } : {}),
    });
    await setUp(pool, fakes.boardsUrl, fakes.boards, options.users);
    const probe = slackProbe(slack, `${app.url}/slack/events`);
    await probe.warmUp();
    // The probe's Slack users are real users now: give them what the others have, not "everything".
    await pool.query(
      `update preferences set keywords = '{typescript}', locations = '{berlin}', alert_mode = 'digest'
       where user_id in (select user_id from identities where platform = 'slack')`,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const rssIdle = app.rssMiB();
    const slackIdle = await probe.measure(100, 50);
    log(`  idle: ${rssIdle.toFixed(0)} MiB, slash command ack p50 ${slackIdle.ackP50.toFixed(1)} ms`);

    const rss = sampleRss(app.pid);
    const underLoad = probe.during(200);
    const first = await fetchAll(app, pool);
    const slackLoad = await underLoad.stop();
    const memory = rss.stop();
    const afterFirst = await counts(pool);
    log(
      `  first fetch: ${first.toFixed(1)} s, ${afterFirst.analysed} analysed, ${afterFirst.matches} matches`,
    );
    const fetchSeconds = [first];
    for (let i = 0; i < 2; i++) fetchSeconds.push(await fetchAll(app, pool));
    log(
      `  second and third fetch: ${fetchSeconds
        .slice(1)
        .map((s) => s.toFixed(1))
        .join(' s, ')} s`,
    );
    const end = await counts(pool);

    const costPerCall = end.calls ? end.cost / end.calls : 0;
    const oldDesignCalls = fakes.totalPostings * options.users * 3;
    const per1000 = (usd: number) => (usd / fakes.uniquePostings) * 1000;
    return {
      analyzer: model ? `fake OpenAI, ${options.latencyMs} ms` : 'heuristic',
      concurrency: model ? options.concurrency : null,
      boards: fakes.boards.length,
      boardPostings: fakes.totalPostings,
      uniquePostings: fakes.uniquePostings,
      users: options.users,
      fetchSeconds,
      postingsPerSecond: fakes.uniquePostings / first,
      analysed: afterFirst.analysed,
      analysedPerSecond: afterFirst.analysed / first,
      idealPerSecond: model ? options.concurrency / (options.latencyMs! / 1000) : null,
      modelCalls: end.calls,
      repeatFetchCalls: end.calls - afterFirst.calls,
      callsPerAnalysed: model && end.analysed ? end.calls / end.analysed : null,
      callsPerUniquePosting: end.calls / fakes.uniquePostings,
      preFilterSkipRate: end.contents ? end.skipped / end.contents : 0,
      inputTokensPerCall: model ? end.input : null,
      callMs: model ? end.callMs : null,
      costPer1000: model ? per1000(end.cost) : null,
      oldDesignCalls,
      oldDesignCostPer1000: model ? per1000(oldDesignCalls * costPerCall) : null,
      matches: end.matches,
      rssIdle,
      rssPeak: memory.peak,
      rssMean: memory.mean,
      slackIdle,
      slackLoad,
    };
  } finally {
    await app?.stop();
    await pool.end();
    await fakes.close();
    await slack.close();
    await db.drop();
  }
}
