import type { Job } from 'pg-boss';
import { type AnalyzeDeps, runAnalyze } from './analyze/stage.ts';
import { type FetchDeps, runFetch } from './fetch.ts';
import { type MatchDeps, runMatch } from './match.ts';
import { type NotifyDeps, runNotify } from './notify.ts';
import { catalogue, type Queues } from './queues.ts';

/** Registers the four pipeline stages on their queues. */

export type PipelineDeps = FetchDeps & AnalyzeDeps & MatchDeps & NotifyDeps;

function isLastAttempt(job: Job<unknown>, retryLimit: number): boolean {
  return job.retryCount >= retryLimit;
}

export async function startPipelineWorkers(
  queues: Queues,
  deps: PipelineDeps,
  options: { analyzeConcurrency: number; pollingIntervalSeconds?: number },
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
        lastAttempt: isLastAttempt(job, catalogue.analyze.queue.retryLimit),
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
}
