import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** `jobping sources …`: rows an operator adds, checked by each kind's config schema. */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function jobping(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('jobping sources', () => {
  it('adds sources with the target in their config, and refuses bad ones clearly', async () => {
    expect(await jobping('sources', 'add', 'greenhouse:stripe')).toMatchObject({
      code: 0,
      out: 'Added greenhouse:stripe (greenhouse) with config {"board":"stripe"}.',
    });
    expect((await jobping('sources', 'add', 'lever:netflix', '--config', '{"region":"eu"}')).code).toBe(0);
    expect(
      (
        await jobping(
          'sources',
          'add',
          'careers:https://jobs.example.com/open',
          '--config',
          '{"render":true}',
        )
      ).code,
    ).toBe(0);
    const { rows } = await db.pool.query(
      `select id, kind, config from sources where id <> 'sample' order by id`,
    );
    expect(rows).toEqual([
      {
        id: 'careers:https://jobs.example.com/open',
        kind: 'careers',
        config: { render: true, url: 'https://jobs.example.com/open' },
      },
      { id: 'greenhouse:stripe', kind: 'greenhouse', config: { board: 'stripe' } },
      { id: 'lever:netflix', kind: 'lever', config: { region: 'eu', site: 'netflix' } },
    ]);

    const bad = await jobping('sources', 'add', 'lever:acme', '--config', '{"region":"mars"}');
    expect(bad).toMatchObject({
      code: 2,
      err: expect.stringContaining('lever:acme: invalid config: region:'),
    });
    expect((await jobping('sources', 'add', 'greenhouse:stripe')).err).toBe(
      'jobping sources add: source "greenhouse:stripe" already exists',
    );
    expect((await jobping('sources', 'add', 'monster:acme')).err).toMatch(
      /^jobping sources add: unknown source kind "monster" \(known: adzuna, arbeitnow, /,
    );
    expect((await jobping('sources', 'add', 'adzuna:gb')).err).toBe(
      'jobping sources add: adzuna:gb: Adzuna needs ADZUNA_APP_ID and ADZUNA_APP_KEY to be set',
    );
    expect((await jobping('sources', 'add', 'remoteok', '--config', '[1]')).err).toBe(
      'jobping sources add: --config must be a JSON object, like \'{"company":"Stripe"}\'',
    );
    const count = await db.pool.query(`select count(*)::int as n from sources`);
    expect(count.rows[0].n).toBe(4);
  });

  it('warns about search boards’ terms when adding one', async () => {
    const { code, err } = await jobping('sources', 'add', 'linkedin', '--config', '{"remoteOnly":true}');
    expect(code).toBe(0);
    expect(err).toMatch(
      /^Warning: Search boards \(LinkedIn, Indeed, Glassdoor\) forbid automated access in their terms/,
    );
  });

  it('lists, pauses, resumes and removes', async () => {
    await db.pool.query(
      `update sources set consecutive_failures = 3, paused_until = now() + interval '1 hour',
         pause_reason = 'paused after repeated failures; last error: Greenhouse: HTTP 500', warning = 'found 0 postings…'
       where id = 'greenhouse:stripe'`,
    );
    const list = await jobping('sources', 'list');
    expect(list.out).toMatch(
      /greenhouse:stripe {2}\[backing off until .+ \(3 failures\)\] {2}never run\n {2}⚠ found 0 postings…\n {2}paused after repeated failures; last error: Greenhouse: HTTP 500/,
    );
    expect((await jobping('sources', 'pause', 'lever:netflix')).out).toBe('Paused lever:netflix.');
    expect((await jobping('sources', 'list')).out).toContain('lever:netflix  [paused]');
    expect((await jobping('sources', 'resume', 'greenhouse:stripe')).out).toBe('Resumed greenhouse:stripe.');
    const { rows } = await db.pool.query(
      `select consecutive_failures, paused_until from sources where id = 'greenhouse:stripe'`,
    );
    expect(rows[0]).toEqual({ consecutive_failures: 0, paused_until: null });
    expect((await jobping('sources', 'remove', 'linkedin')).code).toBe(0);
    expect((await jobping('sources', 'remove', 'linkedin')).err).toBe(
      'jobping sources remove: no source "linkedin"',
    );
    expect((await jobping('sources')).code).toBe(2);
  });
});
