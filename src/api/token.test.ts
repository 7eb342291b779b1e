import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeAdmin, resolveAdminAuth } from './token.ts';

const dirs: string[] = [];
async function dataDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-token-'));
  dirs.push(dir);
  return path.join(dir, 'data');
}
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

const embedded = (dir: string) => ({ admin: { token: undefined }, db: { url: undefined, dataDir: dir } });

describe('the admin token', () => {
  it('ADMIN_TOKEN wins whenever it is set', async () => {
    const auth = await resolveAdminAuth({
      admin: { token: 'from-the-environment-123' },
      db: { url: 'postgres://db/x', dataDir: await dataDir() },
    });
    expect(auth).toEqual({ mode: 'token', token: 'from-the-environment-123', source: 'env' });
  });

  it('on the embedded database, is generated once, kept with mode 600, and the same at every start', async () => {
    const dir = await dataDir();
    const first = await resolveAdminAuth(embedded(dir));
    expect(first).toMatchObject({ mode: 'token', source: 'file' });
    const token = first.mode === 'token' ? first.token : '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const file = path.join(dir, 'admin-token');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await resolveAdminAuth(embedded(dir))).toEqual(first);
    // Restored from a backup with loose permissions: tightened again, same token.
    await fs.chmod(file, 0o644);
    expect(await resolveAdminAuth(embedded(dir))).toEqual(first);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await fs.readdir(dir)).toEqual(['admin-token']);
  });

  it('two processes starting at once agree on one token', async () => {
    const dir = await dataDir();
    const results = await Promise.all([1, 2, 3, 4].map(() => resolveAdminAuth(embedded(dir))));
    expect(new Set(results.map((r) => (r.mode === 'token' ? r.token : ''))).size).toBe(1);
  });

  it('with DATABASE_URL and no ADMIN_TOKEN, the admin API is off and nothing is written', async () => {
    const dir = await dataDir();
    const auth = await resolveAdminAuth({
      admin: { token: undefined },
      db: { url: 'postgres://db/x', dataDir: dir },
    });
    expect(auth).toEqual({ mode: 'disabled', reason: 'admin API disabled: set ADMIN_TOKEN' });
    await expect(fs.stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it('the start-up line says where the page is and which token opens it', () => {
    const url = 'http://localhost:8080';
    expect(describeAdmin(url, { mode: 'token', token: 'abc', source: 'file' }, '/data')).toBe(
      'http://localhost:8080/admin  (API http://localhost:8080/api, docs http://localhost:8080/api/docs)\n' +
        '             token abc  (kept in /data/admin-token)',
    );
    expect(describeAdmin(url, { mode: 'token', token: 'secret', source: 'env' }, '/data')).not.toContain(
      'secret',
    );
    expect(
      describeAdmin(url, { mode: 'disabled', reason: 'admin API disabled: set ADMIN_TOKEN' }, '/d'),
    ).toBe('off: admin API disabled: set ADMIN_TOKEN (health endpoints stay open)');
  });
});
