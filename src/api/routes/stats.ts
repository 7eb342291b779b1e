import { z } from 'zod';
import { listSourceViews } from '../../db/source-views.ts';
import { getStats, meanModelCallCost } from '../../db/stats.ts';
import { problemResponses } from '../errors.ts';
import { deliveryCounts, matchCounts, runStatus, sourceHealth, timestamp } from '../schemas.ts';
import type { AdminRoutes } from './types.ts';

const usage = z.object({
  calls: z.number().int(),
  failedCalls: z.number().int(),
  inputTokens: z.number(),
  cachedTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});

const stats = z.object({
  users: z.object({ total: z.number().int(), active: z.number().int(), blocked: z.number().int() }),
  postings: z.object({
    total: z.number().int(),
    canonical: z.number().int(),
    duplicates: z.number().int(),
    open: z.number().int(),
  }),
  analyses: z.object({
    pending: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
  }),
  matches: matchCounts,
  deliveries: deliveryCounts,
  model: z
    .object({ today: usage, last7Days: usage, total: usage })
    .describe('today is the current UTC day; last7Days the last 168 hours'),
  preFilter: z.object({
    analysesSkipped: z
      .number()
      .int()
      .describe("contents no user's filters could accept: never sent to the model"),
    estimatedSavingsUsd: z.number().describe('skipped × the mean cost of a successful model call'),
  }),
  sources: z.array(
    z.object({
      id: z.string(),
      health: sourceHealth,
      consecutiveFailures: z.number().int(),
      pausedUntil: timestamp.nullable(),
      lastRunStatus: runStatus.nullable(),
      lastRunAt: timestamp.nullable(),
      lastError: z.string().nullable(),
      warning: z
        .string()
        .nullable()
        .describe('set while the source finds 0 postings where its previous runs found plenty'),
      runsLast24h: z.object({ succeeded: z.number().int(), failed: z.number().int() }),
    }),
  ),
  generatedAt: timestamp,
});

export const statsRoutes: AdminRoutes = async (app, { pool, clock }) => {
  app.get(
    '/stats',
    {
      schema: {
        tags: ['stats'],
        summary:
          'Users, postings, matches, deliveries, model usage and cost, pre-filter savings, source health',
        response: { 200: stats, ...problemResponses(401, 429, 503) },
      },
    },
    async () => {
      const now = clock.now();
      const [counts, meanCost, sources] = await Promise.all([
        getStats(pool, now),
        meanModelCallCost(pool),
        listSourceViews(pool, now),
      ]);
      return {
        ...counts,
        preFilter: {
          analysesSkipped: counts.analyses.skipped,
          estimatedSavingsUsd: counts.analyses.skipped * meanCost,
        },
        sources: sources.map((s) => ({
          id: s.id,
          health: s.health,
          consecutiveFailures: s.consecutiveFailures,
          pausedUntil: s.pausedUntil,
          lastRunStatus: s.lastRun?.status ?? null,
          lastRunAt: s.lastRun ? (s.lastRun.finishedAt ?? s.lastRun.createdAt) : null,
          lastError: s.lastRun?.error ?? null,
          warning: s.warning,
          runsLast24h: s.runsLast24h,
        })),
        generatedAt: now,
      };
    },
  );
};
