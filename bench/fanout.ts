import type pg from 'pg';
import { systemClock } from '../src/core/ports.ts';
import type { Posting } from '../src/core/types.ts';
import { saveAnalysis } from '../src/db/analyses.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool } from '../src/db/pool.ts';
import { createLogger } from '../src/log.ts';
import { analyzeHeuristically } from '../src/pipeline/analyze/heuristic.ts';
import { postingTerms } from '../src/pipeline/analyze/stage.ts';
import { type MatchTimings, runMatch } from '../src/pipeline/match.ts';
import { normalizePosting } from '../src/pipeline/normalize.ts';
import type { Queues } from '../src/pipeline/queues.ts';
import { freshDatabase, insertUsers } from './db.ts';
import { generatePostings, generateUsers } from './generate.ts';

/**
 * Fan-out: matching 1,000 new, analysed postings against every user's preferences, at 1k, 10k and
 * 50k users. The match stage is one set-based query per batch, so time should grow about linearly
 * with the pairs that pass the filters, never with postings × users round trips.
 */

export interface FanoutFigures {
  users: number;
  postings: number;
  seconds: number;
  candidates: number;
  matches: number;
  queries: number;
  timings: MatchTimings;
}

const logger = createLogger({ level: 'error', format: 'json' });

/** Matching needs no queue when no user takes instant alerts; this stands in and counts nothing. */
const noQueues = { sendMany: async () => {}, send: async () => null } as unknown as Queues;

export async function seedPostings(pool: pg.Pool, count: number): Promise<number[]> {
  const scenario = generatePostings({ postings: count, boards: 1, duplicateShare: 0 });
  const now = new Date();
  const ids: number[] = [];
  for (const raw of [...scenario.boards.values()][0]!) {
    const r = normalizePosting(raw, { now });
    if (!r.ok) continue;
    const p = r.posting;
    const { rows } = await pool.query<{ id: number }>(
      `insert into postings (source_id, external_id, dedup_key, title, company, location, remote, salary_min, salary_max,
         salary_currency, salary_interval, posted_at, url, description, tags, content_hash)
       values ('sample', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       on conflict do nothing returning id`,
      [
        p.externalId,
        `${p.dedupKey}|${p.externalId}`,
        p.title,
        p.company,
        p.location,
        p.remote,
        p.salary?.min ?? null,
        p.salary?.max ?? null,
        p.salary?.currency ?? null,
        p.salary?.interval ?? null,
        p.postedAt,
        p.url,
        p.description,
        p.tags,
        p.contentHash,
      ],
    );
    if (!rows[0]) continue;
    ids.push(rows[0].id);
    await pool.query('insert into analyses (content_hash) values ($1) on conflict do nothing', [
      p.contentHash,
    ]);
    const analysis = analyzeHeuristically(p);
    const posting = { ...p, id: rows[0].id } as Posting;
    await saveAnalysis(
      pool,
      p.contentHash,
      { analysis, analyzer: 'heuristic', model: null, usage: null },
      postingTerms(posting, analysis.skills),
    );
  }
  return ids;
}

export async function runFanoutBench(
  adminUrl: string,
  userCounts: number[],
  postings = 1000,
  keep = false,
): Promise<FanoutFigures[]> {
  const results: FanoutFigures[] = [];
  for (const users of userCounts) {
    const db = await freshDatabase(adminUrl, `fan${users}`);
    const pool = createPool(db.url, logger, { max: 4 });
    try {
      await migrate(pool, logger);
      const ids = await seedPostings(pool, postings);
      // Digest users: the time is the matching itself (instant alerts are scenario 4).
      await insertUsers(pool, generateUsers(users), { alertMode: 'digest' });
      await pool.query('analyze');
      let queries = 0;
      const counting = new Proxy(pool, {
        get(target, prop, receiver) {
          if (prop === 'connect') {
            return async () => {
              const client = await target.connect();
              const query = client.query.bind(client);
              (client as { query: unknown }).query = (...args: unknown[]) => {
                queries++;
                return (query as (...a: unknown[]) => unknown)(...args);
              };
              return client;
            };
          }
          return Reflect.get(target, prop, receiver);
        },
      });
      const started = performance.now();
      // The match queue hands out batches of 20 jobs of up to 100 postings; one batch of all 1,000 here.
      const r = await runMatch({ pool: counting, queues: noQueues, clock: systemClock }, ids);
      results.push({
        users,
        postings: ids.length,
        seconds: (performance.now() - started) / 1000,
        candidates: r.candidates,
        matches: r.created,
        queries,
        timings: r.timings,
      });
    } finally {
      await pool.end();
      if (keep) process.stderr.write(`  kept ${db.url}\n`);
      else await db.drop();
    }
  }
  return results;
}
