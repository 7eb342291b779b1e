import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, startAdminTestApp } from '../helpers/admin.ts';

/** Behind a reverse proxy every request comes from the proxy's address; the client's is forwarded. */

let t: AdminTestApp;
beforeAll(async () => {
  t = await startAdminTestApp({ env: { TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  await t?.stop();
});

describe('admin API behind a proxy (TRUST_PROXY=true)', () => {
  it('locks out the guessing client, not everyone behind the same proxy', async () => {
    const proxy = '10.0.0.2';
    const guesser = { 'x-forwarded-for': '198.51.100.23' };
    for (let i = 0; i < 10; i++) {
      const res = await t.api('GET', '/api/stats', {
        token: `guess-${i}`,
        remoteAddress: proxy,
        headers: guesser,
      });
      expect(res.statusCode).toBe(401);
    }
    expect((await t.api('GET', '/api/stats', { remoteAddress: proxy, headers: guesser })).statusCode).toBe(
      429,
    );
    const operator = { 'x-forwarded-for': '198.51.100.99' };
    expect((await t.api('GET', '/api/stats', { remoteAddress: proxy, headers: operator })).statusCode).toBe(
      200,
    );
  });
});
