import type pg from 'pg';
import { ConflictError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import {
  deleteSource,
  insertSource,
  listSourceSummaries,
  type SourceSummary,
  setSourceEnabled,
} from '../../db/sources.ts';
import type { SourceRegistry } from './registry.ts';

/**
 * Operator actions on sources, shared by `jobping sources …` and the admin API: add (validated by
 * the kind's config schema), list with health, remove, pause and resume.
 */

export interface ManageDeps {
  pool: pg.Pool;
  sources: SourceRegistry;
}

const ID = /^[a-z][a-z0-9]*(?::\S+)?$/;

export async function addSource(
  deps: ManageDeps,
  id: string,
  config: Record<string, unknown> = {},
): Promise<{ id: string; kind: string; config: Record<string, unknown>; warning: string | null }> {
  if (!ID.test(id) || id.length > 300)
    throw new InvalidInputError(
      `"${id}" is not a source id: use "<kind>" or "<kind>:<target>", like "lever:netflix"`,
    );
  const prepared = deps.sources.prepare(id, config);
  const row = { id, kind: prepared.kind.kind, config: prepared.config };
  if (!(await insertSource(deps.pool, row))) throw new ConflictError(`source "${id}" already exists`);
  return { ...row, warning: prepared.kind.warning ?? null };
}

export function listSources(deps: Pick<ManageDeps, 'pool'>): Promise<SourceSummary[]> {
  return listSourceSummaries(deps.pool);
}

export async function removeSource(deps: Pick<ManageDeps, 'pool'>, id: string): Promise<void> {
  if (!(await deleteSource(deps.pool, id))) throw new NotFoundError(`no source "${id}"`);
}

export async function setSourcePaused(
  deps: Pick<ManageDeps, 'pool'>,
  id: string,
  paused: boolean,
): Promise<void> {
  if (!(await setSourceEnabled(deps.pool, id, !paused))) throw new NotFoundError(`no source "${id}"`);
}

/** One line of state: "on", "paused by hand", "paused until …: reason". */
export function describeState(s: SourceSummary, now: Date): string {
  if (!s.enabled) return 'paused';
  if (s.pausedUntil && s.pausedUntil > now)
    return `backing off until ${s.pausedUntil.toISOString()} (${s.consecutiveFailures} failures)`;
  return s.consecutiveFailures > 0 ? `on (${s.consecutiveFailures} failures in a row)` : 'on';
}
