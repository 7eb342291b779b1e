import type { Db } from './pool.ts';

/** Sources, fetch requests and their per-source runs. */

export interface SourceRow {
  id: string;
  kind: string;
  config: Record<string, unknown>;
  enabled: boolean;
  consecutiveFailures: number;
  pausedUntil: Date | null;
  pauseReason: string | null;
}

const sourceColumns = `id, kind, config, enabled, consecutive_failures as "consecutiveFailures",
  paused_until as "pausedUntil", pause_reason as "pauseReason"`;

export async function getSource(db: Db, id: string): Promise<SourceRow | null> {
  const { rows } = await db.query<SourceRow>(`select ${sourceColumns} from sources where id = $1`, [id]);
  return rows[0] ?? null;
}

/** Sources a fetch should run now: enabled, and not paused by repeated failures. */
export async function listRunnableSources(db: Db, now: Date, ids?: string[]): Promise<SourceRow[]> {
  const { rows } = await db.query<SourceRow>(
    `select ${sourceColumns} from sources
     where enabled and (paused_until is null or paused_until <= $1) and ($2::text[] is null or id = any($2))
     order by id`,
    [now, ids ?? null],
  );
  return rows;
}

/**
 * Sources with a run queued or running (started within the hour: an older one is stuck, not
 * busy), so the schedule does not pile a second run of a slow board behind the first.
 */
export async function busySourceIds(db: Db): Promise<Set<string>> {
  const { rows } = await db.query<{ sourceId: string }>(
    `select distinct source_id as "sourceId" from fetch_runs
     where status in ('queued', 'running') and created_at > now() - interval '1 hour'`,
  );
  return new Set(rows.map((r) => r.sourceId));
}

export type FetchTrigger = 'chat' | 'schedule' | 'api' | 'cli';

export interface FetchRequest {
  id: number;
  runs: { id: number; sourceId: string }[];
}

/** One request, one queued run per source; the caller enqueues the runs in the same transaction. */
export async function createFetchRequest(
  db: Db,
  input: { trigger: FetchTrigger; userId: number | null; query: string | null; sourceIds: string[] },
): Promise<FetchRequest> {
  const request = await db.query<{ id: number }>(
    'insert into fetch_requests (trigger, user_id, query) values ($1, $2, $3) returning id',
    [input.trigger, input.userId, input.query],
  );
  const id = request.rows[0]!.id;
  const runs = await db.query<{ id: number; sourceId: string }>(
    `insert into fetch_runs (request_id, source_id) select $1, unnest($2::text[])
     returning id, source_id as "sourceId"`,
    [id, input.sourceIds],
  );
  return { id, runs: runs.rows };
}

export interface RunContext {
  runId: number;
  requestId: number;
  status: string;
  sourceId: string;
  query: string | null;
  userId: number | null;
}

export async function getRunContext(db: Db, runId: number): Promise<RunContext | null> {
  const { rows } = await db.query<RunContext>(
    `select r.id as "runId", r.request_id as "requestId", r.status, r.source_id as "sourceId", q.query,
            q.user_id as "userId"
     from fetch_runs r join fetch_requests q on q.id = r.request_id where r.id = $1`,
    [runId],
  );
  return rows[0] ?? null;
}

export async function markRunStarted(db: Db, runId: number): Promise<void> {
  await db.query(`update fetch_runs set status = 'running', started_at = now(), error = null where id = $1`, [
    runId,
  ]);
}

export interface RunCounts {
  found: number;
  new: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicates: number;
}

export async function markRunSucceeded(db: Db, runId: number, counts: RunCounts): Promise<void> {
  await db.query(
    `update fetch_runs set status = 'succeeded', finished_at = now(), found = $2, new = $3, updated = $4,
       unchanged = $5, invalid = $6, duplicates = $7 where id = $1`,
    [runId, counts.found, counts.new, counts.updated, counts.unchanged, counts.invalid, counts.duplicates],
  );
}

export async function markRunFailed(
  db: Db,
  runId: number,
  error: string,
  counts?: Partial<RunCounts>,
): Promise<void> {
  await db.query(
    `update fetch_runs set status = 'failed', finished_at = now(), error = $2,
       found = coalesce($3, found), invalid = coalesce($4, invalid) where id = $1`,
    [runId, error.slice(0, 2000), counts?.found ?? null, counts?.invalid ?? null],
  );
}

/** Health bookkeeping: a success clears the failure streak. */
export async function recordSourceSuccess(db: Db, sourceId: string): Promise<void> {
  await db.query(
    `update sources set consecutive_failures = 0, paused_until = null, pause_reason = null, updated_at = now()
     where id = $1`,
    [sourceId],
  );
}

/**
 * After three failures in a row a source is paused, for 30 minutes doubling per further failure
 * (at most a day), so a blocked board stops being hammered and the operator sees why.
 */
export async function recordSourceFailure(db: Db, sourceId: string, error: string, now: Date): Promise<void> {
  await db.query(
    `update sources set consecutive_failures = consecutive_failures + 1, updated_at = now(),
       paused_until = case when consecutive_failures + 1 >= 3
         then $3::timestamptz + least(interval '24 hours', interval '30 minutes' * power(2, consecutive_failures + 1 - 3))
         else paused_until end,
       pause_reason = case when consecutive_failures + 1 >= 3 then $2 else pause_reason end
     where id = $1`,
    [sourceId, `paused after repeated failures; last error: ${error.slice(0, 500)}`, now],
  );
}

export interface RequestProgress {
  sources: number;
  sourcesDone: number;
  sourcesFailed: { sourceId: string; error: string }[];
  found: number;
  new: number;
  updated: number;
  /** Postings of this request that go through analysis and matching. */
  toProcess: number;
  analysed: number;
  matched: number;
}

/**
 * Where a fetch request stands, for progress messages: runs finished, and how many of the
 * postings they brought in have been analysed and matched (failed or skipped analyses count as
 * done: nothing more will happen to them).
 */
export async function getRequestProgress(db: Db, requestId: number): Promise<RequestProgress> {
  const runs = await db.query<{
    sources: number;
    sourcesDone: number;
    found: number;
    new: number;
    updated: number;
    failed: { sourceId: string; error: string }[] | null;
  }>(
    `select count(*)::int as sources,
            count(*) filter (where status in ('succeeded', 'failed'))::int as "sourcesDone",
            coalesce(sum(found), 0)::int as found, coalesce(sum(new), 0)::int as new,
            coalesce(sum(updated), 0)::int as updated,
            json_agg(json_build_object('sourceId', source_id, 'error', error)) filter (where status = 'failed') as failed
     from fetch_runs where request_id = $1`,
    [requestId],
  );
  const postings = await db.query<{ toProcess: number; analysed: number; matched: number }>(
    `select count(*)::int as "toProcess",
            count(*) filter (where a.status in ('succeeded', 'failed', 'skipped'))::int as analysed,
            count(*) filter (where a.status in ('failed', 'skipped')
                              or (a.status = 'succeeded' and p.matched_hash = p.content_hash))::int as matched
     from (select distinct rp.posting_id from run_postings rp join fetch_runs r on r.id = rp.run_id
           where r.request_id = $1) rp
     join postings p on p.id = rp.posting_id
     left join analyses a on a.content_hash = p.content_hash`,
    [requestId],
  );
  const r = runs.rows[0]!;
  return {
    sources: r.sources,
    sourcesDone: r.sourcesDone,
    sourcesFailed: r.failed ?? [],
    found: r.found,
    new: r.new,
    updated: r.updated,
    ...postings.rows[0]!,
  };
}
