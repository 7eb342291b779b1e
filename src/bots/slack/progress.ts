import type { Conversation } from '../handlers.ts';
import type { RenderedMessage } from './blocks.ts';

/**
 * `/jobs fetch` progress in one ephemeral message. Ephemeral messages can only be replaced through
 * the command's response_url, and Slack accepts at most 5 posts to one response_url in 30
 * minutes: the first answer went out with the acknowledgement, the final answer takes one post,
 * so at most PROGRESS_POSTS progress updates are sent, no closer together than `intervalMs`.
 * The latest state always wins; states in between may be skipped.
 */

export const RESPONSE_URL_POSTS = 5;
const PROGRESS_POSTS = RESPONSE_URL_POSTS - 2;

export type ReplaceMessage = (message: RenderedMessage) => Promise<void>;

export interface ThrottledProgress extends Conversation {
  /** Stops pending updates and sends the final message (one post). */
  finish(message: RenderedMessage): Promise<void>;
}

export function throttledProgress(
  replace: ReplaceMessage,
  render: (text: string) => RenderedMessage,
  options: { intervalMs: number; now?: () => number; onError: (err: unknown) => void },
): ThrottledProgress {
  const now = options.now ?? Date.now;
  let sent = 0;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let pending: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let inFlight: Promise<void> = Promise.resolve();

  const post = (text: string) => {
    sent++;
    lastSentAt = now();
    inFlight = inFlight.then(() => replace(render(text))).catch(options.onError);
    return inFlight;
  };
  const flush = () => {
    timer = undefined;
    if (finished || pending === null || sent >= PROGRESS_POSTS) return;
    const text = pending;
    pending = null;
    void post(text);
  };

  return {
    async progress(reply) {
      if (finished || sent >= PROGRESS_POSTS) return;
      pending = reply.text;
      const wait = lastSentAt + options.intervalMs - now();
      if (wait <= 0) flush();
      else timer ??= setTimeout(flush, wait);
    },
    async finish(message) {
      finished = true;
      clearTimeout(timer);
      await inFlight;
      await replace(message);
    },
  };
}
