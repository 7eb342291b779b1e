import type { Db } from './pool.ts';

/**
 * Counts for the admin API's /stats and for Prometheus. Everything is read from the tables at the
 * moment it is asked for, so any process (web or worker) reports the same numbers.
 */

export interface ModelUsage {
  calls: number;
  failedCalls: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface Stats {
  users: { total: number; active: number; blocked: number };
  postings: { total: number; canonical: number; duplicates: number; open: number };
  analyses: Record<'pending' | 'succeeded' | 'failed' | 'skipped', number>;
  matches: Record<'new' | 'saved' | 'dismissed' | 'applied', number>;
  deliveries: Record<'pending' | 'sending' | 'sent' | 'failed' | 'undeliverable' | 'skipped', number>;
  model: { today: ModelUsage; last7Days: ModelUsage; total: ModelUsage };
}

function countsBy<K extends string>(keys: readonly K[], rows: { k: string; n: number }[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const r of rows) if (r.k in out) out[r.k as K] = r.n;
  return out;
}

/** Start of the UTC day `now` falls in: "today" in model usage. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const usageColumns = `count(*)::int as calls, count(*) filter (where outcome <> 'ok')::int as "failedCalls",
  coalesce(sum(input_tokens), 0)::float8 as "inputTokens", coalesce(sum(cached_tokens), 0)::float8 as "cachedTokens",
  coalesce(sum(output_tokens), 0)::float8 as "outputTokens", coalesce(sum(cost_usd), 0)::float8 as "costUsd"`;

export async function modelUsageSince(db: Db, since: Date | null): Promise<ModelUsage> {
  const { rows } = await db.query<ModelUsage>(
    `select ${usageColumns} from model_calls where $1::timestamptz is null or created_at >= $1`,
    [since],
  );
  return rows[0]!;
}

export async function getStats(db: Db, now: Date): Promise<Stats> {
  const counts = await db.query<{ users: Stats['users']; postings: Stats['postings'] }>(
    `select (select json_build_object('total', count(*), 'active', count(*) filter (where status = 'active'),
               'blocked', count(*) filter (where status = 'blocked')) from users) as users,
            (select json_build_object('total', count(*), 'canonical', count(*) filter (where canonical_id is null),
               'duplicates', count(*) filter (where canonical_id is not null),
               'open', count(*) filter (where closed_at is null)) from postings) as postings`,
  );
  const grouped = async (table: string) =>
    (
      await db.query<{ k: string; n: number }>(
        `select status as k, count(*)::int as n from ${table} group by 1`,
      )
    ).rows;
  const [analyses, matches, deliveries] = await Promise.all([
    grouped('analyses'),
    grouped('matches'),
    grouped('deliveries'),
  ]);
  const [today, last7Days, total] = await Promise.all([
    modelUsageSince(db, startOfUtcDay(now)),
    modelUsageSince(db, new Date(now.getTime() - 7 * 86_400_000)),
    modelUsageSince(db, null),
  ]);
  return {
    ...counts.rows[0]!,
    analyses: countsBy(['pending', 'succeeded', 'failed', 'skipped'], analyses),
    matches: countsBy(['new', 'saved', 'dismissed', 'applied'], matches),
    deliveries: countsBy(['pending', 'sending', 'sent', 'failed', 'undeliverable', 'skipped'], deliveries),
    model: { today, last7Days, total },
  };
}

/** Mean cost of a successful model call: what each analysis the pre-filter skipped would have cost. */
export async function meanModelCallCost(db: Db): Promise<number> {
  const { rows } = await db.query<{ mean: number | null }>(
    `select avg(cost_usd)::float8 as mean from model_calls where outcome = 'ok'`,
  );
  return rows[0]?.mean ?? 0;
}

// ---- Prometheus: cumulative counts by label, read at scrape time ----

export async function modelCallTotals(db: Db) {
  const { rows } = await db.query<{ model: string; outcome: string } & Omit<ModelUsage, 'failedCalls'>>(
    `select model, outcome, count(*)::int as calls, coalesce(sum(input_tokens), 0)::float8 as "inputTokens",
       coalesce(sum(cached_tokens), 0)::float8 as "cachedTokens", coalesce(sum(output_tokens), 0)::float8 as "outputTokens",
       coalesce(sum(cost_usd), 0)::float8 as "costUsd"
     from model_calls group by 1, 2 order by 1, 2`,
  );
  return rows;
}

export async function deliveryTotals(db: Db) {
  const { rows } = await db.query<{ platform: string; status: string; n: number }>(
    'select platform, status, count(*)::int as n from deliveries group by 1, 2 order by 1, 2',
  );
  return rows;
}

export async function fetchRunTotals(db: Db) {
  const { rows } = await db.query<{ source: string; status: string; n: number }>(
    'select source_id as source, status, count(*)::int as n from fetch_runs group by 1, 2 order by 1, 2',
  );
  return rows;
}

export interface HistogramRow {
  labels: Record<string, string>;
  /** Cumulative counts, one per bucket bound (in the order given), then +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * Durations that the pipeline records itself, as cumulative histogram buckets:
 * fetch runs (start to finish, by source outcome) and model calls (by model and outcome).
 */
const DURATIONS = {
  fetch_run: {
    labels: ['outcome'],
    source: `select status as outcome, extract(epoch from finished_at - started_at)::float8 as seconds
             from fetch_runs where finished_at is not null and started_at is not null`,
  },
  model_call: {
    labels: ['model', 'outcome'],
    source: 'select model, outcome, duration_ms / 1000.0 as seconds from model_calls',
  },
  alert: {
    labels: ['platform'],
    source: `select platform, extract(epoch from sent_at - created_at)::float8 as seconds
             from deliveries where status = 'sent' and sent_at is not null`,
  },
} as const;

export type DurationKind = keyof typeof DURATIONS;

export async function durationHistogram(
  db: Db,
  kind: DurationKind,
  bounds: number[],
): Promise<HistogramRow[]> {
  const { labels, source } = DURATIONS[kind];
  const list = (alias: string) => labels.map((l) => `${alias}.${l}`).join(', ');
  const same = labels.map((l) => `c.${l} = s.${l}`).join(' and ');
  const { rows } = await db.query<Record<string, string> & { buckets: number[]; sum: number; count: number }>(
    `with t as (${source}),
     c as (select ${list('t')}, b.i, count(*) filter (where t.seconds <= b.le)::int as n
           from t cross join unnest($1::float8[]) with ordinality b(le, i) group by ${list('t')}, b.i),
     s as (select ${list('t')}, sum(t.seconds)::float8 as sum, count(*)::int as count from t group by ${list('t')})
     select s.*, array(select c.n from c where ${same} order by c.i) as buckets from s order by ${list('s')}`,
    [bounds],
  );
  return rows.map((r) => ({
    labels: Object.fromEntries(labels.map((l) => [l, String(r[l])])),
    buckets: [...r.buckets, r.count],
    sum: r.sum ?? 0,
    count: r.count,
  }));
}
