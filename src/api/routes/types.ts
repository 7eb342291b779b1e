import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Clock, LogPort } from '../../core/ports.ts';
import type { Queues } from '../../pipeline/queues.ts';
import type { SourceRegistry } from '../../pipeline/sources/registry.ts';

/** What the admin routes need: the same pool, queues and source registry the bots and pipeline use. */
export interface AdminDeps {
  pool: pg.Pool;
  queues: Queues;
  clock: Clock;
  logger: LogPort;
  sources: Pick<SourceRegistry, 'prepare' | 'kinds'>;
}

export type AdminRoutes = FastifyPluginAsync<AdminDeps, import('node:http').Server, ZodTypeProvider>;

/** Largest request body the admin API accepts (a source config is the biggest thing sent); admin.ts sets it on every /api route. */
export const BODY_LIMIT = 64 * 1024;
