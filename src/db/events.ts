import type { Platform } from '../core/types.ts';
import type { Db } from './pool.ts';

/**
 * Inbound events already handled. Platforms deliver the same event more than once (Slack retries
 * with X-Slack-Retry-Num, Telegram re-sends an update_id it thinks was lost, a Discord interaction
 * can be replayed): the first caller wins, every later one is told to do nothing.
 */
export async function firstDelivery(db: Db, platform: Platform, eventId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'insert into processed_events (platform, event_id) values ($1, $2) on conflict do nothing',
    [platform, eventId.slice(0, 300)],
  );
  return rowCount === 1;
}

/** Forgets events older than a week; they will not be retried any more. */
export async function pruneProcessedEvents(db: Db, olderThan: Date): Promise<number> {
  const { rowCount } = await db.query('delete from processed_events where created_at < $1', [olderThan]);
  return rowCount ?? 0;
}
