import { z } from 'zod';
import { InvalidInputError } from '../core/errors.ts';
import type { Db } from './pool.ts';

/**
 * Currency rates for comparing salaries in the user's currency: units of each currency per US
 * dollar, with the date they are from. Seeded by migration 0007 from `currency-rates.json`; the
 * operator updates them with `jobping rates set EUR=0.92 …`.
 */

export interface Rate {
  currency: string;
  perUsd: number;
  asOf: string;
}

export async function listRates(db: Db): Promise<Rate[]> {
  const { rows } = await db.query<Rate>(
    `select currency, per_usd as "perUsd", to_char(as_of, 'YYYY-MM-DD') as "asOf" from currency_rates order by currency`,
  );
  return rows;
}

const assignment = z.tuple([
  z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter currency code'))
    .refine((c) => c !== 'USD', 'USD is the base: it is always 1'),
  z.coerce.number({ message: 'expected a number' }).positive('expected a positive number').finite().max(1e7),
]);

/** "EUR=0.92" pairs → rates; every bad one reported at once. */
export function parseRateAssignments(args: string[]): { currency: string; perUsd: number }[] {
  const problems: string[] = [];
  const rates: { currency: string; perUsd: number }[] = [];
  for (const arg of args) {
    const parsed = assignment.safeParse(arg.split('='));
    if (!parsed.success || !arg.includes('=')) {
      problems.push(`${arg}: ${parsed.success ? 'expected CUR=rate' : parsed.error.issues[0]?.message}`);
      continue;
    }
    rates.push({ currency: parsed.data[0], perUsd: parsed.data[1] });
  }
  if (args.length === 0) problems.push('give at least one CUR=rate, e.g. EUR=0.92');
  if (problems.length > 0) throw new InvalidInputError(`nothing was changed: ${problems.join('; ')}`);
  return rates;
}

/** Sets (or adds) rates as of a date, in one statement. */
export async function setRates(
  db: Db,
  rates: { currency: string; perUsd: number }[],
  asOf: string,
): Promise<void> {
  await db.query(
    `insert into currency_rates (currency, per_usd, as_of)
     select c, r, $3::date from unnest($1::text[], $2::numeric[]) as t(c, r)
     on conflict (currency) do update set per_usd = excluded.per_usd, as_of = excluded.as_of, updated_at = now()`,
    [rates.map((r) => r.currency), rates.map((r) => r.perUsd), asOf],
  );
}
