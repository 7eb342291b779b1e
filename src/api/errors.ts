import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UpstreamError,
} from '../core/errors.ts';
import type { LogPort } from '../core/ports.ts';

/**
 * Every admin API error is an RFC 9457 problem (`application/problem+json`), produced in one
 * place from the error taxonomy of src/core/errors.ts. Handlers throw; nothing else picks statuses.
 */

export const PROBLEM_TYPE = 'application/problem+json';

export const problemSchema = z
  .object({
    type: z.string().describe('"about:blank": the status and title say it all'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'querystring', 'params', 'headers']),
          field: z.string().describe('dotted path of the failing field; "(root)" for the whole part'),
          message: z.string(),
        }),
      )
      .optional()
      .describe('the failing fields, on 400'),
  })
  .describe('An RFC 9457 problem');

export type Problem = z.infer<typeof problemSchema>;
type FieldError = NonNullable<Problem['errors']>[number];

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An HTTP-level refusal from the API itself (auth, rate limit, disabled API). */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.headers = headers;
  }
}

export function problem(status: number, detail: string, errors?: FieldError[]): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

/** Problem responses as the OpenAPI document shows them, for the statuses a route can answer. */
export function problemResponses<S extends number>(...statuses: S[]) {
  const response = {
    description: 'A problem (RFC 9457)',
    content: { [PROBLEM_TYPE]: { schema: problemSchema } },
  };
  return Object.fromEntries(statuses.map((s) => [s, response])) as Record<S, typeof response>;
}

function fieldOf(instancePath: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  return path === '' ? '(root)' : path;
}

function toProblem(err: unknown, req: FastifyRequest, logger: LogPort): Problem {
  if (err instanceof HttpProblem) return problem(err.status, err.message);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err.validationContext ?? 'body') as FieldError['in'];
    const errors = err.validation.map((v) => ({
      in: where,
      field: fieldOf(v.instancePath),
      message: v.message ?? 'invalid',
    }));
    return problem(
      400,
      `invalid ${where}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  if (err instanceof InvalidInputError) {
    // Handlers check what a schema cannot (one field against another): a query on reads, a body on writes.
    const where = req.method === 'GET' || req.method === 'DELETE' ? 'querystring' : 'body';
    const errors = err.field ? [{ in: where, field: err.field, message: err.message } as const] : undefined;
    return problem(400, err.message, errors);
  }
  if (err instanceof NotFoundError) return problem(404, err.message);
  if (err instanceof ForbiddenError) return problem(403, err.message);
  if (err instanceof ConflictError) return problem(409, err.message);
  if (err instanceof UpstreamError) {
    logger.warn({ err }, 'admin API: upstream service failed');
    return problem(502, err.message);
  }
  if (isResponseSerializationError(err)) {
    logger.error({ err, issues: err.cause.issues }, 'admin API: response did not match its schema');
    return problem(500, 'the server built a response it should not have; the log has the details');
  }
  // Fastify's own client errors (body too large, bad JSON, wrong content type) carry their status.
  const status = (err as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return problem(status, (err as Error).message);
  logger.error({ err }, 'admin API request failed');
  return problem(500, 'something went wrong on the server; the log has the details');
}

export function sendProblem(reply: FastifyReply, p: Problem, headers: Record<string, string> = {}) {
  // A string payload skips the route's serializer: a problem is sent as built, whatever the route returns.
  return reply.code(p.status).headers(headers).type(PROBLEM_TYPE).send(JSON.stringify(p));
}

export function problemErrorHandler(logger: LogPort) {
  return (err: unknown, req: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, toProblem(err, req, logger), err instanceof HttpProblem ? err.headers : {});
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, problem(404, `no route ${req.method} ${req.url.split('?')[0]}`));
}
