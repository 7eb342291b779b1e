/**
 * Spaces outgoing messages to stay within a platform's flood limits: at most `perSecond` a second
 * overall (one every 1000 / perSecond ms) and one every `chatIntervalMs` in one chat. A sender
 * waits for its turn instead of being refused with 429: when a burst of alerts hit Telegram's
 * limits unpaced, the refused sends all waited out the same retry_after and collided again, and
 * 2,000 alerts went out at a few a second instead of 30. Per process; the platform client's
 * retries still cover what several processes sending at once exceed.
 */

export interface PaceLimits {
  perSecond: number;
  chatIntervalMs: number;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Pacer {
  /** Resolves when a message to `chat` may go out; the turn is taken when this is called. */
  turn(chat: string): Promise<void>;
}

export function createPacer(limits: PaceLimits, clock: PacerClock = realClock): Pacer {
  const gap = 1000 / limits.perSecond;
  // Start times taken, ascending; those more than a gap in the past no longer matter.
  const taken: number[] = [];
  const nextInChat = new Map<string, number>();

  function earliest(from: number): number {
    let t = from;
    for (const at of taken) {
      if (at + gap <= t) continue;
      if (at - gap >= t) break;
      t = at + gap;
    }
    return t;
  }

  return {
    async turn(chat) {
      const now = clock.now();
      while (taken.length && taken[0]! + gap <= now) taken.shift();
      if (nextInChat.size > 10_000) {
        for (const [key, at] of nextInChat) if (at <= now) nextInChat.delete(key);
      }
      const t = earliest(Math.max(now, nextInChat.get(chat) ?? now));
      const after = taken.findIndex((at) => at > t);
      taken.splice(after < 0 ? taken.length : after, 0, t);
      nextInChat.set(chat, t + limits.chatIntervalMs);
      if (t > now) await clock.sleep(t - now);
    },
  };
}
