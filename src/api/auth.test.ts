import { describe, expect, it } from 'vitest';
import { createFailureLimiter, tokenMatches } from './auth.ts';

describe('admin auth', () => {
  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches('the-right-token-123', 'the-right-token-123')).toBe(true);
    expect(tokenMatches('the-right-token-123', 'the-right-token-124')).toBe(false);
    expect(tokenMatches('the-right-token-123', 'short')).toBe(false);
    expect(tokenMatches('the-right-token-123', '')).toBe(false);
  });

  it('locks an address out after too many failures, until the window has passed', () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const limiter = createFailureLimiter({ now: () => new Date(now) }, { max: 3, windowMs: 60_000 });
    const locks = [];
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('198.51.100.1')).toBe(0);
      locks.push(limiter.recordFailure('198.51.100.1'));
    }
    // The third failure is the one that locks (and is logged once).
    expect(locks).toEqual([false, false, true]);
    expect(limiter.retryAfter('198.51.100.1')).toBe(60);
    expect(limiter.retryAfter('198.51.100.2')).toBe(0);
    now += 45_000;
    expect(limiter.retryAfter('198.51.100.1')).toBe(15);
    now += 15_000;
    expect(limiter.retryAfter('198.51.100.1')).toBe(0);
    limiter.recordFailure('198.51.100.1');
    expect(limiter.retryAfter('198.51.100.1')).toBe(0);
  });
});
