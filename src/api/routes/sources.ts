import { z } from 'zod';
import { NotFoundError } from '../../core/errors.ts';
import { getSourceView, listSourceRuns, listSourceViews } from '../../db/source-views.ts';
import {
  addSource as add,
  changeSource as change,
  removeSource as remove,
  SOURCE_ID,
  SOURCE_ID_MAX,
} from '../../pipeline/sources/manage.ts';
import { problemResponses } from '../errors.ts';
import { cursorOf, encodeCursor, limit, run, sourceHealth, timestamp } from '../schemas.ts';
import type { AdminDeps, AdminRoutes } from './types.ts';

/** Sources through the admin API: the same rules as `jobping sources …` (manage.ts), as problems. */

const sourceId = z
  .string()
  .min(1)
  .max(SOURCE_ID_MAX)
  .regex(SOURCE_ID, 'expected "<kind>" or "<kind>:<target>", e.g. greenhouse:stripe')
  .describe('"<kind>" or "<kind>:<target>"; URL-encode it in paths');
const sourceParams = z.object({ id: sourceId });
const config = z.record(z.string(), z.unknown()).describe("the kind's options");

const sourceView = z.object({
  id: z.string(),
  kind: z.string(),
  config,
  enabled: z.boolean(),
  consecutiveFailures: z.number().int(),
  pausedUntil: timestamp.nullable().describe('automatic pause after repeated failures'),
  pauseReason: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  health: sourceHealth,
  warning: z
    .string()
    .nullable()
    .describe('set while the source finds 0 postings where its previous runs found plenty'),
  postings: z.number().int(),
  runsLast24h: z.object({ succeeded: z.number().int(), failed: z.number().int() }),
  lastRun: run.nullable(),
});

const addedSource = sourceView.extend({
  termsWarning: z
    .string()
    .nullable()
    .describe(
      "the kind's terms and blocking risks (LinkedIn, Indeed, Glassdoor), as `jobping sources add` prints them",
    ),
});

async function viewOrNotFound(deps: AdminDeps, id: string) {
  const view = await getSourceView(deps.pool, id, deps.clock.now());
  if (!view) throw new NotFoundError(`no source "${id}"`);
  return view;
}

type App = Parameters<AdminRoutes>[0];

/** GET /sources */
function listSources(app: App, deps: AdminDeps) {
  app.get(
    '/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Sources with their health and last run',
        response: {
          200: z.object({ items: z.array(sourceView), kinds: z.array(z.string()) }),
          ...problemResponses(401, 429, 503),
        },
      },
    },
    async () => ({ items: await listSourceViews(deps.pool, deps.clock.now()), kinds: deps.sources.kinds() }),
  );
}

/** POST /sources */
function addSource(app: App, deps: AdminDeps) {
  app.post(
    '/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Add a source',
        description:
          'Checked like `jobping sources add`: the kind from the id, the config by the kind, the target filled in. ' +
          '`termsWarning` says when the board forbids automated access (search boards).',
        body: z
          .object({ id: sourceId, config: config.default({}), paused: z.boolean().default(false) })
          .strict(),
        response: { 201: addedSource, ...problemResponses(400, 401, 409, 413, 429, 503) },
      },
    },
    async (req, reply) => {
      const { id, config: cfg, paused } = req.body;
      const added = await add(deps, id, cfg, { paused });
      return reply.code(201).send({ ...(await viewOrNotFound(deps, id)), termsWarning: added.warning });
    },
  );
}

/** GET /sources/{id} */
function getSource(app: App, deps: AdminDeps) {
  app.get(
    '/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'One source',
        params: sourceParams,
        response: { 200: sourceView, ...problemResponses(400, 401, 404, 429, 503) },
      },
    },
    async (req) => viewOrNotFound(deps, req.params.id),
  );
}

/** PATCH /sources/{id} */
function changeSource(app: App, deps: AdminDeps) {
  app.patch(
    '/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'Change a source: its config, or pause / resume it',
        description: 'Resuming also clears an automatic pause and the failure streak.',
        params: sourceParams,
        body: z
          .object({ config: config.optional(), paused: z.boolean().optional() })
          .strict()
          .refine((b) => b.config !== undefined || b.paused !== undefined, 'expected config and/or paused'),
        response: { 200: sourceView, ...problemResponses(400, 401, 404, 413, 429, 503) },
      },
    },
    async (req) => {
      await change(deps, req.params.id, req.body);
      return viewOrNotFound(deps, req.params.id);
    },
  );
}

/** DELETE /sources/{id} */
function removeSource(app: App, deps: AdminDeps) {
  app.delete(
    '/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'Delete a source with its postings, their matches and its runs',
        params: sourceParams,
        response: { 204: z.undefined(), ...problemResponses(400, 401, 404, 429, 503) },
      },
    },
    async (req, reply) => {
      await remove(deps, req.params.id);
      return reply.code(204).send();
    },
  );
}

/** GET /sources/{id}/runs */
function sourceRuns(app: App, deps: AdminDeps) {
  app.get(
    '/sources/:id/runs',
    {
      schema: {
        tags: ['sources'],
        summary: "A source's fetch runs, newest first",
        params: sourceParams,
        querystring: z.object({
          limit: limit(20),
          cursor: cursorOf(z.object({ beforeId: z.number().int().positive() })).optional(),
        }),
        response: {
          200: z.object({ items: z.array(run), nextCursor: z.string().nullable() }),
          ...problemResponses(400, 401, 404, 429, 503),
        },
      },
    },
    async (req) => {
      await viewOrNotFound(deps, req.params.id);
      const page = await listSourceRuns(deps.pool, req.params.id, {
        limit: req.query.limit,
        beforeId: req.query.cursor?.beforeId,
      });
      return {
        items: page.items,
        nextCursor: page.nextBeforeId === null ? null : encodeCursor({ beforeId: page.nextBeforeId }),
      };
    },
  );
}

export const sourceRoutes: AdminRoutes = async (app, deps) => {
  for (const route of [listSources, addSource, getSource, changeSource, removeSource, sourceRuns])
    route(app, deps);
};
