import type pg from 'pg';
import { collectDefaultMetrics, type Metric, Registry } from 'prom-client';
import { JOB_DURATION_BOUNDS, jobDurationHistogram } from '../db/job-durations.ts';
import {
  type DurationKind,
  deliveryTotals,
  durationHistogram,
  fetchRunTotals,
  type HistogramRow,
  modelCallTotals,
} from '../db/stats.ts';
import type { Queues } from '../pipeline/queues.ts';
import { queueOverview } from './routes/queues.ts';

/**
 * Prometheus metrics, one Registry per app (never prom-client's global one). Pipeline figures are
 * read from the database at scrape time rather than counted in memory: in a split deployment the
 * worker process runs the jobs and the web process serves /metrics, and the tables (fetch_runs,
 * model_calls, deliveries) already record every outcome and duration, and the queue wrapper adds
 * each job's duration to job_durations, so both roles agree and a restart loses nothing. Queue depths come from pg-boss, fresh on each scrape.
 */

type Labels = Record<string, string | number>;
interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}
type MetricType = 'counter' | 'gauge' | 'histogram';

/** A metric whose samples are computed when scraped; prom-client formats it like its own. */
function register(
  registry: Registry,
  name: string,
  help: string,
  type: MetricType,
  collect: () => Promise<Sample[]>,
) {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: await collect() }),
  };
  registry.registerMetric(metric as unknown as Metric);
}

/** Runs a query once per scrape, however many metrics read from it. */
function perScrape<T>(load: () => Promise<T>, ttlMs = 1000): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = performance.now();
    if (!cached || now - cached.at > ttlMs) {
      const value = load();
      cached = { at: now, value };
      value.catch(() => {
        cached = undefined;
      });
    }
    return cached.value;
  };
}

const DURATION_BUCKETS: Record<DurationKind, number[]> = {
  fetch_run: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
  model_call: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
  alert: [0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600],
};

function histogram(
  registry: Registry,
  name: string,
  help: string,
  bounds: readonly number[],
  load: () => Promise<HistogramRow[]>,
) {
  register(registry, name, help, 'histogram', async () => {
    const rows = await load();
    return rows.flatMap((row) => [
      ...row.buckets.map((value, i) => ({
        metricName: `${name}_bucket`,
        labels: { ...row.labels, le: i < bounds.length ? bounds[i]! : '+Inf' },
        value,
      })),
      { metricName: `${name}_sum`, labels: row.labels, value: row.sum },
      { metricName: `${name}_count`, labels: row.labels, value: row.count },
    ]);
  });
}

export function createMetrics(deps: { pool: pg.Pool; queues: Queues }): Registry {
  const { pool, queues } = deps;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const overview = perScrape(() => queueOverview(queues, 0));
  register(registry, 'jobping_queue_jobs', 'Jobs per queue and state', 'gauge', async () =>
    (await overview()).queues.flatMap((q) =>
      (['queued', 'deferred', 'active', 'failed', 'deadLettered'] as const).map((state) => ({
        labels: { queue: q.name, state: state === 'deadLettered' ? 'dead_lettered' : state },
        value: q[state],
      })),
    ),
  );

  const model = perScrape(() => modelCallTotals(pool));
  register(registry, 'jobping_model_calls_total', 'Model calls by model and outcome', 'counter', async () =>
    (await model()).map((r) => ({ labels: { model: r.model, outcome: r.outcome }, value: r.calls })),
  );
  register(registry, 'jobping_model_tokens_total', 'Model tokens by model and kind', 'counter', async () =>
    (await model()).flatMap((r) => [
      { labels: { model: r.model, outcome: r.outcome, kind: 'input' }, value: r.inputTokens },
      { labels: { model: r.model, outcome: r.outcome, kind: 'cached_input' }, value: r.cachedTokens },
      { labels: { model: r.model, outcome: r.outcome, kind: 'output' }, value: r.outputTokens },
    ]),
  );
  register(registry, 'jobping_model_cost_usd_total', 'Model cost in USD by model', 'counter', async () =>
    (await model()).map((r) => ({ labels: { model: r.model, outcome: r.outcome }, value: r.costUsd })),
  );

  register(
    registry,
    'jobping_deliveries_total',
    'Alert deliveries by platform and state (failed and undeliverable are the failures)',
    'counter',
    async () =>
      (await deliveryTotals(pool)).map((r) => ({
        labels: { platform: r.platform, status: r.status },
        value: r.n,
      })),
  );
  register(registry, 'jobping_fetch_runs_total', 'Fetch runs by source and outcome', 'counter', async () =>
    (await fetchRunTotals(pool)).map((r) => ({ labels: { source: r.source, status: r.status }, value: r.n })),
  );

  const recorded = (kind: DurationKind, name: string, help: string) =>
    histogram(registry, name, help, DURATION_BUCKETS[kind], () =>
      durationHistogram(pool, kind, DURATION_BUCKETS[kind]),
    );
  recorded('fetch_run', 'jobping_fetch_run_duration_seconds', 'Fetch job duration, start to finish');
  recorded('model_call', 'jobping_model_call_duration_seconds', 'Analysis model call duration');
  recorded(
    'alert',
    'jobping_alert_delivery_seconds',
    'From a match deserving an alert to the alert sent (match + notify jobs and queue wait)',
  );
  histogram(
    registry,
    'jobping_job_duration_seconds',
    'Queue job duration by queue and outcome (completed, failed: to be retried, dead_lettered); a match batch counts each of its jobs with the batch time',
    JOB_DURATION_BOUNDS,
    () => jobDurationHistogram(pool, JOB_DURATION_BOUNDS),
  );
  return registry;
}
