import { z } from 'zod';
import { NotFoundError } from '../../core/errors.ts';
import { DEAD_LETTER, QUEUE_NAMES, type Queues } from '../../pipeline/queues.ts';
import { problemResponses } from '../errors.ts';
import { timestamp } from '../schemas.ts';
import type { AdminRoutes } from './types.ts';

/** How many dead letters are read to count them per queue (and to list the latest). */
const DEAD_LETTER_SCAN = 10_000;

const queueName = z.enum([DEAD_LETTER, ...QUEUE_NAMES]);

const queueState = z.object({
  name: z.string(),
  queued: z.number().int().describe('waiting, including deferred (retry later) jobs'),
  deferred: z.number().int(),
  active: z.number().int(),
  failed: z.number().int().describe('failed jobs still retained (a rolling count)'),
  deadLettered: z.number().int().describe('jobs of this queue now in the dead-letter queue'),
});

const deadLetter = z.object({
  id: z.string(),
  queue: z.string().nullable(),
  data: z.unknown(),
  error: z.unknown().describe("the failed job's output"),
  createdOn: timestamp,
});

export interface QueueOverview {
  queues: z.infer<typeof queueState>[];
  deadLetters: z.infer<typeof deadLetter>[];
}

/** Fresh counts per queue (pg-boss's cache can be minutes old) and dead letters by origin. */
export async function queueOverview(queues: Queues, latest = 20): Promise<QueueOverview> {
  const { boss } = queues;
  const dead = await boss.findJobs(DEAD_LETTER, { queued: true, limit: DEAD_LETTER_SCAN });
  const deadBy = new Map<string, number>();
  for (const job of dead) deadBy.set(job.sourceName ?? '', (deadBy.get(job.sourceName ?? '') ?? 0) + 1);
  const states = await Promise.all(
    [...QUEUE_NAMES, DEAD_LETTER].map(async (name) => {
      const stats = (await boss.getQueueStats(name, { force: true })).at(-1);
      return {
        name,
        queued: stats?.queuedCount ?? 0,
        deferred: stats?.deferredCount ?? 0,
        active: stats?.activeCount ?? 0,
        failed: stats?.failedCount ?? 0,
        deadLettered: name === DEAD_LETTER ? dead.length : (deadBy.get(name) ?? 0),
      };
    }),
  );
  return {
    queues: states,
    deadLetters: dead
      .slice(-latest)
      .reverse()
      .map((j) => ({
        id: j.id,
        queue: j.sourceName,
        data: j.data,
        error: j.sourceOutput ?? j.output ?? null,
        createdOn: j.createdOn,
      })),
  };
}

export const queueRoutes: AdminRoutes = async (app, { queues }) => {
  app.get(
    '/queues',
    {
      schema: {
        tags: ['queues'],
        summary: 'Per queue: queued, active, failed and dead-lettered jobs; the latest dead letters',
        response: {
          200: z.object({ queues: z.array(queueState), deadLetters: z.array(deadLetter) }),
          ...problemResponses(401, 429, 503),
        },
      },
    },
    async () => queueOverview(queues),
  );

  app.post(
    '/queues/:name/redrive',
    {
      schema: {
        tags: ['queues'],
        summary: 'Send a queue\'s dead letters back to it ("dead-letter": every queue\'s)',
        params: z.object({ name: z.string().min(1).max(100) }),
        response: {
          200: z.object({ redriven: z.number().int() }),
          ...problemResponses(400, 401, 404, 429, 503),
        },
      },
    },
    async (req) => {
      const parsed = queueName.safeParse(req.params.name);
      if (!parsed.success) throw new NotFoundError(`no queue "${req.params.name}"`);
      const name = parsed.data;
      const redriven = await queues.boss.redrive(
        DEAD_LETTER,
        name === DEAD_LETTER ? {} : { sourceName: name },
      );
      return { redriven };
    },
  );
};
