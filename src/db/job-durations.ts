import type { Db } from './pool.ts';
import type { HistogramRow } from './stats.ts';

/**
 * Queue job durations as stored histogram buckets (see migrations/0009_job_durations.sql): each
 * job adds to the count and time of the smallest bound it fits under. Reading sums the buckets up
 * to each bound, so changing the bounds later never makes a count go down.
 */

export type JobOutcome = 'completed' | 'failed' | 'dead_lettered';

export interface JobTiming {
  queue: string;
  outcome: JobOutcome;
  seconds: number;
}

/** Seconds: from a dispatch tick or a match batch (well under 1 s) to a slow board (minutes). */
export const JOB_DURATION_BOUNDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

function bucketOf(seconds: number): number {
  return JOB_DURATION_BOUNDS.find((le) => seconds <= le) ?? Number.POSITIVE_INFINITY;
}

/** Adds a batch's timings in one statement; rows are locked in key order, so batches never deadlock. */
export async function recordJobDurations(db: Db, timings: readonly JobTiming[]): Promise<void> {
  if (timings.length === 0) return;
  await db.query(
    `insert into job_durations (queue, outcome, le, jobs, seconds)
     select queue, outcome, le, count(*), sum(seconds)
     from unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) t(queue, outcome, le, seconds)
     group by 1, 2, 3 order by 1, 2, 3
     on conflict (queue, outcome, le) do update
       set jobs = job_durations.jobs + excluded.jobs, seconds = job_durations.seconds + excluded.seconds`,
    [
      timings.map((t) => t.queue),
      timings.map((t) => t.outcome),
      timings.map((t) => bucketOf(t.seconds)),
      timings.map((t) => t.seconds),
    ],
  );
}

/** Cumulative buckets per (queue, outcome), for the bounds given, then +Inf. */
export async function jobDurationHistogram(db: Db, bounds: readonly number[]): Promise<HistogramRow[]> {
  const { rows } = await db.query<{
    queue: string;
    outcome: string;
    le: number;
    jobs: string;
    seconds: number;
  }>('select queue, outcome, le, jobs, seconds from job_durations order by queue, outcome, le');
  const byLabels = new Map<string, HistogramRow>();
  for (const r of rows) {
    const key = `${r.queue}\u0000${r.outcome}`;
    let row = byLabels.get(key);
    if (!row) {
      row = {
        labels: { queue: r.queue, outcome: r.outcome },
        buckets: bounds.map(() => 0),
        sum: 0,
        count: 0,
      };
      row.buckets.push(0);
      byLabels.set(key, row);
    }
    const jobs = Number(r.jobs);
    bounds.forEach((le, i) => {
      if (r.le <= le) row.buckets[i]! += jobs;
    });
    row.count += jobs;
    row.sum += r.seconds;
    row.buckets[bounds.length] = row.count;
  }
  return [...byLabels.values()];
}
