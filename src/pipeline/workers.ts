import type { Job } from 'pg-boss';
import { type AnalyzeDeps, runAnalyze } from './analyze/stage.ts';
import { runDigest } from './digest.ts';
import { type DispatchDeps, runDispatch } from './dispatch.ts';
import { type FetchDeps, requestScheduledFetch, runFetch } from './fetch.ts';
import { type MatchDeps, runMatch } from './match.ts';
import { type NotifyDeps, runNotify } from './notify.ts';
import { catalogue, type Queues } from './queues.ts';

/**
 * Registers the pipeline stages on their queues, and the install's two schedules: FETCH_CRON
 * (every source, once for all users) and the every-minute dispatcher (held alerts, digests).
 * pg-boss keys schedules by name, so every worker process registering them leaves one of each.
 */

export type PipelineDeps = FetchDeps & AnalyzeDeps & MatchDeps & NotifyDeps & DispatchDeps;

export const DISPATCH_CRON = '* * * * *';

function isLastAttempt(job: Job<unknown>, retryLimit: number): boolean {
  return job.retryCount >= retryLimit;
}

export async function startPipelineWorkers(
  queues: Queues,
  deps: PipelineDeps,
  options: { analyzeConcurrency: number; pollingIntervalSeconds?: number; fetchCron: string },
): Promise<void> {
  // Tests poll fast so retries and delayed jobs are picked up at once; production keeps the defaults.
  const polling =
    options.pollingIntervalSeconds === undefined
      ? {}
      : {
          pollingIntervalSeconds: options.pollingIntervalSeconds,
          notifyPollingIntervalSeconds: options.pollingIntervalSeconds,
        };
  await queues.work('fetch', (payload, job) => runFetch(deps, payload.runId, job.signal), polling);
  // Model calls in flight per process = workers × batch size.
  const analyzeWorkers = Math.min(4, options.analyzeConcurrency);
  await queues.work(
    'analyze',
    (payload, job) =>
      runAnalyze(deps, {
        contentHash: payload.contentHash,
        signal: job.signal,
        attempt: (payload.attemptsBefore ?? 0) + job.retryCount + 1,
        maxAttempts: catalogue.analyze.queue.retryLimit + 1,
      }),
    {
      ...polling,
      localConcurrency: analyzeWorkers,
      batchSize: Math.ceil(options.analyzeConcurrency / analyzeWorkers),
    },
  );
  await queues.workBatch(
    'match',
    async (payloads) => {
      await runMatch(
        deps,
        payloads.flatMap((p) => p.postingIds),
      );
    },
    polling,
  );
  await queues.work(
    'notify',
    (payload, job) =>
      runNotify(deps, payload.deliveryId, isLastAttempt(job, catalogue.notify.queue.retryLimit)),
    polling,
  );
  await queues.work(
    'digest',
    (payload, job) =>
      runDigest(deps, payload.digestId, isLastAttempt(job, catalogue.digest.queue.retryLimit)),
    polling,
  );
  await queues.work(
    'fetch-all',
    async () => {
      const request = await requestScheduledFetch(deps);
      deps.logger.info({ requestId: request?.id, sources: request?.runs.length ?? 0 }, 'scheduled fetch');
    },
    polling,
  );
  await queues.work('dispatch', async () => void (await runDispatch(deps)), polling);
  await queues.boss.schedule('fetch-all', options.fetchCron, {});
  await queues.boss.schedule('dispatch', DISPATCH_CRON, {});
}
