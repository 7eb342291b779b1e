import { z } from 'zod';
import { NotFoundError } from '../../core/errors.ts';
import { ALERT_MODES, REMOTE_PREFERENCES, SENIORITIES } from '../../core/types.ts';
import { deleteUser, getUserDetail, listUsers, setUserStatus } from '../../db/user-admin.ts';
import { problemResponses } from '../errors.ts';
import {
  cursorOf,
  deliveryCounts,
  encodeCursor,
  idParams,
  limit,
  matchCounts,
  platform,
  timestamp,
} from '../schemas.ts';
import type { AdminDeps, AdminRoutes } from './types.ts';

const userStatus = z.enum(['active', 'blocked']);

const userSummary = z.object({
  id: z.number().int(),
  displayName: z.string().nullable(),
  status: userStatus,
  createdAt: timestamp,
  platforms: z.array(platform),
  matches: z.number().int(),
});

const preferences = z.object({
  keywords: z.array(z.string()),
  excludedWords: z.array(z.string()),
  locations: z.array(z.string()),
  remote: z.enum(REMOTE_PREFERENCES),
  salaryMin: z.number().nullable(),
  salaryCurrency: z.string(),
  seniority: z.array(z.enum(SENIORITIES)),
  blockedCompanies: z.array(z.string()),
  alertMode: z.enum(ALERT_MODES),
  alertThreshold: z.number().int(),
});

const userDetail = z.object({
  id: z.number().int(),
  displayName: z.string().nullable(),
  status: userStatus,
  timeZone: z.string(),
  alertPlatform: platform.nullable(),
  createdAt: timestamp,
  identities: z.array(
    z.object({
      id: z.number().int(),
      platform,
      externalId: z.string(),
      displayName: z.string().nullable(),
      deliverable: z.boolean(),
      undeliverableReason: z.string().nullable(),
      createdAt: timestamp,
      lastSeenAt: timestamp,
    }),
  ),
  preferences,
  matches: matchCounts,
  deliverability: z.object({
    reachable: z.boolean().describe('not blocked, and some chat account can still be messaged'),
    alertIdentityId: z.number().int().nullable(),
    deliveries: deliveryCounts,
  }),
});

const userCursor = cursorOf(z.object({ afterId: z.number().int().nonnegative() }));

type App = Parameters<AdminRoutes>[0];

/** GET /users */
function listUserPage(app: App, deps: AdminDeps) {
  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Users, oldest first',
        querystring: z.object({
          status: userStatus.optional(),
          q: z.string().trim().min(1).max(200).optional().describe('part of a name or chat account id'),
          limit: limit(50),
          cursor: userCursor.optional(),
        }),
        response: {
          200: z.object({ items: z.array(userSummary), nextCursor: z.string().nullable() }),
          ...problemResponses(400, 401, 429, 503),
        },
      },
    },
    async (req) => {
      const { status, q, limit: pageSize, cursor } = req.query;
      const page = await listUsers(deps.pool, { status, q }, { limit: pageSize, afterId: cursor?.afterId });
      return {
        items: page.items,
        nextCursor: page.nextAfterId === null ? null : encodeCursor({ afterId: page.nextAfterId }),
      };
    },
  );
}

/** GET /users/{id} */
function getUser(app: App, deps: AdminDeps) {
  app.get(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'One user: chat accounts, preferences, matches by status, deliverability',
        params: idParams,
        response: { 200: userDetail, ...problemResponses(400, 401, 404, 429, 503) },
      },
    },
    async (req) => {
      const user = await getUserDetail(deps.pool, req.params.id);
      if (!user) throw new NotFoundError(`no user ${req.params.id}`);
      return user;
    },
  );
}

/** PATCH /users/{id} */
function blockOrUnblock(app: App, deps: AdminDeps) {
  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Block or unblock a user',
        description:
          'A blocked user gets no alerts (queued ones are skipped) and every chat command is refused.',
        params: idParams,
        body: z.object({ status: userStatus }).strict(),
        response: { 200: userDetail, ...problemResponses(400, 401, 404, 413, 429, 503) },
      },
    },
    async (req) => {
      if (!(await setUserStatus(deps.pool, req.params.id, req.body.status)))
        throw new NotFoundError(`no user ${req.params.id}`);
      return (await getUserDetail(deps.pool, req.params.id))!;
    },
  );
}

/** DELETE /users/{id} */
function removeUser(app: App, deps: AdminDeps) {
  app.delete(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Delete a user and all of their data, in one transaction',
        description:
          'Chat accounts, preferences, matches and deliveries are deleted; fetches they asked for stay as source history without the user or their search text.',
        params: idParams,
        response: { 204: z.undefined(), ...problemResponses(400, 401, 404, 429, 503) },
      },
    },
    async (req, reply) => {
      if (!(await deleteUser(deps.pool, req.params.id))) throw new NotFoundError(`no user ${req.params.id}`);
      return reply.code(204).send();
    },
  );
}

export const userRoutes: AdminRoutes = async (app, deps) => {
  for (const route of [listUserPage, getUser, blockOrUnblock, removeUser]) route(app, deps);
};
