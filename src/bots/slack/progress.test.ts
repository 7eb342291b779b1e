import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RenderedMessage } from './blocks.ts';
import { RESPONSE_URL_POSTS, throttledProgress } from './progress.ts';

/** Progress of one `/jobs fetch` never spends more response_url posts than Slack allows. */

const render = (text: string): RenderedMessage => ({ text, blocks: [] });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('throttledProgress', () => {
  it('sends the first state at once, then the latest at most every interval, within the budget', async () => {
    const posted: string[] = [];
    const progress = throttledProgress(async (m) => void posted.push(m.text), render, {
      intervalMs: 1000,
      now: () => Date.now(),
      onError: (err) => {
        throw err;
      },
    });
    for (let i = 1; i <= 30; i++) {
      await progress.progress({ text: `step ${i}` });
      await vi.advanceTimersByTimeAsync(200);
    }
    await progress.finish(render('done'));
    expect(posted[0]).toBe('step 1');
    expect(posted.at(-1)).toBe('done');
    // The acknowledgement already showed the first message: one post stays in reserve.
    expect(posted.length).toBeLessThanOrEqual(RESPONSE_URL_POSTS - 1);
    // At t = 1 s the latest state was step 5 (given at t = 0.8 s), at t = 2 s step 10.
    expect(posted).toEqual(['step 1', 'step 5', 'step 10', 'done']);
  });

  it('a pending state is flushed after the interval, and nothing is sent after finish', async () => {
    const posted: string[] = [];
    const progress = throttledProgress(async (m) => void posted.push(m.text), render, {
      intervalMs: 1000,
      now: () => Date.now(),
      onError: () => {},
    });
    await progress.progress({ text: 'a' });
    await progress.progress({ text: 'b' });
    await progress.progress({ text: 'c' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(posted).toEqual(['a', 'c']);
    await progress.progress({ text: 'd' });
    await progress.finish(render('done'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(posted).toEqual(['a', 'c', 'done']);
  });
});
