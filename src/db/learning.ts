import type { HistoryItem } from '../core/learning.ts';
import type { Db } from './pool.ts';

/**
 * The Save / Dismiss history that scores learn from, for many users in one query: each user's
 * most recent presses since they last reset what was learned, with what the posting was (company,
 * place, skills, level, and its pay converted to the user's currency).
 */

const HISTORY_PER_USER = 300;

export async function loadHistory(db: Db, userIds: number[]): Promise<Map<number, HistoryItem[]>> {
  const history = new Map<number, HistoryItem[]>();
  if (userIds.length === 0) return history;
  const { rows } = await db.query<HistoryItem & { userId: number }>(
    `select x.user_id as "userId", h.*
     from unnest($1::bigint[]) as x(user_id)
     join preferences pr on pr.user_id = x.user_id
     cross join lateral (
       select m.status, m.dismiss_reason as reason, p.company, p.location, coalesce(a.skills, '{}') as skills,
              a.seniority,
              coalesce(a.salary_annual_max, a.salary_annual_min) * case when a.salary_currency = pr.salary_currency
                then 1 else (select ru.per_usd / rp.per_usd from currency_rates rp, currency_rates ru
                             where rp.currency = a.salary_currency and ru.currency = pr.salary_currency) end as pay
       from matches m
       join postings p on p.id = m.posting_id
       left join analyses a on a.content_hash = p.content_hash
       where m.user_id = x.user_id and m.status in ('saved', 'applied', 'dismissed') and m.acted_at is not null
         and (pr.learned_reset_at is null or m.acted_at > pr.learned_reset_at)
       order by m.acted_at desc
       limit ${HISTORY_PER_USER}
     ) h`,
    [[...new Set(userIds)]],
  );
  for (const { userId, ...item } of rows) history.set(userId, [...(history.get(userId) ?? []), item]);
  return history;
}

/** `/prefs reset learned`: history up to now stops adjusting scores; the matches stay as they are. */
export async function resetLearned(db: Db, userId: number, now: Date): Promise<void> {
  await db.query('update preferences set learned_reset_at = $2, updated_at = now() where user_id = $1', [
    userId,
    now,
  ]);
}
