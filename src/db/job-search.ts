import type { RemoteMode, Salary, Seniority } from '../core/types.ts';
import type { Db } from './pool.ts';

/**
 * Postings as operators browse them: full-text search (the generated `search` column of
 * migration 0003), filters, keyset pagination on (sort key, id), and one posting in detail.
 */

export const JOB_SORTS = ['newest', 'oldest', 'salary', 'relevance'] as const;
export type JobSort = (typeof JOB_SORTS)[number];

export interface JobFilters {
  /** Web-search syntax: words, "quoted phrases", OR, -excluded. */
  q?: string | undefined;
  sources?: string[] | undefined;
  /** Case-insensitive substring of the company name. */
  company?: string | undefined;
  remote?: RemoteMode[] | undefined;
  /** Yearly salary floor: the posting's (annualised) top of range reaches it. */
  salaryMin?: number | undefined;
  currency?: string | undefined;
  postedSince?: Date | undefined;
  /** true: analysis succeeded; false: not (yet) analysed, skipped or failed. */
  analysed?: boolean | undefined;
  /** Also list cross-source duplicates and reposts (hidden by default: they are never matched). */
  includeDuplicates?: boolean | undefined;
}

/** Where the previous page stopped: its last row's sort key (as PostgreSQL printed it) and id. */
export interface JobCursor {
  key: string;
  id: number;
}

export interface JobAnalysis {
  status: 'pending' | 'succeeded' | 'failed' | 'skipped';
  analyzer: 'openai' | 'heuristic' | null;
  model: string | null;
  seniority: Seniority | null;
  skills: string[];
  remotePolicy: RemoteMode | null;
  salaryAnnual: { min: number | null; max: number | null; currency: string } | null;
  visaSponsorship: boolean | null;
  relocation: boolean | null;
  summary: string | null;
  error: string | null;
}

export interface JobListItem {
  id: number;
  sourceId: string;
  externalId: string;
  canonicalId: number | null;
  title: string;
  company: string;
  location: string | null;
  remote: RemoteMode;
  salary: Salary | null;
  postedAt: Date | null;
  url: string;
  tags: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  closedAt: Date | null;
  analysis: JobAnalysis | null;
  sortKey: string;
}

const ANNUAL_SALARY = `coalesce(a.salary_annual_max, a.salary_annual_min,
  case when p.salary_interval = 'year' then coalesce(p.salary_max, p.salary_min) end)`;

/** Per sort: the key expression, its SQL type (to read a cursor back) and the direction. */
function sortOf(sort: JobSort, query: string): { key: string; type: string; desc: boolean } {
  switch (sort) {
    case 'newest':
    case 'oldest':
      return { key: 'coalesce(p.posted_at, p.first_seen_at)', type: 'timestamptz', desc: sort === 'newest' };
    case 'salary':
      return { key: `coalesce(${ANNUAL_SALARY}, -1)::float8`, type: 'float8', desc: true };
    case 'relevance':
      return { key: `ts_rank(p.search, ${query})::float8`, type: 'float8', desc: true };
  }
}

const analysisJson = `case when a.content_hash is null then null else json_build_object(
  'status', a.status, 'analyzer', a.analyzer, 'model', a.model, 'seniority', a.seniority, 'skills', a.skills,
  'remotePolicy', a.remote_policy,
  'salaryAnnual', case when a.salary_currency is null then null else json_build_object(
    'min', a.salary_annual_min, 'max', a.salary_annual_max, 'currency', a.salary_currency) end,
  'visaSponsorship', a.visa_sponsorship, 'relocation', a.relocation, 'summary', a.summary, 'error', a.error) end`;

const itemColumns = `p.id, p.source_id as "sourceId", p.external_id as "externalId", p.canonical_id as "canonicalId",
  p.title, p.company, p.location, p.remote,
  case when p.salary_currency is null then null else json_build_object('min', p.salary_min, 'max', p.salary_max,
    'currency', p.salary_currency, 'interval', p.salary_interval) end as salary,
  p.posted_at as "postedAt", p.url, p.tags, p.first_seen_at as "firstSeenAt", p.last_seen_at as "lastSeenAt",
  p.closed_at as "closedAt", ${analysisJson} as analysis`;

const FROM = 'postings p left join analyses a on a.content_hash = p.content_hash';

function whereClauses(filters: JobFilters, params: unknown[], query: string): string[] {
  const where: string[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  if (filters.q) where.push(`p.search @@ ${query}`);
  if (!filters.includeDuplicates) where.push('p.canonical_id is null');
  if (filters.sources?.length) where.push(`p.source_id = any(${add(filters.sources)}::text[])`);
  if (filters.company) where.push(`p.company ilike '%' || ${add(escapeLike(filters.company))} || '%'`);
  if (filters.remote?.length)
    where.push(
      `(case when p.remote <> 'unknown' then p.remote else coalesce(a.remote_policy, 'unknown') end) = any(${add(filters.remote)}::text[])`,
    );
  if (filters.salaryMin !== undefined) where.push(`${ANNUAL_SALARY} >= ${add(filters.salaryMin)}`);
  if (filters.currency)
    where.push(`coalesce(a.salary_currency, p.salary_currency) = ${add(filters.currency)}`);
  if (filters.postedSince)
    where.push(`coalesce(p.posted_at, p.first_seen_at) >= ${add(filters.postedSince)}`);
  if (filters.analysed === true) where.push(`a.status = 'succeeded'`);
  if (filters.analysed === false) where.push(`a.status is distinct from 'succeeded'`);
  return where;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One page of postings, plus the cursor of the next page (null on the last one). */
export async function searchJobs(
  db: Db,
  filters: JobFilters,
  sort: JobSort,
  page: { limit: number; after?: JobCursor | undefined },
): Promise<{ items: Omit<JobListItem, 'sortKey'>[]; next: JobCursor | null }> {
  const params: unknown[] = [];
  // The search text is bound once; the filter and the relevance sort share its placeholder.
  const query = filters.q ? `websearch_to_tsquery('english', $${params.push(filters.q)})` : 'null::tsquery';
  const where = whereClauses(filters, params, query);
  const { key, type, desc } = sortOf(sort, query);
  if (page.after) {
    const k = `$${params.push(page.after.key)}::${type}`;
    const id = `$${params.push(page.after.id)}`;
    where.push(`(${key}, p.id) ${desc ? '<' : '>'} (${k}, ${id})`);
  }
  const dir = desc ? 'desc' : 'asc';
  // The page is chosen on ids and keys alone; only its rows are then built into JSON, instead of
  // every matching row before the sort.
  const { rows } = await db.query<JobListItem>(
    `with page as (
       select p.id, ${key} as key from ${FROM}
       ${where.length ? `where ${where.join(' and ')}` : ''}
       order by ${key} ${dir}, p.id ${dir}
       limit $${params.push(page.limit + 1)})
     select ${itemColumns}, page.key::text as "sortKey"
     from page join postings p on p.id = page.id left join analyses a on a.content_hash = p.content_hash
     order by page.key ${dir}, p.id ${dir}`,
    params,
  );
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ sortKey: _, ...item }) => item),
    next: more && last ? { key: last.sortKey, id: last.id } : null,
  };
}

export interface JobDetail extends Omit<JobListItem, 'sortKey'> {
  description: string;
  contentHash: string;
  duplicateIds: number[];
  matches: { total: number; byStatus: Record<'new' | 'saved' | 'dismissed' | 'applied', number> };
  fetchHistory: {
    runId: number;
    requestId: number;
    sourceId: string;
    trigger: 'chat' | 'schedule' | 'api' | 'cli';
    status: 'queued' | 'running' | 'succeeded' | 'failed';
    createdAt: Date;
    finishedAt: Date | null;
  }[];
}

/** One posting with its analysis, how many users it matched, and the runs that brought it in. */
export async function getJobDetail(db: Db, id: number): Promise<JobDetail | null> {
  const { rows } = await db.query<Omit<JobDetail, 'matches' | 'fetchHistory'>>(
    `select ${itemColumns}, p.description, p.content_hash as "contentHash",
       coalesce((select json_agg(d.id order by d.id) from postings d where d.canonical_id = p.id), '[]')
         as "duplicateIds"
     from ${FROM} where p.id = $1`,
    [id],
  );
  const posting = rows[0];
  if (!posting) return null;
  const counts = await db.query<{ status: keyof JobDetail['matches']['byStatus']; n: number }>(
    'select status, count(*)::int as n from matches where posting_id = $1 group by status',
    [id],
  );
  const byStatus = { new: 0, saved: 0, dismissed: 0, applied: 0 };
  for (const r of counts.rows) byStatus[r.status] = r.n;
  const history = await db.query<JobDetail['fetchHistory'][number]>(
    `select r.id as "runId", r.request_id as "requestId", r.source_id as "sourceId", q.trigger, r.status,
            r.created_at as "createdAt", r.finished_at as "finishedAt"
     from run_postings rp join fetch_runs r on r.id = rp.run_id join fetch_requests q on q.id = r.request_id
     where rp.posting_id = $1 order by r.id desc limit 100`,
    [id],
  );
  return {
    ...posting,
    matches: { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
    fetchHistory: history.rows,
  };
}
