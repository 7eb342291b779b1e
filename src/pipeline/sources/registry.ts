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
  /** Builds the adapter; throws InvalidInputError when the row's config is not valid. */
  create(row: SourceRow): Source;
}

export interface SourceRegistry {
  kinds(): string[];
  create(row: SourceRow): Source;
  describe(sourceId: string): { name: string; attribution: Attribution | null };
}

export function createSourceRegistry(kinds: SourceKind[]): SourceRegistry {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return {
    kinds: () => [...byKind.keys()],
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
