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

/**
 * The (user, posting) pairs that pass the hard filters, lean: what depends on the pair only. What
 * depends on the user or on the posting alone is read once each (`userTraits`, `postingTraits`)
 * rather than repeated on every pair, which at 50,000 users is most of the bytes.
 *
 * Each keyword row carries what the user's filters need and each term row what the posting
 * offers, so the filters run on the keyword join's output and only the pairs that pass are
 * grouped. Joining users and postings again for the filters would let the planner try every
 * (user, posting) pair first: its estimates for these filters make that look cheap, and at 10,000
 * users it made the query five times slower.
 */
const PAIRS_SQL = `
with batch as (
  select p.id, lower(p.company) as company_lc, lower(coalesce(p.location, '')) as location_lc,
         case when p.remote <> 'unknown' then p.remote else coalesce(a.remote_policy, 'unknown') end as remote,
         a.seniority, a.salary_annual_min, a.salary_annual_max, a.salary_currency, a.terms, a.strong_terms,
         rp.per_usd
  from postings p join analyses a on a.content_hash = p.content_hash
  left join currency_rates rp on rp.currency = a.salary_currency
  where p.id = any($1::bigint[]) and p.canonical_id is null and p.closed_at is null and a.status = 'succeeded'
),
-- Salaries meet floors in the user's currency via USD rates: each side gets its rate here.
prefs as (
  select pr.user_id, pr.keywords, pr.excluded_words, pr.remote as remote_pref, pr.salary_min,
         pr.salary_currency as user_currency, ru.per_usd as user_per_usd, pr.seniority as seniority_pref,
         pr.blocked_companies, cardinality(pr.locations) > 0 as has_locations,
         array(select '%' || l || '%' from unnest(pr.locations) l) as location_patterns,
         array(select bc || ' %' from unnest(pr.blocked_companies) bc) as blocked_patterns
  from preferences pr join users u on u.id = pr.user_id
  left join currency_rates ru on ru.currency = pr.salary_currency
  where u.status = 'active' and ($2::bigint[] is null or pr.user_id = any($2::bigint[]))
),
batch_terms as (select b.*, t.term from batch b cross join lateral unnest(b.terms) as t(term)),
user_keywords as (
  select pr.*, k.kw, split_part(k.kw, ' ', 1) as first_word
  from prefs pr cross join lateral unnest(pr.keywords) as k(kw)
),
-- One row per (user, posting, keyword hit). A keyword is one term, or several words ("data
-- platform") that must all be terms of the posting. Users without keywords take every posting.
hit_rows as (
  select uk.*, bt.id as posting_id, bt.company_lc, bt.location_lc, bt.remote, bt.seniority,
         bt.salary_annual_min, bt.salary_annual_max, bt.salary_currency, bt.strong_terms, bt.per_usd
  from user_keywords uk join batch_terms bt on bt.term = uk.kw
  union all
  select uk.*, bt.id, bt.company_lc, bt.location_lc, bt.remote, bt.seniority,
         bt.salary_annual_min, bt.salary_annual_max, bt.salary_currency, bt.strong_terms, bt.per_usd
  from user_keywords uk join batch_terms bt on bt.term = uk.first_word
  where uk.kw like '% %' and string_to_array(uk.kw, ' ') <@ bt.terms
  union all
  select pr.*, null, null, b.id, b.company_lc, b.location_lc, b.remote, b.seniority,
         b.salary_annual_min, b.salary_annual_max, b.salary_currency, b.strong_terms, b.per_usd
  from prefs pr cross join batch b where cardinality(pr.keywords) = 0
)
select h.user_id as "userId", h.posting_id as "postingId",
       coalesce(array_agg(distinct h.kw) filter (where h.kw is not null), '{}') as hits,
       coalesce(array_agg(distinct h.kw) filter (where string_to_array(h.kw, ' ') <@ h.strong_terms), '{}')
         as "strongHits",
       -- Every row of a group is the same user and posting: min() is just that value.
       case when min(h.salary_currency) is null or min(h.salary_currency) = min(h.user_currency)
              or min(h.per_usd) is null or min(h.user_per_usd) is null then null
         else json_build_object(
           'min', round(min(h.salary_annual_min) / min(h.per_usd) * min(h.user_per_usd)),
           'max', round(min(h.salary_annual_max) / min(h.per_usd) * min(h.user_per_usd)),
           'currency', min(h.user_currency))
       end as "convertedSalary"
from hit_rows h
where case h.remote_pref
        when 'any' then true
        when 'remote' then h.remote = 'remote'
        when 'hybrid' then h.remote = 'hybrid'
        when 'onsite' then h.remote = 'onsite'
        when 'remote_or_hybrid' then h.remote in ('remote', 'hybrid')
      end
  and (not h.has_locations or h.remote = 'remote' or h.location_lc like any(h.location_patterns))
  -- The floor is compared in the user's currency; a currency without a known rate is not compared.
  and (h.salary_min is null or h.salary_currency is null
       or case when h.salary_currency = h.user_currency
                 then coalesce(h.salary_annual_max, h.salary_annual_min) >= h.salary_min
               when h.per_usd is null or h.user_per_usd is null then true
               else coalesce(h.salary_annual_max, h.salary_annual_min) / h.per_usd * h.user_per_usd >= h.salary_min
          end)
  and not (h.company_lc = any(h.blocked_companies) or h.company_lc like any(h.blocked_patterns))
  and (cardinality(h.seniority_pref) = 0 or h.seniority is null or h.seniority = any(h.seniority_pref))
  -- An excluded word, or every word of an excluded phrase, among the title, tags and skills.
  and not exists (select 1 from unnest(h.excluded_words) e(w)
                  where split_part(e.w, ' ', 1) = any(h.strong_terms) and string_to_array(e.w, ' ') <@ h.strong_terms)
group by h.user_id, h.posting_id
`;

type Pair = Pick<Candidate, 'userId' | 'postingId' | 'hits' | 'strongHits' | 'convertedSalary'>;
type UserTraits = Pick<
  Candidate,
  'keywords' | 'remotePreference' | 'salaryMin' | 'salaryCurrency' | 'seniorityPreference' | 'locations'
>;
type PostingTraits = Pick<
  Candidate,
  | 'postingRemote'
  | 'postingSalary'
  | 'postingSeniority'
  | 'postedAt'
  | 'company'
  | 'postingLocation'
  | 'skills'
>;

async function userTraits(db: Db, userIds: number[]): Promise<Map<number, UserTraits>> {
  const { rows } = await db.query<UserTraits & { userId: number }>(
    `select user_id as "userId", keywords, remote as "remotePreference", salary_min as "salaryMin",
            salary_currency as "salaryCurrency", seniority as "seniorityPreference", locations
     from preferences where user_id = any($1::bigint[])`,
    [userIds],
  );
  return new Map(rows.map(({ userId, ...traits }) => [userId, traits]));
}

async function postingTraits(db: Db, postingIds: number[]): Promise<Map<number, PostingTraits>> {
  const { rows } = await db.query<PostingTraits & { id: number }>(
    `select p.id, p.company, p.location as "postingLocation", p.posted_at as "postedAt", a.skills,
            case when p.remote <> 'unknown' then p.remote else coalesce(a.remote_policy, 'unknown') end
              as "postingRemote",
            a.seniority as "postingSeniority",
            case when a.salary_currency is null then null else json_build_object('min', a.salary_annual_min,
              'max', a.salary_annual_max, 'currency', a.salary_currency) end as "postingSalary"
     from postings p join analyses a on a.content_hash = p.content_hash
     where p.id = any($1::bigint[])`,
    [postingIds],
  );
  return new Map(rows.map(({ id, ...traits }) => [id, traits]));
}

/** Every active user, ascending: the match stage takes them in slices. */
export async function activeUserIds(db: Db): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `select pr.user_id as id from preferences pr join users u on u.id = pr.user_id
     where u.status = 'active' order by pr.user_id`,
  );
  return rows.map((r) => r.id);
}

/**
 * Every (user, posting) pair that passes the user's hard filters. `userIds` null: all users.
 * Three queries, whatever the numbers of users and postings.
 */
export async function findCandidates(
  db: Db,
  postingIds: number[],
  userIds: number[] | null = null,
): Promise<Candidate[]> {
  const { rows: pairs } = await db.query<Pair>(PAIRS_SQL, [postingIds, userIds]);
  if (pairs.length === 0) return [];
  const users = await userTraits(db, [...new Set(pairs.map((p) => p.userId))]);
  const postings = await postingTraits(db, [...new Set(pairs.map((p) => p.postingId))]);
  const candidates: Candidate[] = [];
  for (const pair of pairs) {
    const user = users.get(pair.userId);
    const posting = postings.get(pair.postingId);
    // Gone between the queries (a user deleted meanwhile): nothing to match.
    if (user && posting) candidates.push({ ...pair, ...user, ...posting });
  }
  return candidates;
}

export interface PrefilterPosting {
  terms: string[];
  strongTerms: string[];
  company: string;
  location: string | null;
  remote: RemoteMode;
  salary: AnnualSalary | null;
  /**
   * Title, company and location are guesses the analysis may replace (a free-text posting): the
   * filters on them (keywords and excluded words, blocked companies, places) cannot rule it out yet.
   */
  guessed: boolean;
}

/**
 * Before paying for a model call: could any active user's hard filters accept this posting, from
 * what is known without analysis? Unknowns (remote, salary, a free-text posting's title, company
 * and place) pass, so this never skips a posting that analysis could have made acceptable.
 */
export async function anyUserCouldAccept(db: Db, p: PrefilterPosting): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `select exists (
       select 1 from preferences pr join users u on u.id = pr.user_id
       where u.status = 'active'
         and ($8 or cardinality(pr.keywords) = 0
              or exists (select 1 from unnest(pr.keywords) k where string_to_array(k, ' ') <@ $1::text[]))
         and ($8 or not exists (select 1 from unnest(pr.excluded_words) e where string_to_array(e, ' ') <@ $2::text[]))
         and ($5 = 'unknown' or case pr.remote when 'any' then true when 'remote' then $5 = 'remote'
              when 'hybrid' then $5 = 'hybrid' when 'onsite' then $5 = 'onsite'
              when 'remote_or_hybrid' then $5 in ('remote', 'hybrid') end)
         and ($8 or cardinality(pr.locations) = 0 or $5 in ('remote', 'unknown')
              or exists (select 1 from unnest(pr.locations) l where lower(coalesce($4, '')) like '%' || l || '%'))
         and coalesce($6::numeric * case when $7 = pr.salary_currency then 1
                 else (select ru.per_usd / rp.per_usd from currency_rates rp, currency_rates ru
                       where rp.currency = $7 and ru.currency = pr.salary_currency) end >= pr.salary_min, true)
         and ($8 or not exists (select 1 from unnest(pr.blocked_companies) bc
                                where lower($3) = bc or lower($3) like bc || ' %'))
     ) as ok`,
    [
      p.terms,
      p.strongTerms,
      p.company,
      p.location,
      p.remote,
      p.salary ? (p.salary.max ?? p.salary.min) : null,
      p.salary?.currency ?? null,
      p.guessed,
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
  const { rows } = await db.query<{ id: number; userId: number; postingId: number; score: number }>(
    // Refreshed rows are not sent back: a re-fetch refreshes many and creates few.
    `with stored as (
       insert into matches (user_id, posting_id, score, reasons)
       select u, p, s, r::jsonb from unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[]) as t(u, p, s, r)
       on conflict (user_id, posting_id) do update set score = excluded.score, reasons = excluded.reasons,
         updated_at = now()
       where matches.status = 'new'
       returning id, user_id, posting_id, score, (xmax = 0) as inserted
     )
     select id, user_id as "userId", posting_id as "postingId", score from stored where inserted`,
    [
      pairs.map((p) => p.userId),
      pairs.map((p) => p.postingId),
      pairs.map((p) => p.score),
      pairs.map((p) => JSON.stringify(p.reasons)),
    ],
  );
  return rows;
}

export async function markPostingsMatched(db: Db, postingIds: number[]): Promise<void> {
  await db.query('update postings set matched_hash = content_hash where id = any($1)', [postingIds]);
}
