import type { Db } from './pool.ts';

/**
 * What the active users want searched for: their keyword lists, counted per distinct list, and
 * their places by how many users want each. One query whose answer is bounded whatever the number
 * of users; at 50,000 it costs about what listing the distinct keywords did.
 */

export interface SearchDemand {
  /** Users who want exactly these keywords, most common list first. */
  keywordGroups: { keywords: string[]; users: number }[];
  /** Places, the one most users want first. */
  locations: string[];
}

export interface DemandLimits {
  /**
   * Distinct keyword lists read. Past it the commonest are kept, and among lists equally common
   * an even sample (by hash, not alphabetically: that would bring back the bias this fixes).
   */
  groups: number;
  locations: number;
}

export async function searchDemand(db: Db, limits: DemandLimits): Promise<SearchDemand> {
  const { rows } = await db.query<SearchDemand>(
    `with active as materialized (
       select pr.keywords, pr.locations from preferences pr join users u on u.id = pr.user_id
       where u.status = 'active' and (pr.keywords <> '{}' or pr.locations <> '{}')),
     groups as (select keywords, count(*)::int as users from active where keywords <> '{}'
                group by keywords order by users desc, md5(keywords::text) limit $1),
     places as (select l, count(*) as users from active a, unnest(a.locations) l
                group by l order by users desc, l limit $2)
     select coalesce((select json_agg(json_build_object('keywords', keywords, 'users', users)) from groups), '[]')
              as "keywordGroups",
            array(select l from places order by users desc, l) as locations`,
    [limits.groups, limits.locations],
  );
  return rows[0] ?? { keywordGroups: [], locations: [] };
}
