import { z } from 'zod';
import { listRates, parseRateAssignments, setRates } from '../../db/rates.ts';
import { problemResponses } from '../errors.ts';
import type { AdminRoutes } from './types.ts';

/** The currency rates salary floors are compared with; the same rules as `jobping rates set`. */

const rate = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  perUsd: z.number().describe('units of this currency per US dollar'),
  asOf: z.string().describe('the date the rate is from, YYYY-MM-DD'),
});

const update = z.object({
  rates: z
    .record(z.string(), z.number())
    .describe('currency → units per US dollar, e.g. {"EUR": 0.92, "GBP": 0.79}'),
  asOf: z.iso.date().optional().describe('the date the rates are from; default today (UTC)'),
});

export const rateRoutes: AdminRoutes = async (app, { pool, clock }) => {
  app.get(
    '/rates',
    {
      schema: {
        tags: ['rates'],
        summary: 'Currency rates used to compare salaries across currencies',
        response: { 200: z.object({ items: z.array(rate) }), ...problemResponses(401, 429, 503) },
      },
    },
    async () => ({ items: await listRates(pool) }),
  );

  app.put(
    '/rates',
    {
      schema: {
        tags: ['rates'],
        summary: 'Set or add rates; every bad one is reported and nothing is changed',
        body: update,
        response: { 200: z.object({ items: z.array(rate) }), ...problemResponses(400, 401, 413, 429, 503) },
      },
    },
    async (request) => {
      const rates = parseRateAssignments(Object.entries(request.body.rates).map(([c, r]) => `${c}=${r}`));
      await setRates(pool, rates, request.body.asOf ?? clock.now().toISOString().slice(0, 10));
      return { items: await listRates(pool) };
    },
  );
};
