import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay, safeUrl } from './http.ts';

const settings = { userAgent: 'x', timeoutMs: 1000, retries: 3, backoffMs: 500, maxRetryAfterMs: 60_000 };
const now = new Date('2026-11-28T12:00:00Z');

describe('Retry-After', () => {
  it('is read as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('is honoured up to a bound; without one the back-off doubles', () => {
    expect(retryDelay(429, '2', 0, settings, now, 'Board')).toBe(2000);
    expect(retryDelay(503, null, 0, settings, now, 'Board')).toBe(500);
    expect(retryDelay(503, null, 2, settings, now, 'Board')).toBe(2000);
    expect(() => retryDelay(429, '600', 0, settings, now, 'Board')).toThrow(
      'Board: HTTP 429; asked to wait 600 s before retrying',
    );
  });
});

it('board URLs lose their query (API keys) before they reach a message', () => {
  expect(safeUrl('https://api.adzuna.com/v1/api/jobs/gb/search/1?app_id=a&app_key=secret')).toBe(
    'https://api.adzuna.com/v1/api/jobs/gb/search/1',
  );
});
