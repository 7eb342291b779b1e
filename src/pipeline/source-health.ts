import type { LogPort } from '../core/ports.ts';
import type { Db } from '../db/pool.ts';
import { previousFoundCounts, setSourceWarning } from '../db/sources.ts';

/**
 * A board that changes its format or starts blocking us often answers "200, nothing": the run
 * succeeds with 0 postings. A source that found plenty in its previous runs and now finds none is
 * flagged (on the source and the run, and in the log) until it finds postings again.
 */

const COMPARED_RUNS = 3;
/** Below this a board is small enough to empty out for real. */
const USED_TO_FIND = 5;

export function emptyRunWarning(found: number, previous: readonly number[]): string | null {
  if (found > 0 || previous.length < COMPARED_RUNS || previous.some((n) => n < USED_TO_FIND)) return null;
  return (
    `found 0 postings where its previous ${previous.length} runs found ${previous.join(', ')}: ` +
    'the board may have changed its format or be blocking us'
  );
}

/** Runs with a search text are left out: finding nothing for one query is normal. */
export async function checkSourceHealth(
  db: Db,
  logger: LogPort,
  run: { runId: number; sourceId: string; query: string | null },
  found: number,
): Promise<void> {
  if (run.query) return;
  if (found > 0) {
    await setSourceWarning(db, run.sourceId, run.runId, null);
    return;
  }
  const warning = emptyRunWarning(
    found,
    await previousFoundCounts(db, run.sourceId, run.runId, COMPARED_RUNS),
  );
  if (!warning) return;
  logger.warn({ sourceId: run.sourceId, runId: run.runId }, `source flagged: ${warning}`);
  await setSourceWarning(db, run.sourceId, run.runId, warning);
}
