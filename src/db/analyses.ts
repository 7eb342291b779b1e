import type { Analysis, AnalysisResult } from '../core/types.ts';
import type { Db } from './pool.ts';

/** Analyses, one per posting content; and the model calls made to get them. */

export type AnalysisStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';

/**
 * Registers contents for analysis. Returns which hashes were new (the caller enqueues those) and
 * the status of the ones already known.
 */
export async function claimAnalyses(
  db: Db,
  hashes: string[],
): Promise<{ created: string[]; existing: Map<string, AnalysisStatus> }> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return { created: [], existing: new Map() };
  const created = await db.query<{ contentHash: string }>(
    `insert into analyses (content_hash) select unnest($1::text[]) on conflict do nothing
     returning content_hash as "contentHash"`,
    [unique],
  );
  const createdSet = new Set(created.rows.map((r) => r.contentHash));
  const others = unique.filter((h) => !createdSet.has(h));
  const existing = new Map<string, AnalysisStatus>();
  if (others.length > 0) {
    const { rows } = await db.query<{ contentHash: string; status: AnalysisStatus }>(
      `select content_hash as "contentHash", status from analyses where content_hash = any($1)`,
      [others],
    );
    for (const r of rows) existing.set(r.contentHash, r.status);
  }
  return { created: [...createdSet], existing };
}

/** A skipped content may now interest someone: send it through analysis again. */
export async function reopenSkipped(db: Db, hashes: string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const { rows } = await db.query<{ contentHash: string }>(
    `update analyses set status = 'pending', updated_at = now() where content_hash = any($1) and status = 'skipped'
     returning content_hash as "contentHash"`,
    [hashes],
  );
  return rows.map((r) => r.contentHash);
}

export async function getAnalysisState(
  db: Db,
  contentHash: string,
): Promise<{ status: AnalysisStatus; attempts: number } | null> {
  const { rows } = await db.query<{ status: AnalysisStatus; attempts: number }>(
    'select status, attempts from analyses where content_hash = $1',
    [contentHash],
  );
  return rows[0] ?? null;
}

export async function saveAnalysis(
  db: Db,
  contentHash: string,
  result: AnalysisResult,
  terms: { terms: string[]; strongTerms: string[] },
): Promise<void> {
  const a: Analysis = result.analysis;
  await db.query(
    `update analyses set status = 'succeeded', analyzer = $2, model = $3, seniority = $4, skills = $5,
       remote_policy = $6, salary_annual_min = $7, salary_annual_max = $8, salary_currency = $9,
       visa_sponsorship = $10, relocation = $11, summary = $12, terms = $13, strong_terms = $14,
       title = $15, company = $16, location = $17, error = null, attempts = attempts + 1, updated_at = now()
     where content_hash = $1`,
    [
      contentHash,
      result.analyzer,
      result.model,
      a.seniority,
      a.skills,
      a.remotePolicy,
      a.salaryAnnual?.min ?? null,
      a.salaryAnnual?.max ?? null,
      a.salaryAnnual?.currency ?? null,
      a.visaSponsorship,
      a.relocation,
      a.summary,
      terms.terms,
      terms.strongTerms,
      a.title,
      a.company,
      a.location,
    ],
  );
}

/** Replaces a content's search terms (a free-text posting's, once its shown title is known). */
export async function saveTerms(
  db: Db,
  contentHash: string,
  terms: { terms: string[]; strongTerms: string[] },
): Promise<void> {
  await db.query('update analyses set terms = $2, strong_terms = $3 where content_hash = $1', [
    contentHash,
    terms.terms,
    terms.strongTerms,
  ]);
}

export async function markAnalysis(
  db: Db,
  contentHash: string,
  status: 'failed' | 'skipped' | 'pending',
  error: string | null,
): Promise<void> {
  await db.query(
    `update analyses set status = $2, error = $3, updated_at = now(),
       attempts = attempts + case when $2 = 'skipped' then 0 else 1 end
     where content_hash = $1`,
    [contentHash, status, error?.slice(0, 1000) ?? null],
  );
}

export interface ModelCall {
  contentHash: string;
  model: string;
  outcome: 'ok' | 'invalid_output' | 'error';
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
  error?: string | null;
}

export async function recordModelCall(db: Db, call: ModelCall): Promise<void> {
  await db.query(
    `insert into model_calls (content_hash, model, outcome, input_tokens, cached_tokens, output_tokens, cost_usd,
       duration_ms, error) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      call.contentHash,
      call.model,
      call.outcome,
      call.inputTokens,
      call.cachedTokens,
      call.outputTokens,
      call.costUsd,
      call.durationMs,
      call.error?.slice(0, 1000) ?? null,
    ],
  );
}
