import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.ts';
import type { RawPosting } from '../src/core/types.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { fetchAll, watchMessages } from './helpers/alerts.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/**
 * Salary floors across currencies: a posting in euros against a floor in dollars is compared
 * through the rate table (seeded from the bundled JSON), the card keeps the euros and the reason
 * shows the conversion; `jobping rates set` changes the rates the next match uses.
 */

let t: TestApp;
const clock = manualClock('2025-06-02T12:00:00Z');
const { boards, kind } = memoryBoards();
const lee = consoleActor('lee');

function job(id: string, company: string, salary: RawPosting['salary']): RawPosting {
  return rawPosting({
    externalId: id,
    title: 'Rust Engineer',
    company,
    tags: [],
    description: '<p>Rust services.</p>',
    salary,
    postedAt: '2025-06-01T12:00:00Z',
  });
}

const year = (min: number, max: number, currency: string) => ({ min, max, currency, interval: 'year' });

async function matchedCompanies() {
  const { rows } = await t.db.pool.query<{ company: string }>(
    `select p.company from matches m join postings p on p.id = m.posting_id order by 1`,
  );
  return rows.map((r) => r.company);
}

beforeAll(async () => {
  t = await startTestApp({ clock, sourceKinds: [kind] });
  watchMessages(t);
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(`insert into sources (id, kind) values ('memory:a', 'memory')`);
  await t.say(lee, '/prefs set keywords=rust salary_min=100k currency=USD alerts=digest');
});
afterAll(async () => {
  await t?.stop();
});

describe('salary floors across currencies', () => {
  it('the bundled rates are the ones the migration seeds', async () => {
    const json = JSON.parse(await fs.readFile('src/db/currency-rates.json', 'utf8'));
    const { rows } = await t.db.pool.query<{ currency: string; perUsd: number; asOf: string }>(
      `select currency, per_usd as "perUsd", to_char(as_of, 'YYYY-MM-DD') as "asOf" from currency_rates`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.currency, r.perUsd]))).toEqual(json.rates);
    expect(new Set(rows.map((r) => r.asOf))).toEqual(new Set([json.date]));
  });

  it('a EUR posting is compared with a USD floor at the known rate; the card keeps euros', async () => {
    // At 0.88 EUR per USD: €95k ≈ $108k passes a $100k floor, €85k ≈ $97k and £70k ≈ $95k do not.
    boards.set('memory:a', [
      job('e95', 'Euro95', year(90000, 95000, 'EUR')),
      job('e85', 'Euro85', year(80000, 85000, 'EUR')),
      job('g70', 'Pound70', year(65000, 70000, 'GBP')),
      job('u99', 'Dollar99', year(90000, 99000, 'USD')),
    ]);
    await fetchAll(t);
    expect(await matchedCompanies()).toEqual(['Euro95']);
    const jobs = (await t.say(lee, '/jobs')).reply;
    expect(jobs.cards?.[0]?.salary).toBe('€90k–95k / year');
    expect(jobs.cards?.[0]?.reasons).toContain('pays €90k–€95k/yr (≈ $102k–$108k), at or above your $100k');
  });

  it('jobping rates set changes the rates the next match compares with', async () => {
    const out: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => out.push(l),
      env: { DATABASE_URL: t.db.url, LOG_LEVEL: 'silent' },
    };
    expect(await runCli(['rates', 'set', 'EUR=1.0', 'usd=2'], io)).toBe(2);
    expect(out.join('\n')).toMatch(/nothing was changed: usd=2: USD is the base/);
    out.length = 0;
    expect(await runCli(['rates', 'set', 'EUR=0.80'], io)).toBe(0);
    expect(out).toContain(`EUR  0.8        as of ${new Date().toISOString().slice(0, 10)}`);
    // At 0.80 EUR per USD, €85k is $106k: it passes now, the new posting and the one left out before.
    boards.set('memory:a', [
      ...(boards.get('memory:a') as RawPosting[]),
      job('e85b', 'Euro85b', year(80000, 85000, 'EUR')),
    ]);
    await fetchAll(t);
    expect(await matchedCompanies()).toEqual(['Euro85', 'Euro85b', 'Euro95']);
  });
});
