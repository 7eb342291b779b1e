import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { type AdminAuth, createFailureLimiter, type FailureLimiter, requireAdmin } from './auth.ts';
import { notFoundHandler, problemErrorHandler } from './errors.ts';
import { createMetrics } from './metrics.ts';
import { registerAdminPage } from './page.ts';
import { fetchRoutes } from './routes/fetch.ts';
import { jobRoutes } from './routes/jobs.ts';
import { queueRoutes } from './routes/queues.ts';
import { rateRoutes } from './routes/rates.ts';
import { sourceRoutes } from './routes/sources.ts';
import { statsRoutes } from './routes/stats.ts';
import { type AdminDeps, BODY_LIMIT } from './routes/types.ts';
import { userRoutes } from './routes/users.ts';

/**
 * The admin API on the shared Fastify instance, in its own encapsulated context: zod validation
 * and serialization, problem+json errors and the OpenAPI document apply to these routes only,
 * never to health checks or the chat platforms' webhooks.
 *
 *   /api/*            bearer ADMIN_TOKEN (503 when the API is disabled)
 *   /metrics          Prometheus text, same token (scrape with `authorization: { credentials: … }`)
 *   /api/openapi.json and /api/docs   open: they describe the API and hold no data
 *   /admin            the operator page (static; it asks for the token and calls /api)
 */

export interface AdminApiDeps extends AdminDeps {
  auth: AdminAuth;
  /** Tests inject a limiter with their own clock and limits. */
  limiter?: FailureLimiter;
  version?: string;
}

const openapi = (version: string) => ({
  openapi: '3.1.0',
  info: {
    title: 'JobPing admin API',
    version,
    description:
      'Operate JobPing: postings and their analysis, users, sources and fetches, queues, usage and cost. Errors are RFC 9457 problems (application/problem+json).',
  },
  components: { securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer' } } },
  security: [{ bearer: [] }],
});

export async function registerAdminApi(http: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const guard = requireAdmin(deps.auth, deps.limiter ?? createFailureLimiter(deps.clock), deps.logger);

  const api: FastifyPluginAsync = async (scope) => {
    scope.addHook('onRequest', guard);
    // Every /api route gets the body limit the README promises, so a new route cannot forget it.
    scope.addHook('onRoute', (route) => {
      route.bodyLimit ??= BODY_LIMIT;
    });
    scope.setNotFoundHandler(notFoundHandler);
    for (const routes of [
      jobRoutes,
      userRoutes,
      sourceRoutes,
      fetchRoutes,
      queueRoutes,
      statsRoutes,
      rateRoutes,
    ]) {
      await scope.withTypeProvider<ZodTypeProvider>().register(routes, deps);
    }
  };

  const metrics = createMetrics(deps);
  const scrape: FastifyPluginAsync = async (scope) => {
    scope.addHook('onRequest', guard);
    scope.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
      reply.type(metrics.contentType).send(await metrics.metrics()),
    );
  };

  const admin: FastifyPluginAsync = async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    scope.setErrorHandler(problemErrorHandler(deps.logger));
    await scope.register(swagger, { openapi: openapi(deps.version ?? '1'), transform: jsonSchemaTransform });
    await scope.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    scope.get('/api/openapi.json', { schema: { hide: true } }, async () => scope.swagger());
    await scope.register(api, { prefix: '/api' });
    await scope.register(scrape);
    await registerAdminPage(scope);
  };

  await http.register(admin);
}
