import type { SourceRow } from './fetch-runs.ts';
import type { Db } from './pool.ts';

/** Source rows as operators manage them (CLI, admin API), and boards' daily request allowances. */

export interface SourceSummary extends SourceRow {
  warning: string | null;
  lastRun: { status: string; found: number; error: string | null; finishedAt: Date | null } | null;
}

const PAUSED_BY_OPERATOR = 'paused by the operator';

/** Inserts a source, paused by the operator when asked; false when the id is taken. */
export async function insertSource(
  db: Db,
  source: { id: string; kind: string; config: Record<string, unknown>; enabled: boolean },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into sources (id, kind, config, enabled, pause_reason) values ($1, $2, $3, $4, $5)
     on conflict (id) do nothing`,
    [
      source.id,
      source.kind,
      JSON.stringify(source.config),
      source.enabled,
      source.enabled ? null : PAUSED_BY_OPERATOR,
    ],
  );
  return rowCount === 1;
}

/**
 * Changes a source's config and/or pauses or resumes it. Resuming also clears an automatic pause
 * and the failure streak: the operator has looked at it and wants it tried again now.
 * Returns false when there is no such source.
 */
export async function updateSource(
  db: Db,
  id: string,
  changes: { config?: Record<string, unknown> | undefined; paused?: boolean | undefined },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update sources set
       config = coalesce($2::jsonb, config),
       enabled = case when $3::boolean is null then enabled else not $3 end,
       pause_reason = case when $3 then $4 when not $3 then null else pause_reason end,
       paused_until = case when $3 = false then null else paused_until end,
       consecutive_failures = case when $3 = false then 0 else consecutive_failures end,
       updated_at = now()
     where id = $1`,
    [id, changes.config ? JSON.stringify(changes.config) : null, changes.paused ?? null, PAUSED_BY_OPERATOR],
  );
  return rowCount === 1;
}

/** Deletes a source with its postings (and so their matches) and its run history. */
export async function deleteSource(db: Db, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from sources where id = $1', [id]);
  return rowCount === 1;
}

export async function listSourceSummaries(db: Db): Promise<SourceSummary[]> {
  const { rows } = await db.query<SourceSummary>(
    `select s.id, s.kind, s.config, s.enabled, s.consecutive_failures as "consecutiveFailures",
            s.paused_until as "pausedUntil", s.pause_reason as "pauseReason", s.warning,
            case when r.id is null then null else json_build_object('status', r.status, 'found', r.found,
              'error', r.error, 'finishedAt', r.finished_at) end as "lastRun"
     from sources s
     left join lateral (select * from fetch_runs where source_id = s.id and status in ('succeeded', 'failed')
                        order by id desc limit 1) r on true
     order by s.id`,
  );
  return rows.map((r) => ({
    ...r,
    lastRun: r.lastRun
      ? { ...r.lastRun, finishedAt: r.lastRun.finishedAt ? new Date(r.lastRun.finishedAt) : null }
      : null,
  }));
}

/**
 * Counts one request against a board's allowance for the UTC day of `now`; false, and nothing
 * counted, when the allowance is used up. Atomic, so concurrent workers never overshoot.
 */
export async function takeDailyRequest(db: Db, bucket: string, now: Date, limit: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into source_request_counts (bucket, day, requests) values ($1, $2::date, 1)
     on conflict (bucket, day) do update set requests = source_request_counts.requests + 1
       where source_request_counts.requests < $3
     returning requests`,
    [bucket, now.toISOString().slice(0, 10), limit],
  );
  return rowCount === 1;
}

/** Postings found by the source's last successful scheduled-style runs (no query) before this one. */
export async function previousFoundCounts(db: Db, sourceId: string, beforeRunId: number, limit: number) {
  const { rows } = await db.query<{ found: number }>(
    `select r.found from fetch_runs r join fetch_requests q on q.id = r.request_id
     where r.source_id = $1 and r.id < $2 and r.status = 'succeeded' and q.query is null
     order by r.id desc limit $3`,
    [sourceId, beforeRunId, limit],
  );
  return rows.map((r) => r.found);
}

/** Sets (or, with null, clears) the source's health warning, and records it on the run. */
export async function setSourceWarning(db: Db, sourceId: string, runId: number, warning: string | null) {
  await db.query('update sources set warning = $2 where id = $1 and warning is distinct from $2', [
    sourceId,
    warning,
  ]);
  if (warning) await db.query('update fetch_runs set warning = $2 where id = $1', [runId, warning]);
}
