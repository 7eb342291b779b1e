import { InvalidInputError } from '../../core/errors.ts';
import type { Attribution, Source } from '../../core/ports.ts';
import type { SourceRow } from '../../db/fetch-runs.ts';

/**
 * Source kinds JobPing knows, and the adapters built from `sources` rows. A row's id is
 * "<kind>" or "<kind>:<target>" ("greenhouse:stripe"); its config holds the kind's options.
 */

export interface SourceKind {
  kind: string;
  /** Shown on cards ("Greenhouse"). */
  label: string;
  attribution?: Attribution;
  /** Terms and blocking risks, shown when an operator adds such a source. */
  warning?: string;
  /**
   * Checks a config for a new row (`jobping sources add`) and returns what to store: the input,
   * with the id's target filled in. Throws InvalidInputError naming what is wrong.
   */
  validateConfig?(sourceId: string, config: Record<string, unknown>): Record<string, unknown>;
  /** Builds the adapter; throws InvalidInputError when the row's config is not valid. */
  create(row: SourceRow): Source;
}

export interface SourceRegistry {
  kinds(): string[];
  get(kind: string): SourceKind | undefined;
  /**
   * Validates a row to store: its kind from the id ("lever:netflix" → lever), its config by the
   * kind's schema. Errors name the field: `id`, or `config` / `config.<key>`.
   */
  prepare(
    sourceId: string,
    config: Record<string, unknown>,
  ): { kind: SourceKind; config: Record<string, unknown> };
  create(row: SourceRow): Source;
  describe(sourceId: string): { name: string; attribution: Attribution | null };
}

/** The rest of a row that is not stored yet, for checking its config by building its adapter. */
const UNSAVED = { enabled: true, consecutiveFailures: 0, pausedUntil: null, pauseReason: null };

export function createSourceRegistry(kinds: SourceKind[]): SourceRegistry {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return {
    kinds: () => [...byKind.keys()],
    get: (kind) => byKind.get(kind),
    prepare(sourceId, config) {
      const name = sourceId.split(':')[0] ?? '';
      const kind = byKind.get(name);
      if (!kind)
        throw new InvalidInputError(
          `unknown source kind "${name}" (known: ${[...byKind.keys()].sort().join(', ')})`,
          { field: 'id' },
        );
      try {
        if (kind.validateConfig) return { kind, config: kind.validateConfig(sourceId, config) };
        // A kind without a config schema checks its config where a fetch would: building the adapter.
        kind.create({ ...UNSAVED, id: sourceId, kind: name, config });
        return { kind, config };
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const field = err.field ? `config.${err.field}` : 'config';
        throw new InvalidInputError(err.message, { field, cause: err });
      }
    },
    create(row) {
      const kind = byKind.get(row.kind);
      if (!kind)
        throw new InvalidInputError(
          `unknown source kind "${row.kind}" (known: ${[...byKind.keys()].join(', ')})`,
        );
      return kind.create(row);
    },
    describe(sourceId) {
      const [kindName, ...rest] = sourceId.split(':');
      const kind = byKind.get(kindName ?? '');
      const target = rest.join(':');
      const label = kind?.label ?? kindName ?? sourceId;
      return { name: target ? `${label} · ${target}` : label, attribution: kind?.attribution ?? null };
    },
  };
}
