import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { getJobDetail, JOB_SORTS, searchJobs } from '../../db/job-search.ts';
import { problemResponses } from '../errors.ts';
import {
  csv,
  cursorOf,
  encodeCursor,
  idParams,
  jobItem,
  limit,
  matchCounts,
  queryBoolean,
  remoteMode,
  runStatus,
  timestamp,
  trigger,
} from '../schemas.ts';
import type { AdminRoutes } from './types.ts';

const jobCursor = cursorOf(
  z.object({ sort: z.enum(JOB_SORTS), key: z.string().max(100), id: z.number().int().positive() }),
);

const listQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('full-text search: words, "phrases", OR, -word'),
  source: csv(z.string().min(1).max(300)).optional().describe('source ids, comma-separated'),
  company: z.string().trim().min(1).max(200).optional().describe('part of the company name'),
  remote: csv(remoteMode).optional().describe('remote, hybrid, onsite, unknown (comma-separated)'),
  salaryMin: z.coerce.number().min(0).max(100_000_000).optional().describe('yearly salary the range reaches'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like USD')
    .optional(),
  postedSince: timestamp.optional(),
  analysed: queryBoolean.optional().describe('true: analysis succeeded; false: not analysed (yet)'),
  includeDuplicates: queryBoolean.optional(),
  sort: z.enum(JOB_SORTS).default('newest').describe('relevance needs q'),
  limit: limit(50),
  cursor: jobCursor.optional().describe('nextCursor of the previous page'),
});

const jobDetail = jobItem.extend({
  description: z.string(),
  contentHash: z.string(),
  duplicateIds: z.array(z.number().int()),
  matches: z.object({ total: z.number().int(), byStatus: matchCounts }),
  fetchHistory: z.array(
    z.object({
      runId: z.number().int(),
      requestId: z.number().int(),
      sourceId: z.string(),
      trigger,
      status: runStatus,
      createdAt: timestamp,
      finishedAt: timestamp.nullable(),
    }),
  ),
});

export const jobRoutes: AdminRoutes = async (app, { pool }) => {
  app.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Postings with their analysis: search, filter, sort, page',
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(jobItem), nextCursor: z.string().nullable() }),
          ...problemResponses(400, 401, 429, 503),
        },
      },
    },
    async (req) => {
      const { sort, cursor, limit: pageSize, q, source, ...rest } = req.query;
      if (sort === 'relevance' && !q)
        throw new InvalidInputError('sort=relevance needs a search text', { field: 'q' });
      if (cursor && cursor.sort !== sort)
        throw new InvalidInputError('this cursor belongs to another sort order', { field: 'cursor' });
      const page = await searchJobs(pool, { ...rest, q, sources: source }, sort, {
        limit: pageSize,
        after: cursor,
      });
      return {
        items: page.items,
        nextCursor: page.next ? encodeCursor({ sort, ...page.next }) : null,
      };
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'One posting: analysis, matches and fetch history',
        params: idParams,
        response: { 200: jobDetail, ...problemResponses(400, 401, 404, 429, 503) },
      },
    },
    async (req) => {
      const job = await getJobDetail(pool, req.params.id);
      if (!job) throw new NotFoundError(`no posting ${req.params.id}`);
      return job;
    },
  );
};
