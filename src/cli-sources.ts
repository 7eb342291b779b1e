import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import { ConflictError, InvalidInputError, NotFoundError } from './core/errors.ts';
import { systemClock } from './core/ports.ts';
import { openDatabase } from './db/database.ts';
import type { Logger } from './log.ts';
import { buildSourceRegistry } from './main.ts';
import {
  addSource,
  describeState,
  listSources,
  removeSource,
  setSourcePaused,
} from './pipeline/sources/manage.ts';

/** `jobping sources list | add <id> [--config JSON] | remove <id> | pause <id> | resume <id>`. */

export const SOURCES_USAGE = `  sources list                    job sources with their state, last run and warnings
  sources add <id> [--config JSON]
                                  add a source: greenhouse:stripe, lever:netflix, remoteok,
                                  careers:https://example.com/jobs, adzuna:gb …
  sources remove|pause|resume <id>`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

function parseConfig(json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new InvalidInputError(`--config is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidInputError('--config must be a JSON object, like \'{"company":"Stripe"}\'');
  return value as Record<string, unknown>;
}

export async function sourcesCommand(
  args: string[],
  { config, logger, io }: { config: Config; logger: Logger; io: Io },
): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    options: { config: { type: 'string' } },
    allowPositionals: true,
  });
  const [action, id] = positionals;
  if (
    !action ||
    !['list', 'add', 'remove', 'pause', 'resume'].includes(action) ||
    (action !== 'list' && !id)
  ) {
    io.err(`Usage:\n${SOURCES_USAGE}`);
    return 2;
  }
  const db = await openDatabase(config, logger);
  try {
    const deps = {
      pool: db.pool,
      sources: buildSourceRegistry(config, { pool: db.pool, clock: systemClock }),
    };
    if (action === 'list') {
      const now = systemClock.now();
      for (const s of await listSources(deps)) {
        const last = s.lastRun
          ? `last run ${s.lastRun.status}, ${s.lastRun.found} found${s.lastRun.error ? `: ${s.lastRun.error}` : ''}`
          : 'never run';
        io.out(`${s.id}  [${describeState(s, now)}]  ${last}${s.warning ? `\n  ⚠ ${s.warning}` : ''}`);
        if (s.pauseReason) io.out(`  ${s.pauseReason}`);
      }
      return 0;
    }
    if (action === 'add') {
      const added = await addSource(deps, id!, parseConfig(values.config));
      if (added.warning) io.err(`Warning: ${added.warning}`);
      io.out(`Added ${added.id} (${added.kind}) with config ${JSON.stringify(added.config)}.`);
    } else if (action === 'remove') {
      await removeSource(deps, id!);
      io.out(`Removed ${id} and its postings.`);
    } else {
      await setSourcePaused(deps, id!, action === 'pause');
      io.out(`${action === 'pause' ? 'Paused' : 'Resumed'} ${id}.`);
    }
    return 0;
  } catch (err) {
    if (err instanceof InvalidInputError || err instanceof ConflictError || err instanceof NotFoundError) {
      io.err(`jobping sources ${action}: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await db.close();
  }
}
