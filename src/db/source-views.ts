import type { RunCounts, SourceRow } from './fetch-runs.ts';
import type { Db } from './pool.ts';

/**
 * Sources as the admin API shows them: health, warning, last run, postings; and their runs. The
 * changes an operator makes go through src/pipeline/sources/manage.ts, as the CLI's do.
 */

export type SourceHealth = 'ok' | 'failing' | 'paused' | 'disabled' | 'new';

export interface RunRow extends RunCounts {
  id: number;
  requestId: number;
  sourceId: string;
  trigger: 'chat' | 'schedule' | 'api' | 'cli';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  error: string | null;
  /** Set on a run that found nothing where earlier runs found plenty (see source-health.ts). */
  warning: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface SourceView extends SourceRow {
  createdAt: Date;
  updatedAt: Date;
  health: SourceHealth;
  /** The health warning of the source's latest run without a search text, until one finds postings. */
  warning: string | null;
  postings: number;
  runsLast24h: { succeeded: number; failed: number };
  lastRun: RunRow | null;
}

const runColumns = `r.id, r.request_id as "requestId", r.source_id as "sourceId", q.trigger, r.status, r.found,
  r.new, r.updated, r.unchanged, r.invalid, r.duplicates, r.error, r.warning, r.created_at as "createdAt",
  r.started_at as "startedAt", r.finished_at as "finishedAt"`;

/** The same order of precedence the fetch stage applies: disabled, then paused, then failing. */
const HEALTH = `case when not s.enabled then 'disabled'
  when s.paused_until > $1 then 'paused'
  when s.consecutive_failures > 0 then 'failing'
  when last_run.id is null then 'new'
  else 'ok' end`;

const sourceQuery = `select s.id, s.kind, s.config, s.enabled, s.consecutive_failures as "consecutiveFailures",
    s.paused_until as "pausedUntil", s.pause_reason as "pauseReason", s.created_at as "createdAt",
    s.updated_at as "updatedAt", ${HEALTH} as health, s.warning,
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
