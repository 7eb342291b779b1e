import { ConflictError } from '../core/errors.ts';
import type { RunCounts, SourceRow } from './fetch-runs.ts';
import type { Db } from './pool.ts';

/** Sources as an operator manages them: health, last run, add/change/pause/resume/delete, runs. */

export type SourceHealth = 'ok' | 'failing' | 'paused' | 'disabled' | 'new';

export interface RunRow extends RunCounts {
  id: number;
  requestId: number;
  sourceId: string;
  trigger: 'chat' | 'schedule' | 'api' | 'cli';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface SourceView extends SourceRow {
  createdAt: Date;
  updatedAt: Date;
  health: SourceHealth;
  postings: number;
  runsLast24h: { succeeded: number; failed: number };
  lastRun: RunRow | null;
}

const runColumns = `r.id, r.request_id as "requestId", r.source_id as "sourceId", q.trigger, r.status, r.found,
  r.new, r.updated, r.unchanged, r.invalid, r.duplicates, r.error, r.created_at as "createdAt",
  r.started_at as "startedAt", r.finished_at as "finishedAt"`;

/** The same order of precedence the fetch stage applies: disabled, then paused, then failing. */
const HEALTH = `case when not s.enabled then 'disabled'
  when s.paused_until > $1 then 'paused'
  when s.consecutive_failures > 0 then 'failing'
  when last_run.id is null then 'new'
  else 'ok' end`;

const sourceQuery = `select s.id, s.kind, s.config, s.enabled, s.consecutive_failures as "consecutiveFailures",
    s.paused_until as "pausedUntil", s.pause_reason as "pauseReason", s.created_at as "createdAt",
    s.updated_at as "updatedAt", ${HEALTH} as health,
    (select count(*)::int from postings p where p.source_id = s.id) as postings,
    (select json_build_object(
       'succeeded', count(*) filter (where r.status = 'succeeded'),
       'failed', count(*) filter (where r.status = 'failed'))
     from fetch_runs r where r.source_id = s.id and r.created_at > $1::timestamptz - interval '24 hours') as "runsLast24h",
    case when last_run.id is null then null else to_jsonb(last_run) end as "lastRun"
  from sources s
  left join lateral (
    select ${runColumns} from fetch_runs r join fetch_requests q on q.id = r.request_id
    where r.source_id = s.id order by r.id desc limit 1
  ) last_run on true`;

type RawSourceView = Omit<SourceView, 'lastRun'> & { lastRun: Record<string, unknown> | null };

/** json rows carry timestamps as strings; give them back as dates like every other row. */
function toRun(raw: Record<string, unknown> | null): RunRow | null {
  if (!raw) return null;
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    ...(raw as unknown as RunRow),
    createdAt: new Date(raw.createdAt as string),
    startedAt: date(raw.startedAt),
    finishedAt: date(raw.finishedAt),
  };
}

export async function listSourceViews(db: Db, now: Date): Promise<SourceView[]> {
  const { rows } = await db.query<RawSourceView>(`${sourceQuery} order by s.id`, [now]);
  return rows.map((r) => ({ ...r, lastRun: toRun(r.lastRun) }));
}

export async function getSourceView(db: Db, id: string, now: Date): Promise<SourceView | null> {
  const { rows } = await db.query<RawSourceView>(`${sourceQuery} where s.id = $2`, [now, id]);
  const row = rows[0];
  return row ? { ...row, lastRun: toRun(row.lastRun) } : null;
}

export async function insertSource(
  db: Db,
  source: { id: string; kind: string; config: Record<string, unknown>; enabled: boolean },
): Promise<void> {
  const { rowCount } = await db.query(
    `insert into sources (id, kind, config, enabled, pause_reason) values ($1, $2, $3, $4, $5)
     on conflict (id) do nothing`,
    [source.id, source.kind, source.config, source.enabled, source.enabled ? null : 'paused by the operator'],
  );
  if (!rowCount) throw new ConflictError(`source "${source.id}" already exists`);
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
       config = coalesce($2, config),
       enabled = case when $3::boolean is null then enabled else not $3 end,
       pause_reason = case when $3 then 'paused by the operator' when not $3 then null else pause_reason end,
       paused_until = case when $3 = false then null else paused_until end,
       consecutive_failures = case when $3 = false then 0 else consecutive_failures end,
       updated_at = now()
     where id = $1`,
    [id, changes.config ?? null, changes.paused ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** Deletes a source with its postings (and so their matches) and its run history. */
export async function deleteSource(db: Db, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from sources where id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

export async function listSourceRuns(
  db: Db,
  sourceId: string,
  page: { limit: number; beforeId?: number | undefined },
): Promise<{ items: RunRow[]; nextBeforeId: number | null }> {
  const { rows } = await db.query<RunRow>(
    `select ${runColumns} from fetch_runs r join fetch_requests q on q.id = r.request_id
     where r.source_id = $1 and ($2::bigint is null or r.id < $2) order by r.id desc limit $3`,
    [sourceId, page.beforeId ?? null, page.limit + 1],
  );
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  return { items, nextBeforeId: more ? (items.at(-1)?.id ?? null) : null };
}

export async function getRun(db: Db, runId: number): Promise<RunRow | null> {
  const { rows } = await db.query<RunRow>(
    `select ${runColumns} from fetch_runs r join fetch_requests q on q.id = r.request_id where r.id = $1`,
    [runId],
  );
  return rows[0] ?? null;
}
