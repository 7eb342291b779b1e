import type pg from 'pg';
import { UpstreamError } from '../../core/errors.ts';
import type { Analyzer, LogPort } from '../../core/ports.ts';
import { annualise } from '../../core/salary.ts';
import { extractTerms, normalizeTerm } from '../../core/terms.ts';
import type { AnalysisResult, Posting, TokenUsage } from '../../core/types.ts';
import {
  getAnalysisState,
  markAnalysis,
  recordModelCall,
  saveAnalysis,
  saveTerms,
} from '../../db/analyses.ts';
import { anyUserCouldAccept } from '../../db/matching.ts';
import { withTransaction } from '../../db/pool.ts';
import { findPostingByContent, showExtractedFields, unmatchedPostingIds } from '../../db/postings.ts';
import type { Queues } from '../queues.ts';
import { InvalidModelOutputError } from './openai.ts';

/**
 * The analyze stage: once per posting content. Skips the model when no user could want the
 * posting; records every model call with its tokens and cost; never stores a made-up result. A
 * model answer that fails validation is retried once, then the analysis is recorded as failed.
 * A model that is down or rate limited is tried `maxAttempts` times in all, jobs re-queued for its
 * Retry-After included, then the analysis is recorded as failed with the last error.
 */

export interface Prices {
  input: number;
  cachedInput: number;
  output: number;
}

export interface AnalyzeDeps {
  pool: pg.Pool;
  queues: Queues;
  analyzer: Analyzer;
  prices: Prices;
  logger: LogPort;
}

/** Attempts for one content whose model answers do not validate, before it is marked failed. */
const MAX_INVALID_ANSWERS = 2;
const MATCH_CHUNK = 100;

export function costUsd(usage: TokenUsage, prices: Prices): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cachedTokens);
  return (
    (uncached * prices.input + usage.cachedTokens * prices.cachedInput + usage.outputTokens * prices.output) /
    1e6
  );
}

/** Search terms of a posting; the analyzer's skills count as strong terms (title-level). */
export function postingTerms(posting: Posting, skills: string[] = []) {
  const tags = posting.tags.map((t) => normalizeTerm(t)).filter((t): t is string => t !== null);
  const strong = new Set([...extractTerms(posting.title), ...tags, ...skills]);
  const all = new Set([...extractTerms(`${posting.title}\n${posting.description}`), ...strong]);
  return { terms: [...all].sort(), strongTerms: [...strong].sort() };
}

async function queueMatching(deps: AnalyzeDeps, db: pg.PoolClient, contentHash: string) {
  const ids = await unmatchedPostingIds(db, contentHash);
  for (let i = 0; i < ids.length; i += MATCH_CHUNK) {
    await deps.queues.send('match', { postingIds: ids.slice(i, i + MATCH_CHUNK) }, { db });
  }
}

export interface AnalyzeJob {
  contentHash: string;
  signal: AbortSignal;
  /**
   * This model attempt's number for the content, counted across the jobs a Retry-After re-queues
   * (1 for the first).
   */
  attempt: number;
  /** Attempts in all (the queue's retry limit + 1): a retryable failure on the last is final. */
  maxAttempts: number;
}

export async function runAnalyze(deps: AnalyzeDeps, job: AnalyzeJob): Promise<void> {
  const { contentHash } = job;
  const state = await getAnalysisState(deps.pool, contentHash);
  if (!state || state.status === 'failed' || state.status === 'skipped') return;
  if (state.status === 'succeeded') {
    // Already analysed (a duplicate job): make sure its postings get matched, nothing more.
    await withTransaction(deps.pool, (tx) => queueMatching(deps, tx, contentHash));
    return;
  }
  const posting = await findPostingByContent(deps.pool, contentHash);
  if (!posting) {
    await markAnalysis(deps.pool, contentHash, 'skipped', 'no posting carries this content any more');
    return;
  }
  const wanted = await anyUserCouldAccept(deps.pool, {
    ...postingTerms(posting),
    company: posting.company,
    location: posting.location,
    remote: posting.remote,
    guessed: posting.freeText,
    salary: posting.salary ? annualise(posting.salary) : null,
  });
  if (!wanted) {
    await markAnalysis(deps.pool, contentHash, 'skipped', "no user's filters can accept this posting");
    return;
  }

  const started = performance.now();
  let result: AnalysisResult;
  try {
    result = await deps.analyzer.analyze(posting, { signal: job.signal });
  } catch (err) {
    await handleFailure(deps, job, state.attempts, err, performance.now() - started);
    return;
  }
  const durationMs = Math.round(performance.now() - started);
  await withTransaction(deps.pool, async (tx) => {
    if (result.usage) {
      await recordModelCall(tx, {
        contentHash,
        model: result.model ?? deps.analyzer.name,
        outcome: 'ok',
        ...result.usage,
        costUsd: costUsd(result.usage, deps.prices),
        durationMs,
      });
    }
    await saveAnalysis(tx, contentHash, result, postingTerms(posting, result.analysis.skills));
    // A free-text posting is matched on what it will show: its terms follow the fields written back.
    const [shown] = await showExtractedFields(tx, [contentHash]);
    if (shown)
      await saveTerms(tx, contentHash, postingTerms({ ...posting, ...shown }, result.analysis.skills));
    await queueMatching(deps, tx, contentHash);
  });
}

async function handleFailure(deps: AnalyzeDeps, job: AnalyzeJob, attempts: number, err: unknown, ms: number) {
  const { contentHash } = job;
  const logger = deps.logger.child({ contentHash });
  const usage = err instanceof InvalidModelOutputError ? err.usage : null;
  const model =
    deps.analyzer.name === 'openai' ? ((err as { model?: string }).model ?? 'openai') : 'heuristic';
  if (deps.analyzer.name === 'openai') {
    await recordModelCall(deps.pool, {
      contentHash,
      model,
      outcome: err instanceof InvalidModelOutputError ? 'invalid_output' : 'error',
      inputTokens: usage?.inputTokens ?? 0,
      cachedTokens: usage?.cachedTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      costUsd: usage ? costUsd(usage, deps.prices) : 0,
      durationMs: Math.round(ms),
      error: (err as Error).message,
    });
  }
  if (err instanceof InvalidModelOutputError) {
    if (attempts + 1 >= MAX_INVALID_ANSWERS) {
      logger.error({ err }, 'model answer invalid twice; analysis failed');
      await markAnalysis(deps.pool, contentHash, 'failed', `model answer did not validate: ${err.message}`);
      return;
    }
    await markAnalysis(deps.pool, contentHash, 'pending', `model answer did not validate: ${err.message}`);
    throw err; // retried once by the queue
  }
  const lastAttempt = job.attempt >= job.maxAttempts;
  if (err instanceof UpstreamError && err.retryable && err.retryAfterSeconds !== undefined && !lastAttempt) {
    // The model asked us to wait: come back when it said, rather than at the queue's backoff. The
    // new job carries the attempts made so far, so rate limits count towards the same limit.
    await deps.queues.send(
      'analyze',
      { contentHash, attemptsBefore: job.attempt },
      { startAfter: Math.ceil(err.retryAfterSeconds) },
    );
    logger.warn(
      { retryAfter: err.retryAfterSeconds, attempt: job.attempt },
      'model rate limited; analysis rescheduled',
    );
    return;
  }
  const retryable = !(err instanceof UpstreamError) || err.retryable;
  if (retryable && !lastAttempt) throw err;
  logger.error({ err, attempt: job.attempt }, 'analysis failed');
  const reason = retryable
    ? `${(err as Error).message} (gave up after ${job.attempt} attempts)`
    : (err as Error).message;
  await markAnalysis(deps.pool, contentHash, 'failed', reason);
}
