import { type Job, type JobResult, PgBoss, type Queue, type SendOptions, type WorkOptions } from 'pg-boss';
import { z } from 'zod';
import { PermanentJobError } from '../core/errors.ts';
import type { JobOutcome, JobTiming } from '../db/job-durations.ts';
import type { Db } from '../db/pool.ts';
import type { Logger } from '../log.ts';

/**
 * The queue catalogue: every queue between scraper, analyzer, matcher and notifier, each bound to
 * the zod schema of its payload. Payloads carry ids, never rows. A payload that does not match is
 * refused at `send` and, should one reach the queue some other way, dead-lettered without ever
 * reaching a handler.
 */

export const DEAD_LETTER = 'dead-letter';
const id = z.number().int().positive();
const contentHash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha-256 hex digest');

export const catalogue = {
  /** Fetch one source for one run. One fetch per source at a time (singleton policy, keyed by source). */
  fetch: {
    payload: z.object({ runId: id }),
    queue: {
      policy: 'singleton',
      retryLimit: 2,
      retryDelay: 20,
      retryBackoff: true,
      expireInSeconds: 900,
      heartbeatSeconds: 15,
    },
    // Four at a time, in two workers of two that take the next runs at once while runs wait: a
    // worker of one run sleeps a polling interval (5 s) after each, so a fetch of 10 boards took
    // 10 s longer than its requests (pg-boss bursts only on full batches of more than one).
    work: { localConcurrency: 2, batchSize: 2, burstWhenBatchFull: true },
  },
  /** Analyse one posting content once, user-independent. */
  analyze: {
    payload: z.object({
      contentHash,
      /**
       * Model attempts earlier jobs already made for this content: a Retry-After re-queues the
       * analysis as a new job, whose own retry count starts again at 0.
       */
      attemptsBefore: z.number().int().min(0).max(100).optional(),
    }),
    queue: {
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      retryDelayMax: 120,
      expireInSeconds: 300,
      heartbeatSeconds: 15,
    },
    work: { localConcurrency: 4, batchSize: 4, burstWhenBatchFull: true },
  },
  /** Match analysed postings against every user's preferences, in batches. */
  match: {
    payload: z.object({ postingIds: z.array(id).min(1).max(1000) }),
    queue: { retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: 300, heartbeatSeconds: 15 },
    work: { localConcurrency: 2, batchSize: 20, burstWhenBatchFull: true },
  },
  /** Send one delivery (an alert card or a change message) to one user. */
  notify: {
    payload: z.object({ deliveryId: id }),
    queue: {
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 600,
      expireInSeconds: 120,
      heartbeatSeconds: 15,
    },
    work: { localConcurrency: 2, batchSize: 4, burstWhenBatchFull: true },
  },
  /** Send one digest message (its first page of matches) to one user. */
  digest: {
    payload: z.object({ digestId: id }),
    queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 120 },
    work: { localConcurrency: 2, batchSize: 2 },
  },
  /** FETCH_CRON's job (one pg-boss schedule per install): one fetch request over every source. */
  'fetch-all': {
    payload: z.object({}),
    queue: { policy: 'singleton', retryLimit: 1, retryDelay: 30, expireInSeconds: 120 },
    work: { localConcurrency: 1, batchSize: 1 },
  },
  /** Every minute: release held deliveries whose quiet hours ended, start the digests due now. */
  dispatch: {
    payload: z.object({}),
    queue: { policy: 'singleton', retryLimit: 0, expireInSeconds: 300 },
    work: { localConcurrency: 1, batchSize: 1 },
  },
} satisfies Record<string, { payload: z.ZodType; queue: Omit<Queue, 'name'>; work: WorkOptions }>;

export type QueueName = keyof typeof catalogue;
export type Payload<N extends QueueName> = z.infer<(typeof catalogue)[N]['payload']>;
export const QUEUE_NAMES = Object.keys(catalogue) as QueueName[];

export class InvalidPayloadError extends Error {
  override name = 'InvalidPayloadError';
}

function parsePayload<N extends QueueName>(name: N, data: unknown): Payload<N> {
  const result = catalogue[name].payload.safeParse(data);
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
      .join('; ');
    throw new InvalidPayloadError(`invalid payload for queue "${name}": ${detail}`);
  }
  return result.data as Payload<N>;
}

/** pg-boss's `db` option wants `executeSql`; this lets a job be sent inside our own transaction. */
export function bossDb(db: Db) {
  return { executeSql: (text: string, values?: unknown[]) => db.query(text, values as unknown[]) };
}

export interface SendJobOptions {
  /** Commit the job with this transaction (match row and its notification in one commit). */
  db?: Db;
  singletonKey?: string;
  startAfter?: number | Date;
  priority?: number;
}

/** Handles one job; the jobs of a fetched batch run concurrently and settle one by one. */
export type JobHandler<N extends QueueName> = (payload: Payload<N>, job: Job<unknown>) => Promise<void>;
/** Handles a whole batch at once (set-based work); the batch succeeds or fails together. */
export type BatchHandler<N extends QueueName> = (
  payloads: Payload<N>[],
  jobs: Job<unknown>[],
) => Promise<void>;

export interface Queues {
  readonly boss: PgBoss;
  send<N extends QueueName>(name: N, payload: Payload<N>, options?: SendJobOptions): Promise<string | null>;
  /** Many jobs of one queue in one statement (inside `db`'s transaction when given). */
  sendMany<N extends QueueName>(name: N, payloads: Payload<N>[], options?: { db?: Db }): Promise<void>;
  work<N extends QueueName>(name: N, handler: JobHandler<N>, options?: WorkOptions): Promise<string>;
  workBatch<N extends QueueName>(name: N, handler: BatchHandler<N>, options?: WorkOptions): Promise<string>;
  /** Stop taking work, wait (bounded) for running handlers, close pg-boss's pool. */
  stop(timeoutMs: number): Promise<void>;
}

export interface QueueOptions {
  url: string;
  logger: Logger;
  /** Run pg-boss's maintenance and cron scheduler in this process. */
  supervise?: boolean;
  schedule?: boolean;
  /** Lets tests wait on jobs (pg-boss spies) instead of sleeping. */
  spies?: boolean;
  poolSize?: number;
  /**
   * How often pg-boss looks for expired jobs and jobs whose worker stopped sending heartbeats
   * (a crashed process): such jobs are retried. Lower means faster recovery, more queries.
   */
  monitorIntervalSeconds?: number;
  /**
   * Told how long each job took and how it ended, once per fetched batch (for /metrics). A
   * failure to record is logged; it never fails the jobs.
   */
  recordDurations?: (timings: JobTiming[]) => Promise<void>;
}

/** Starts pg-boss, creates every queue of the catalogue, and returns typed send/work. */
export async function startQueues(options: QueueOptions): Promise<Queues> {
  const { logger } = options;
  const boss = new PgBoss({
    connectionString: options.url,
    application_name: 'jobping-queue',
    max: options.poolSize ?? 6,
    supervise: options.supervise ?? true,
    schedule: options.schedule ?? true,
    __test__enableSpies: options.spies ?? false,
    // Workers wake on NOTIFY when a job arrives: a user's /jobs fetch moves through the stages
    // without waiting for polls. Polling stays on as a backstop.
    useListenNotify: true,
    superviseIntervalSeconds: options.monitorIntervalSeconds ?? 30,
    monitorIntervalSeconds: options.monitorIntervalSeconds ?? 30,
  });
  // pg-boss emits errors from its background loops; without a listener they would crash the process.
  boss.on('error', (err) => logger.error({ err }, 'queue error'));
  boss.on('warning', (warning) => logger.warn({ warning }, 'queue warning'));
  await boss.start();
  await createQueues(boss);
  const record = durationRecorder(options);

  return {
    boss,
    async send(name, payload, sendOptions = {}) {
      const data = parsePayload(name, payload);
      const opts: SendOptions = {};
      if (sendOptions.db) opts.db = bossDb(sendOptions.db);
      if (sendOptions.singletonKey) opts.singletonKey = sendOptions.singletonKey;
      if (sendOptions.startAfter !== undefined) opts.startAfter = sendOptions.startAfter;
      if (sendOptions.priority !== undefined) opts.priority = sendOptions.priority;
      return boss.send(name, data as object, opts);
    },
    async sendMany(name, payloads, sendOptions = {}) {
      if (payloads.length === 0) return;
      const jobs = payloads.map((p) => ({ data: parsePayload(name, p) as object }));
      await boss.insert(name, jobs, sendOptions.db ? { db: bossDb(sendOptions.db) } : {});
    },
    work(name, handler, workOptions = {}) {
      const opts = workOptionsFor(name, workOptions);
      return boss.work<unknown>(name, opts, (jobs) => runEach(name, jobs, handler, logger, record));
    },
    workBatch(name, handler, workOptions = {}) {
      const opts = workOptionsFor(name, workOptions);
      return boss.work<unknown>(name, opts, (jobs) => runBatch(name, jobs, handler, logger, record));
    },
    async stop(timeoutMs) {
      await boss.stop({ graceful: true, timeout: timeoutMs, close: true });
    },
  };
}

function workOptionsFor(name: QueueName, overrides: WorkOptions) {
  return {
    notifyPollingIntervalSeconds: 5,
    ...catalogue[name].work,
    ...overrides,
    perJobResults: true as const,
  };
}

export async function createQueues(boss: PgBoss) {
  await boss.createQueue(DEAD_LETTER, { retryLimit: 0, retentionSeconds: 30 * 24 * 3600 });
  for (const name of QUEUE_NAMES) {
    const { queue } = catalogue[name];
    const options = { ...queue, notify: true, deadLetter: DEAD_LETTER } as Omit<Queue, 'name'>;
    await boss.createQueue(name, options);
    // createQueue leaves an existing queue as it was: bring its settings up to this version's.
    const { policy: _, ...updatable } = options as Omit<Queue, 'name'> & { policy?: string };
    await boss.updateQueue(name, updatable);
  }
}

/** Splits a fetched batch into valid jobs and dead-lettered results for the invalid ones. */
function validate<N extends QueueName>(name: N, jobs: Job<unknown>[], logger: Logger) {
  const results: JobResult[] = [];
  const valid: { job: Job<unknown>; payload: Payload<N> }[] = [];
  for (const job of jobs) {
    try {
      valid.push({ job, payload: parsePayload(name, job.data) });
    } catch (err) {
      logger.error(
        { err, queue: name, jobId: job.id },
        'job payload rejected; sent to the dead-letter queue',
      );
      results.push({ id: job.id, status: 'deadletter', output: { error: (err as Error).message } });
    }
  }
  return { results, valid };
}

/** Permanent errors are dead-lettered at once; anything else is failed, so the queue retries it. */
function failure(name: string, jobIds: string[], err: unknown, logger: Logger): JobResult['status'] {
  const permanent = err instanceof PermanentJobError;
  logger[permanent ? 'error' : 'warn'](
    { err, queue: name, jobIds },
    permanent ? 'job failed permanently' : 'job failed; will retry',
  );
  return permanent ? 'deadletter' : 'failed';
}

type Recorder = (
  queue: QueueName,
  settled: { status: JobResult['status']; seconds: number }[],
) => Promise<void>;

const OUTCOMES: Partial<Record<JobResult['status'], JobOutcome>> = {
  completed: 'completed',
  failed: 'failed',
  deadletter: 'dead_lettered',
};

/** The one place job durations are taken: every stage's jobs settle through runEach or runBatch. */
function durationRecorder(options: QueueOptions): Recorder {
  return async (queue, settled) => {
    if (!options.recordDurations) return;
    const timings = settled.flatMap(({ status, seconds }) => {
      const outcome = OUTCOMES[status];
      return outcome ? [{ queue, outcome, seconds }] : [];
    });
    try {
      await options.recordDurations(timings);
    } catch (err) {
      options.logger.warn({ err, queue }, 'job durations not recorded');
    }
  };
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Runs the valid jobs of a batch concurrently; each settles on its own. */
async function runEach<N extends QueueName>(
  name: N,
  jobs: Job<unknown>[],
  handler: JobHandler<N>,
  logger: Logger,
  record: Recorder,
): Promise<JobResult[]> {
  const { results, valid } = validate(name, jobs, logger);
  const timed = valid.map(async (v) => {
    const started = performance.now();
    try {
      await handler(v.payload, v.job);
      return { job: v.job, error: null, seconds: secondsSince(started) };
    } catch (error) {
      return { job: v.job, error: { reason: error }, seconds: secondsSince(started) };
    }
  });
  const settled: Parameters<Recorder>[1] = [];
  for (const { job, error, seconds } of await Promise.all(timed)) {
    if (!error) {
      results.push({ id: job.id, status: 'completed' });
    } else {
      const status = failure(name, [job.id], error.reason, logger);
      results.push({ id: job.id, status, output: { error: (error.reason as Error)?.message } });
    }
    settled.push({ status: results.at(-1)!.status, seconds });
  }
  await record(name, settled);
  return results;
}

/**
 * Runs the valid jobs of a batch in one handler call (set-based work); they settle together, and
 * each is recorded as taking the batch's time.
 */
async function runBatch<N extends QueueName>(
  name: N,
  jobs: Job<unknown>[],
  handler: BatchHandler<N>,
  logger: Logger,
  record: Recorder,
): Promise<JobResult[]> {
  const { results, valid } = validate(name, jobs, logger);
  if (valid.length === 0) return results;
  const started = performance.now();
  let status: JobResult['status'] = 'completed';
  try {
    await handler(
      valid.map((v) => v.payload),
      valid.map((v) => v.job),
    );
    for (const v of valid) results.push({ id: v.job.id, status });
  } catch (err) {
    status = failure(
      name,
      valid.map((v) => v.job.id),
      err,
      logger,
    );
    for (const v of valid) results.push({ id: v.job.id, status, output: { error: (err as Error).message } });
  }
  const seconds = secondsSince(started);
  await record(
    name,
    valid.map(() => ({ status, seconds })),
  );
  return results;
}
