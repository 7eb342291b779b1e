import type pg from 'pg';
import { ConflictError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import {
  deleteSource,
  insertSource,
  listSourceSummaries,
  type SourceSummary,
  updateSource,
} from '../../db/sources.ts';
import type { SourceRegistry } from './registry.ts';

/**
 * Operator actions on sources, the one set of rules for `jobping sources …` and the admin API:
 * add and change (validated by the kind's config schema, the id's target filled in), list with
 * health, remove, pause and resume. Invalid input names its field (`id`, `config.<key>`), which the
 * API reports and the CLI ignores.
 */

export interface ManageDeps {
  pool: pg.Pool;
  sources: Pick<SourceRegistry, 'prepare'>;
}

/** "<kind>" or "<kind>:<target>": the kind in lower-case letters and digits, the target anything. */
export const SOURCE_ID = /^[a-z][a-z0-9]*(?::\S+)?$/;
export const SOURCE_ID_MAX = 300;

function checkId(id: string) {
  if (!SOURCE_ID.test(id) || id.length > SOURCE_ID_MAX)
    throw new InvalidInputError(
      `"${id}" is not a source id: use "<kind>" or "<kind>:<target>", like "lever:netflix"`,
      { field: 'id' },
    );
}

export interface AddedSource {
  id: string;
  kind: string;
  config: Record<string, unknown>;
  /** The kind's terms and blocking risks (search boards), to show whoever added it. */
  warning: string | null;
}

export async function addSource(
  deps: ManageDeps,
  id: string,
  config: Record<string, unknown> = {},
  options: { paused?: boolean } = {},
): Promise<AddedSource> {
  checkId(id);
  const prepared = deps.sources.prepare(id, config);
  const row = { id, kind: prepared.kind.kind, config: prepared.config };
  if (!(await insertSource(deps.pool, { ...row, enabled: !options.paused })))
    throw new ConflictError(`source "${id}" already exists`);
  return { ...row, warning: prepared.kind.warning ?? null };
}

/**
 * Changes a source's config (checked like a new one's) and/or pauses or resumes it. Resuming also
 * clears an automatic pause and the failure streak.
 */
export async function changeSource(
  deps: ManageDeps,
  id: string,
  changes: { config?: Record<string, unknown> | undefined; paused?: boolean | undefined },
): Promise<void> {
  const config = changes.config ? deps.sources.prepare(id, changes.config).config : undefined;
  if (!(await updateSource(deps.pool, id, { config, paused: changes.paused })))
    throw new NotFoundError(`no source "${id}"`);
}

export function listSources(deps: Pick<ManageDeps, 'pool'>): Promise<SourceSummary[]> {
  return listSourceSummaries(deps.pool);
}

export async function removeSource(deps: Pick<ManageDeps, 'pool'>, id: string): Promise<void> {
  if (!(await deleteSource(deps.pool, id))) throw new NotFoundError(`no source "${id}"`);
}

export function setSourcePaused(deps: ManageDeps, id: string, paused: boolean): Promise<void> {
  return changeSource(deps, id, { paused });
}

/** One line of state: "on", "paused by hand", "paused until …: reason". */
export function describeState(s: SourceSummary, now: Date): string {
  if (!s.enabled) return 'paused';
  if (s.pausedUntil && s.pausedUntil > now)
    return `backing off until ${s.pausedUntil.toISOString()} (${s.consecutiveFailures} failures)`;
  return s.consecutiveFailures > 0 ? `on (${s.consecutiveFailures} failures in a row)` : 'on';
}
