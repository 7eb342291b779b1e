import type { ScoreInput } from '../core/scoring.ts';
import type { AnnualSalary, RemoteMode } from '../core/types.ts';
import type { Db } from './pool.ts';

/**
 * The matching queries. Hard filters run in SQL over a whole batch of postings and every user at
 * once; keyword filtering is an equi-join of user keywords with posting terms (hash join), so the
 * work grows with actual hits, never with postings × users round trips.
 */

/** A (user, posting) pair that passed the hard filters, with what scoring needs. */
export interface Candidate extends Omit<ScoreInput, 'now'> {
  userId: number;
  postingId: number;
  locations: string[];
  company: string;
  postingLocation: string | null;
  skills: string[];
}

const CANDIDATES_SQL = `
with batch as (
  select p.id, p.company, p.location, a.skills,
         lower(p.company) as company_lc, lower(coalesce(p.location, '')) as location_lc, p.posted_at,
         case when p.remote <> 'unknown' then p.remote else coalesce(a.remote_policy, 'unknown') end as remote,
         a.seniority, a.salary_annual_min, a.salary_annual_max, a.salary_currency, a.terms, a.strong_terms,
         rp.per_usd
  from postings p join analyses a on a.content_hash = p.content_hash
  left join currency_rates rp on rp.currency = a.salary_currency
  where p.id = any($1::bigint[]) and p.canonical_id is null and p.closed_at is null and a.status = 'succeeded'
),
-- Salaries meet floors in the user's currency via USD rates: each side gets its rate here, so the
-- pair query below only compares (a join there would change its plan for the worse).
prefs as (
  select pr.*, ru.per_usd as user_per_usd from preferences pr join users u on u.id = pr.user_id
  left join currency_rates ru on ru.currency = pr.salary_currency
  where u.status = 'active' and ($2::bigint[] is null or pr.user_id = any($2::bigint[]))
),
batch_terms as (select b.id as posting_id, t.term from batch b cross join lateral unnest(b.terms) as t(term)),
batch_strong as (select b.id as posting_id, t.term from batch b cross join lateral unnest(b.strong_terms) as t(term)),
user_keywords as (
  select pr.user_id, k.kw, split_part(k.kw, ' ', 1) as first_word
  from prefs pr cross join lateral unnest(pr.keywords) as k(kw)
),
-- A keyword is one term, or several words ("data platform") that must all be terms of the posting.
keyword_hits as (
  select user_id, posting_id, array_agg(distinct kw) as hits from (
    select uk.user_id, bt.posting_id, uk.kw from user_keywords uk join batch_terms bt on bt.term = uk.kw
    union all
    select uk.user_id, bt.posting_id, uk.kw from user_keywords uk
    join batch_terms bt on bt.term = uk.first_word
    join batch b on b.id = bt.posting_id
    where uk.kw like '% %' and string_to_array(uk.kw, ' ') <@ b.terms
  ) hits
  group by user_id, posting_id
),
excluded as (
  select distinct pr.user_id, bs.posting_id
  from prefs pr cross join lateral unnest(pr.excluded_words) as e(w)
  join batch_strong bs on bs.term = split_part(e.w, ' ', 1)
  join batch b on b.id = bs.posting_id
  where string_to_array(e.w, ' ') <@ b.strong_terms
),
candidates as (
  select user_id, posting_id, hits from keyword_hits
  union all
  select pr.user_id, b.id, '{}'::text[] from prefs pr cross join batch b where cardinality(pr.keywords) = 0
)
select c.user_id as "userId", c.posting_id as "postingId", pr.keywords, c.hits,
       array(select h from unnest(c.hits) h where string_to_array(h, ' ') <@ b.strong_terms) as "strongHits",
       pr.remote as "remotePreference", b.remote as "postingRemote",
       pr.salary_min as "salaryMin", pr.salary_currency as "salaryCurrency",
       case when b.salary_currency is null then null else json_build_object('min', b.salary_annual_min,
         'max', b.salary_annual_max, 'currency', b.salary_currency) end as "postingSalary",
       pr.seniority as "seniorityPreference", b.seniority as "postingSeniority", pr.locations,
       b.posted_at as "postedAt", b.company, b.location as "postingLocation", b.skills,
       case when b.salary_currency is null or b.salary_currency = pr.salary_currency or b.per_usd is null
              or pr.user_per_usd is null then null
         else json_build_object('min', round(b.salary_annual_min / b.per_usd * pr.user_per_usd),
           'max', round(b.salary_annual_max / b.per_usd * pr.user_per_usd), 'currency', pr.salary_currency)
       end as "convertedSalary"
from candidates c
join prefs pr on pr.user_id = c.user_id
join batch b on b.id = c.posting_id
where not exists (select 1 from excluded x where x.user_id = c.user_id and x.posting_id = c.posting_id)
  and case pr.remote
        when 'any' then true
        when 'remote' then b.remote = 'remote'
        when 'hybrid' then b.remote = 'hybrid'
        when 'onsite' then b.remote = 'onsite'
        when 'remote_or_hybrid' then b.remote in ('remote', 'hybrid')
      end
  and (cardinality(pr.locations) = 0 or b.remote = 'remote'
       or exists (select 1 from unnest(pr.locations) l where b.location_lc like '%' || l || '%'))
  -- The floor is compared in the user's currency; a currency without a known rate is not compared.
  and (pr.salary_min is null or b.salary_currency is null
       or case when b.salary_currency = pr.salary_currency
                 then coalesce(b.salary_annual_max, b.salary_annual_min) >= pr.salary_min
               when b.per_usd is null or pr.user_per_usd is null then true
               else coalesce(b.salary_annual_max, b.salary_annual_min) / b.per_usd * pr.user_per_usd >= pr.salary_min
          end)
  and not exists (select 1 from unnest(pr.blocked_companies) bc
                  where b.company_lc = bc or b.company_lc like bc || ' %')
  and (cardinality(pr.seniority) = 0 or b.seniority is null or b.seniority = any(pr.seniority))
`;

/** Every (user, posting) pair that passes the user's hard filters. `userIds` null: all users. */
export async function findCandidates(db: Db, postingIds: number[], userIds: number[] | null = null) {
  const { rows } = await db.query<Candidate>(CANDIDATES_SQL, [postingIds, userIds]);
  return rows;
}

export interface PrefilterPosting {
  terms: string[];
  strongTerms: string[];
  company: string;
  location: string | null;
  remote: RemoteMode;
  salary: AnnualSalary | null;
}

/**
 * Before paying for a model call: could any active user's hard filters accept this posting, from
 * what is known without analysis? Unknowns (remote, salary) pass, so this never skips a posting
 * that analysis could have made acceptable on those grounds.
 */
export async function anyUserCouldAccept(db: Db, p: PrefilterPosting): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `select exists (
       select 1 from preferences pr join users u on u.id = pr.user_id
       where u.status = 'active'
         and (cardinality(pr.keywords) = 0
              or exists (select 1 from unnest(pr.keywords) k where string_to_array(k, ' ') <@ $1::text[]))
         and not exists (select 1 from unnest(pr.excluded_words) e where string_to_array(e, ' ') <@ $2::text[])
         and ($5 = 'unknown' or case pr.remote when 'any' then true when 'remote' then $5 = 'remote'
              when 'hybrid' then $5 = 'hybrid' when 'onsite' then $5 = 'onsite'
              when 'remote_or_hybrid' then $5 in ('remote', 'hybrid') end)
         and (cardinality(pr.locations) = 0 or $5 in ('remote', 'unknown')
              or exists (select 1 from unnest(pr.locations) l where lower(coalesce($4, '')) like '%' || l || '%'))
         and coalesce($6::numeric * case when $7 = pr.salary_currency then 1
                 else (select ru.per_usd / rp.per_usd from currency_rates rp, currency_rates ru
                       where rp.currency = $7 and ru.currency = pr.salary_currency) end >= pr.salary_min, true)
         and not exists (select 1 from unnest(pr.blocked_companies) bc
                         where lower($3) = bc or lower($3) like bc || ' %')
     ) as ok`,
    [
      p.terms,
      p.strongTerms,
      p.company,
      p.location,
      p.remote,
      p.salary ? (p.salary.max ?? p.salary.min) : null,
      p.salary?.currency ?? null,
    ],
  );
  return rows[0]!.ok;
}

export interface ScoredPair {
  userId: number;
  postingId: number;
  score: number;
  reasons: string[];
}

/**
 * Inserts new matches; a match the user has not acted on yet gets its score refreshed (the posting
 * changed); saved, dismissed and applied ones are left alone, so a dismissed job never returns.
 * Returns only the rows that are new.
 */
export async function upsertMatches(
  db: Db,
  pairs: ScoredPair[],
): Promise<{ id: number; userId: number; postingId: number; score: number }[]> {
  if (pairs.length === 0) return [];
  const { rows } = await db.query<{
    id: number;
    userId: number;
    postingId: number;
    score: number;
    inserted: boolean;
  }>(
    `insert into matches (user_id, posting_id, score, reasons)
     select u, p, s, r::jsonb from unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[]) as t(u, p, s, r)
     on conflict (user_id, posting_id) do update set score = excluded.score, reasons = excluded.reasons,
       updated_at = now()
     where matches.status = 'new'
     returning id, user_id as "userId", posting_id as "postingId", score, (xmax = 0) as inserted`,
    [
      pairs.map((p) => p.userId),
      pairs.map((p) => p.postingId),
      pairs.map((p) => p.score),
      pairs.map((p) => JSON.stringify(p.reasons)),
    ],
  );
  return rows.filter((r) => r.inserted).map(({ inserted: _, ...r }) => r);
}

export async function markPostingsMatched(db: Db, postingIds: number[]): Promise<void> {
  await db.query('update postings set matched_hash = content_hash where id = any($1)', [postingIds]);
}
