import { z } from 'zod';
import { isDone, progressText } from '../../bots/fetch-progress.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { getRequestProgress } from '../../db/fetch-runs.ts';
import { getRun } from '../../db/source-views.ts';
import { requestFetch } from '../../pipeline/fetch.ts';
import { problemResponses } from '../errors.ts';
import { idParams, run } from '../schemas.ts';
import type { AdminRoutes } from './types.ts';

const progress = z.object({
  requestId: z.number().int(),
  sources: z.number().int(),
  sourcesDone: z.number().int(),
  sourcesFailed: z.array(z.object({ sourceId: z.string(), error: z.string() })),
  found: z.number().int(),
  new: z.number().int(),
  updated: z.number().int(),
  toProcess: z.number().int().describe('postings of this fetch that go through analysis and matching'),
  analysed: z.number().int(),
  matched: z.number().int(),
  done: z.boolean().describe('every source finished and every posting analysed and matched'),
  text: z.string().describe('the progress line the chat bots show'),
});

export const fetchRoutes: AdminRoutes = async (app, deps) => {
  app.post(
    '/fetch',
    {
      schema: {
        tags: ['fetch'],
        summary: 'Fetch the latest jobs from all sources, or some',
        description:
          'Queues one run per source, exactly as `/jobs fetch` in chat does. Follow it with GET /api/runs/{id}.',
        body: z
          .object({
            sourceIds: z.array(z.string().min(1).max(300)).min(1).max(100).optional(),
            query: z.string().trim().min(1).max(200).optional().describe('for sources that search'),
          })
          .strict()
          .default({}),
        response: {
          202: z.object({
            requestId: z.number().int(),
            runs: z.array(z.object({ id: z.number().int(), sourceId: z.string() })),
          }),
          ...problemResponses(400, 401, 409, 413, 429, 503),
        },
      },
    },
    async (req, reply) => {
      const request = await requestFetch(deps, {
        trigger: 'api',
        userId: null,
        query: req.body.query ?? null,
        ...(req.body.sourceIds ? { sourceIds: req.body.sourceIds } : {}),
      });
      if (request.runs.length === 0) throw new ConflictError('no source is enabled: add or resume one first');
      return reply.code(202).send({ requestId: request.id, runs: request.runs });
    },
  );

  app.get(
    '/runs/:id',
    {
      schema: {
        tags: ['fetch'],
        summary: 'A fetch run, and the progress of the fetch it belongs to',
        params: idParams,
        response: {
          200: z.object({ run, progress }),
          ...problemResponses(400, 401, 404, 429, 503),
        },
      },
    },
    async (req) => {
      const found = await getRun(deps.pool, req.params.id);
      if (!found) throw new NotFoundError(`no run ${req.params.id}`);
      const p = await getRequestProgress(deps.pool, found.requestId);
      return {
        run: found,
        progress: { requestId: found.requestId, ...p, done: isDone(p), text: progressText(p, false) },
      };
    },
  );
};
