/**
 * The error taxonomy. Callers decide by class: domain errors become a short reply to the user,
 * upstream errors are retried only when `retryable`, permanent job errors are never retried.
 */

/** The user (or an operator) sent something we cannot accept; the message is safe to show them. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  readonly field: string | undefined;
  readonly usage: string | undefined;
  constructor(message: string, options: { field?: string; usage?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.field = options.field;
    this.usage = options.usage;
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The thing exists but belongs to someone else (another user's match card). */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** A service outside JobPing failed: a job board, the model, a chat platform. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly service: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  /** Seconds the service asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    service: string,
    message: string,
    options: { retryable: boolean; status?: number; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(`${service}: ${message}`, { cause: options.cause });
    this.service = service;
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A job that cannot succeed however often it runs (bad payload, missing row): dead-letter it. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** Whether retrying could help: upstream errors say so themselves; domain errors never can. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof UpstreamError) return err.retryable;
  if (err instanceof InvalidInputError || err instanceof NotFoundError || err instanceof ForbiddenError)
    return false;
  if (err instanceof PermanentJobError) return false;
  return true;
}
