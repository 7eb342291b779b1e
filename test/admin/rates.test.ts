import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, problemOf, startAdminTestApp } from '../helpers/admin.ts';

/** Operators keep the currency rates current through the API, with the CLI's rules. */

let t: AdminTestApp;
beforeAll(async () => {
  t = await startAdminTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('GET/PUT /api/rates', () => {
  it('lists the bundled rates with their date, and sets new ones', async () => {
    const list = await t.api('GET', '/api/rates');
    expect(list.statusCode).toBe(200);
    const eur = list.json().items.find((r: { currency: string }) => r.currency === 'EUR');
    expect(eur).toMatchObject({ currency: 'EUR', asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    const res = await t.api('PUT', '/api/rates', {
      body: { rates: { EUR: 0.9, NZD: 1.7 }, asOf: '2026-11-28' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(
      expect.arrayContaining([
        { currency: 'EUR', perUsd: 0.9, asOf: '2026-11-28' },
        { currency: 'NZD', perUsd: 1.7, asOf: '2026-11-28' },
      ]),
    );
  });

  it('refuses bad rates, naming each, and changes nothing', async () => {
    const before = (await t.api('GET', '/api/rates')).json();
    const res = await t.api('PUT', '/api/rates', { body: { rates: { EUR: -1, USD: 2, EURO: 1 } } });
    const problem = problemOf(res, 400);
    expect(problem.detail).toMatch(/EUR=-1: expected a positive number/);
    expect(problem.detail).toMatch(/USD is the base/);
    expect(problem.detail).toMatch(/EURO=1: expected a 3-letter currency code/);
    expect((await t.api('GET', '/api/rates')).json()).toEqual(before);
    expect((await t.api('PUT', '/api/rates', { body: { rates: {} } })).statusCode).toBe(400);
    expect(
      (await t.api('PUT', '/api/rates', { body: { rates: { EUR: 0.9 } }, token: null })).statusCode,
    ).toBe(401);
  });

  it('refuses a body over 64 KiB with 413, as a problem, and changes nothing', async () => {
    const before = (await t.api('GET', '/api/rates')).json();
    const rates = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`C${i}`, 1.5]));
    const res = await t.api('PUT', '/api/rates', { body: { rates } });
    expect(problemOf(res, 413).title).toBe('Content Too Large');
    expect((await t.api('GET', '/api/rates')).json()).toEqual(before);
  });
});
