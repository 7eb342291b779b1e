import type pg from 'pg';
import { InvalidInputError, PermanentJobError } from '../core/errors.ts';
import type { Clock, FetchFn, LogPort, SourceQuery } from '../core/ports.ts';
import type { NormalizedPosting } from '../core/types.ts';
import { claimAnalyses, reopenSkipped } from '../db/analyses.ts';
import {
  busySourceIds,
  createFetchRequest,
  type FetchRequest,
  type FetchTrigger,
  getRunContext,
  getSource,
  listRunnableSources,
  markRunFailed,
  markRunStarted,
  markRunSucceeded,
  type RunContext,
  type RunCounts,
  recordSourceFailure,
  recordSourceSuccess,
} from '../db/fetch-runs.ts';
import { withTransaction } from '../db/pool.ts';
import { addRunPostings, recordMissedRuns, showExtractedFields, upsertPostings } from '../db/postings.ts';
import { searchDemand } from '../db/search-demand.ts';
import { changesFromUpsert, closedEvents, recordChanges } from './changes.ts';
import { normalizePosting } from './normalize.ts';
import type { Queues } from './queues.ts';
import { orderKeywordsByCoverage } from './search-terms.ts';
import { checkSourceHealth } from './source-health.ts';
import type { SourceRegistry } from './sources/registry.ts';

/**
 * The fetch stage: one source, one run. Postings are validated and normalised one by one (a bad
 * one is skipped and counted), stored in batches, and each batch's new or changed content is
 * queued for analysis in the same transaction. A failing source fails only its own run.
 */

export interface FetchDeps {
  pool: pg.Pool;
  queues: Queues;
  sources: SourceRegistry;
  fetch: FetchFn;
  clock: Clock;
  logger: LogPort;
}

const BATCH = 250;
const MATCH_CHUNK = 100;

/** Creates a fetch request with one run per runnable source and queues the runs, atomically. */
export async function requestFetch(
  deps: Pick<FetchDeps, 'pool' | 'queues' | 'clock'>,
  input: { trigger: FetchTrigger; userId: number | null; query: string | null; sourceIds?: string[] },
): Promise<FetchRequest> {
  const sources = await listRunnableSources(deps.pool, deps.clock.now(), input.sourceIds);
  if (input.sourceIds) {
    const missing = input.sourceIds.filter((id) => !sources.some((s) => s.id === id));
    if (missing.length > 0)
      throw new InvalidInputError(`unknown, disabled or paused source: ${missing.join(', ')}`);
  }
  return withTransaction(deps.pool, async (tx) => {
    const request = await createFetchRequest(tx, { ...input, sourceIds: sources.map((s) => s.id) });
    for (const run of request.runs) {
      await deps.queues.send('fetch', { runId: run.id }, { db: tx, singletonKey: run.sourceId });
    }
    return request;
  });
}

/** FETCH_CRON's fetch: every runnable source once for all users, except those still being fetched. */
export async function requestScheduledFetch(
  deps: Pick<FetchDeps, 'pool' | 'queues' | 'clock'>,
): Promise<FetchRequest | null> {
  const busy = await busySourceIds(deps.pool);
  const sources = (await listRunnableSources(deps.pool, deps.clock.now())).filter((s) => !busy.has(s.id));
  if (sources.length === 0) return null;
  return requestFetch(deps, {
    trigger: 'schedule',
    userId: null,
    query: null,
    sourceIds: sources.map((s) => s.id),
  });
}

/** How much of the users' demand a run reads: enough for any board, bounded for 50,000 users. */
const DEMAND_LIMITS = { groups: 10_000, locations: 20 };
const QUERY_KEYWORDS = 50;

/**
 * What query-based boards search for when the user gave no text: everyone's keywords, ordered so
 * the few a board searches serve as many users as possible, and places, the most wanted first.
 */
async function buildQuery(pool: pg.Pool, text: string | null): Promise<SourceQuery> {
  const demand = await searchDemand(pool, DEMAND_LIMITS);
  return {
    text,
    keywords: orderKeywordsByCoverage(demand.keywordGroups, QUERY_KEYWORDS),
    locations: demand.locations,
  };
}

/** Stores one batch and queues what it changed: new content to analysis, known content to matching. */
async function storeBatch(
  deps: FetchDeps,
  sourceId: string,
  runId: number,
  batch: NormalizedPosting[],
  counts: RunCounts,
) {
  await withTransaction(deps.pool, async (tx) => {
    const outcome = await upsertPostings(tx, sourceId, batch, runId);
    counts.new += outcome.new;
    counts.updated += outcome.updated;
    counts.unchanged += outcome.unchangedCount;
    counts.duplicates += outcome.duplicates;
    const { created, existing } = await claimAnalyses(
      tx,
      outcome.changed.map((c) => c.contentHash),
    );
    // Content skipped earlier because nobody wanted it may interest someone now: check again.
    const seenAgain = outcome.unchanged.map((u) => u.contentHash);
    const reopened = await reopenSkipped(tx, [
      ...[...existing].filter(([, status]) => status === 'skipped').map(([hash]) => hash),
      ...seenAgain,
    ]);
    const reopenedSet = new Set(reopened);
    await addRunPostings(
      tx,
      runId,
      outcome.unchanged.filter((u) => reopenedSet.has(u.contentHash)).map((u) => u.postingId),
    );
    await deps.queues.sendMany(
      'analyze',
      [...created, ...reopened].map((contentHash) => ({ contentHash })),
      { db: tx },
    );
    // Content analysed before (a repost elsewhere, an edit reverted): straight to matching.
    const knownContent = outcome.changed.filter((c) => existing.get(c.contentHash) === 'succeeded');
    const known = knownContent.map((c) => c.postingId);
    // The update above put the adapter's guesses back on free-text rows: show the analysis's again.
    await showExtractedFields(
      tx,
      knownContent.map((c) => c.contentHash),
    );
    for (let i = 0; i < known.length; i += MATCH_CHUNK) {
      await deps.queues.send('match', { postingIds: known.slice(i, i + MATCH_CHUNK) }, { db: tx });
    }
    await recordChanges(
      tx,
      { queues: deps.queues, now: deps.clock.now() },
      changesFromUpsert(outcome, sourceId),
    );
  });
}

/**
 * A successful run over the source's whole board (no search text: a search lists only part of
 * it, and an empty answer is more likely a hiccup than every job closing) counts a missed run for
 * every posting it did not list; jobs that missed two in a row close, and users who saved them
 * are told once.
 */
async function finishRun(deps: FetchDeps, run: RunContext, seen: Set<string>, counts: RunCounts) {
  const now = deps.clock.now();
  // One transaction with the run's success, so a retried job never counts the same miss twice.
  return withTransaction(deps.pool, async (tx) => {
    let closed: number[] = [];
    if (run.query === null && seen.size > 0) {
      closed = await recordMissedRuns(tx, run.sourceId, [...seen], now);
      await recordChanges(tx, { queues: deps.queues, now }, closedEvents(closed));
    }
    await markRunSucceeded(tx, run.runId, counts);
    return closed.length;
  });
}

export async function runFetch(deps: FetchDeps, runId: number, signal: AbortSignal): Promise<void> {
  const run = await getRunContext(deps.pool, runId);
  if (!run) throw new PermanentJobError(`fetch run ${runId} does not exist`);
  if (run.status === 'succeeded' || run.status === 'failed') return; // a duplicate job: already done
  const logger = deps.logger.child({ runId, sourceId: run.sourceId });
  const row = await getSource(deps.pool, run.sourceId);
  if (!row) {
    await markRunFailed(deps.pool, runId, 'source was deleted');
    return;
  }
  await markRunStarted(deps.pool, runId);
  const counts: RunCounts = { found: 0, new: 0, updated: 0, unchanged: 0, invalid: 0, duplicates: 0 };
  let sourceError: unknown;
  let batch: NormalizedPosting[] = [];
  // Every external id the board listed this run, valid or not: what was not listed has gone.
  const seen = new Set<string>();
  try {
    const source = deps.sources.create(row);
    // Only a board that searches reads the users' demand: the rest are not worth the query.
    const query = source.searches
      ? await buildQuery(deps.pool, run.query)
      : { text: run.query, keywords: [], locations: [] };
    const ctx = { fetch: deps.fetch, signal, logger, clock: deps.clock };
    const iterator = source.fetch(query, ctx)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (err) {
        sourceError = err;
        break;
      }
      if (next.done) break;
      counts.found++;
      const externalId = (next.value as { externalId?: unknown } | null)?.externalId;
      if (typeof externalId === 'string' || typeof externalId === 'number')
        seen.add(String(externalId).trim());
      const result = normalizePosting(next.value, { now: deps.clock.now() });
      if (result.ok) seen.add(result.posting.externalId);
      if (!result.ok) {
        counts.invalid++;
        logger.debug({ error: result.error }, 'invalid posting skipped');
        continue;
      }
      batch.push(result.posting);
      if (batch.length >= BATCH) {
        await storeBatch(deps, run.sourceId, runId, batch, counts);
        batch = [];
      }
    }
  } catch (err) {
    // A bad source config never succeeds on retry; anything else here (database) is retried.
    if (!(err instanceof InvalidInputError)) throw err;
    sourceError = err;
  }
  // What arrived before a failure is kept: those postings are real.
  if (batch.length > 0) await storeBatch(deps, run.sourceId, runId, batch, counts);

  if (sourceError) {
    const message = (sourceError as Error).message ?? String(sourceError);
    logger.warn({ err: sourceError, found: counts.found }, 'source failed');
    await markRunFailed(deps.pool, runId, message, counts);
    await recordSourceFailure(deps.pool, run.sourceId, message, deps.clock.now());
    return;
  }
  // Health first: whoever sees the run finished also sees its warning.
  await checkSourceHealth(deps.pool, logger, run, counts.found);
  const closed = await finishRun(deps, run, seen, counts);
  await recordSourceSuccess(deps.pool, run.sourceId);
  logger.info({ ...counts, closed }, 'fetch run finished');
}
