import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock, LogPort } from '../core/ports.ts';
import { HttpProblem } from './errors.ts';

/**
 * Bearer-token auth for the admin API. Tokens are compared as SHA-256 digests with
 * `timingSafeEqual` (equal lengths whatever was sent, so the comparison leaks neither the token
 * nor its length). Repeated failures from one address lock that address out for a while.
 */

export type AdminAuth =
  | { mode: 'token'; token: string; source: 'env' | 'file' }
  | { mode: 'disabled'; reason: string };

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function tokenMatches(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

export interface FailureLimiter {
  /** Seconds the address must wait, or 0 when it may try. */
  retryAfter(address: string): number;
  /** Counts a failure; true when it is the one that locks the address out. */
  recordFailure(address: string): boolean;
}

/**
 * At most `max` failures per address in a fixed window; the address is then refused until the
 * window ends. In memory: enough for one process, and the point is to make guessing slow.
 */
export function createFailureLimiter(
  clock: Clock,
  options: { max?: number; windowMs?: number; maxAddresses?: number } = {},
): FailureLimiter {
  const max = options.max ?? 10;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const entries = new Map<string, { failures: number; resetAt: number }>();

  const prune = (now: number) => {
    for (const [address, entry] of entries) if (entry.resetAt <= now) entries.delete(address);
  };

  return {
    retryAfter(address) {
      const now = clock.now().getTime();
      const entry = entries.get(address);
      if (!entry || entry.resetAt <= now || entry.failures < max) return 0;
      return Math.max(1, Math.ceil((entry.resetAt - now) / 1000));
    },
    recordFailure(address) {
      const now = clock.now().getTime();
      if (entries.size >= maxAddresses) prune(now);
      const entry = entries.get(address);
      if (!entry || entry.resetAt <= now) {
        entries.set(address, { failures: 1, resetAt: now + windowMs });
        return max === 1;
      }
      entry.failures++;
      return entry.failures === max;
    },
  };
}

function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** An onRequest hook: 503 when the API is disabled, 429 while locked out, 401 on a bad token. */
export function requireAdmin(auth: AdminAuth, limiter: FailureLimiter, logger: LogPort) {
  return async (req: FastifyRequest) => {
    if (auth.mode === 'disabled') throw new HttpProblem(503, auth.reason);
    const wait = limiter.retryAfter(req.ip);
    if (wait > 0) {
      throw new HttpProblem(429, `too many failed attempts from this address; try again in ${wait} s`, {
        'retry-after': String(wait),
      });
    }
    const presented = bearerToken(req);
    if (presented !== null && tokenMatches(auth.token, presented)) return;
    if (limiter.recordFailure(req.ip))
      logger.warn(
        { address: req.ip, path: req.url.split('?')[0] },
        'admin API: address locked out after repeated wrong tokens',
      );
    throw new HttpProblem(
      401,
      presented === null ? 'missing bearer token (Authorization: Bearer <ADMIN_TOKEN>)' : 'wrong token',
      { 'www-authenticate': 'Bearer realm="jobping-admin"' },
    );
  };
}
