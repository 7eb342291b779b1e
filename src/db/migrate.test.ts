import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmptyDatabase, type TestDatabase, testLogger } from '../../test/helpers/db.ts';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from './migrate.ts';
import { createPool } from './pool.ts';

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

async function copyMigrations(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-mig-'));
  for (const f of await fs.readdir(MIGRATIONS_DIR))
    await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  return dir;
}

describe('migrations', () => {
  it('apply every file once; a second run is a no-op', async () => {
    db = await createEmptyDatabase();
    const files = await readMigrations();
    const first = await migrate(db.pool, testLogger);
    expect(first.applied).toEqual(files.map((m) => m.version));
    const second = await migrate(db.pool, testLogger);
    expect(second.applied).toEqual([]);
    const { rows } = await db.pool.query('select count(*)::int as n from schema_migrations');
    expect(rows[0].n).toBe(files.length);
  });

  it('two processes migrating at once both succeed and each file is applied once', async () => {
    db = await createEmptyDatabase();
    const other = createPool(db.url, testLogger);
    try {
      const [a, b] = await Promise.all([migrate(db.pool, testLogger), migrate(other, testLogger)]);
      const files = await readMigrations();
      expect([...a.applied, ...b.applied].sort((x, y) => x - y)).toEqual(files.map((m) => m.version));
      const { rows } = await db.pool.query(
        'select version, count(*)::int as n from schema_migrations group by version',
      );
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await other.end();
    }
  });

  it('refuses to run when an applied migration file was edited', async () => {
    db = await createEmptyDatabase();
    const dir = await copyMigrations();
    await migrate(db.pool, testLogger, { dir });
    await fs.appendFile(path.join(dir, '0001_init.sql'), '\n-- edited later\n');
    await expect(migrate(db.pool, testLogger, { dir })).rejects.toThrow(
      /0001_init\.sql was edited after it was applied/,
    );
    await expect(migrate(db.pool, testLogger, { dir })).rejects.toBeInstanceOf(MigrationError);
  });

  it('rolls a failing migration back entirely and applies the next run cleanly once fixed', async () => {
    db = await createEmptyDatabase();
    const dir = await copyMigrations();
    const bad = path.join(dir, '9999_broken.sql');
    await fs.writeFile(bad, 'create table half_done (id int);\nselect * from no_such_table;\n');
    await expect(migrate(db.pool, testLogger, { dir })).rejects.toThrow(/9999_broken failed/);
    const { rows } = await db.pool.query(`select to_regclass('half_done') as t`);
    expect(rows[0].t).toBeNull();
    await fs.writeFile(bad, 'create table half_done (id int);\n');
    expect((await migrate(db.pool, testLogger, { dir })).applied).toEqual([9999]);
  });

  it('the schema enforces its invariants', async () => {
    db = await createEmptyDatabase();
    await migrate(db.pool, testLogger);
    const q = (sql: string) => db!.pool.query(sql);
    await q(`insert into users (display_name) values ('a')`);
    await expect(q(`insert into users (status) values ('zombie')`)).rejects.toThrow(/check constraint/);
    await q(`insert into postings (source_id, external_id, dedup_key, title, company, url, content_hash)
             values ('sample', 'x1', 'k', 't', 'c', 'https://x', 'h')`);
    await expect(
      q(`insert into postings (source_id, external_id, dedup_key, title, company, url, content_hash)
         values ('sample', 'x1', 'k', 't', 'c', 'https://x', 'h')`),
    ).rejects.toThrow(/duplicate key/);
    await q(
      `insert into matches (user_id, posting_id, score) select u.id, p.id, 80 from users u, postings p`,
    );
    await expect(
      q(`insert into matches (user_id, posting_id, score) select u.id, p.id, 80 from users u, postings p`),
    ).rejects.toThrow(/duplicate key/);
    await expect(q(`update matches set score = 101`)).rejects.toThrow(/check constraint/);
    await q(`insert into deliveries (match_id, platform) select id, 'telegram' from matches`);
    await expect(
      q(`insert into deliveries (match_id, platform) select id, 'telegram' from matches`),
    ).rejects.toThrow(/duplicate key/);
    await q('delete from users');
    const { rows } = await q(
      'select (select count(*) from matches) as m, (select count(*) from deliveries) as d',
    );
    expect(rows[0]).toEqual({ m: 0, d: 0 });
  });
});
