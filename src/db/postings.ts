import type { NormalizedPosting, Posting, Salary } from '../core/types.ts';
import type { Db } from './pool.ts';

/** Postings: upserted by (source, external_id), folded across sources by dedup key. */

export interface UpsertOutcome {
  new: number;
  updated: number;
  unchangedCount: number;
  duplicates: number;
  /** Canonical postings whose content is new or changed: they go on to analysis. */
  changed: { postingId: number; contentHash: string }[];
  /** Canonical postings seen again unchanged (their analysis may have been skipped before). */
  unchanged: { postingId: number; contentHash: string }[];
  /** Canonical postings whose salary changed (for change messages to users who saved them). */
  salaryChanges: { postingId: number; from: Salary | null; to: Salary | null }[];
  /** New duplicates folded into an existing posting: the same job posted again, here or elsewhere. */
  reposts: { postingId: number; canonicalId: number; url: string }[];
}

interface ExistingRow {
  id: number;
  externalId: string;
  contentHash: string;
  canonicalId: number | null;
  salary: Salary | null;
}

const sameSalary = (a: Salary | null, b: Salary | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.min === b.min &&
    a.max === b.max &&
    a.currency === b.currency &&
    a.interval === b.interval);

function columns(p: NormalizedPosting[]) {
  return {
    externalId: p.map((x) => x.externalId),
    dedupKey: p.map((x) => x.dedupKey),
    title: p.map((x) => x.title),
    company: p.map((x) => x.company),
    location: p.map((x) => x.location),
    remote: p.map((x) => x.remote),
    salaryMin: p.map((x) => x.salary?.min ?? null),
    salaryMax: p.map((x) => x.salary?.max ?? null),
    salaryCurrency: p.map((x) => x.salary?.currency ?? null),
    salaryInterval: p.map((x) => x.salary?.interval ?? null),
    postedAt: p.map((x) => x.postedAt),
    url: p.map((x) => x.url),
    description: p.map((x) => x.description),
    tags: p.map((x) => JSON.stringify(x.tags)),
    contentHash: p.map((x) => x.contentHash),
    freeText: p.map((x) => x.freeText),
  };
}

const UNNEST = `unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[],
  $9::numeric[], $10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::text[], $15::text[], $16::text[],
  $17::bigint[], $18::boolean[])
  as t(external_id, dedup_key, title, company, location, remote, salary_min, salary_max, salary_currency,
       salary_interval, posted_at, url, description, tags, content_hash, canonical_id, free_text)`;

/** Inserts the rows of `params` (canonical ones, or duplicates pointing at their canonical). */
const INSERT = `insert into postings (source_id, external_id, dedup_key, title, company, location, remote, salary_min,
    salary_max, salary_currency, salary_interval, posted_at, url, description, tags, content_hash, canonical_id,
    free_text)
  select $1, external_id, dedup_key, title, company, location, remote, salary_min, salary_max, salary_currency,
         salary_interval, posted_at, url, description, array(select jsonb_array_elements_text(tags::jsonb)),
         content_hash, canonical_id, free_text
  from ${UNNEST}`;

function params(sourceId: string, p: NormalizedPosting[], canonical: (number | null)[]) {
  const c = columns(p);
  return [
    sourceId,
    c.externalId,
    c.dedupKey,
    c.title,
    c.company,
    c.location,
    c.remote,
    c.salaryMin,
    c.salaryMax,
    c.salaryCurrency,
    c.salaryInterval,
    c.postedAt,
    c.url,
    c.description,
    c.tags,
    c.contentHash,
    canonical,
    c.freeText,
  ];
}

/**
 * Stores one batch of a source's postings in a handful of set-based statements. A posting whose
 * dedup key already belongs to another posting (same job on another board, or a repost) is kept,
 * pointing at the first one, and is never analysed or matched on its own. The caller runs this
 * in a transaction.
 */
export async function upsertPostings(db: Db, sourceId: string, batch: NormalizedPosting[], runId: number) {
  const outcome: UpsertOutcome = {
    new: 0,
    updated: 0,
    unchangedCount: 0,
    duplicates: 0,
    changed: [],
    unchanged: [],
    salaryChanges: [],
    reposts: [],
  };
  // The same external id twice in one response: keep the last, as the board would show it.
  const unique = [...new Map(batch.map((p) => [p.externalId, p])).values()];
  if (unique.length === 0) return outcome;

  const existing = await db.query<ExistingRow>(
    `select id, external_id as "externalId", content_hash as "contentHash", canonical_id as "canonicalId",
       case when salary_currency is null then null else json_build_object('min', salary_min, 'max', salary_max,
         'currency', salary_currency, 'interval', salary_interval) end as salary
     from postings where source_id = $1 and external_id = any($2)`,
    [sourceId, unique.map((p) => p.externalId)],
  );
  const byExternalId = new Map(existing.rows.map((r) => [r.externalId, r]));
  const fresh = unique.filter((p) => !byExternalId.has(p.externalId));
  const changedRows = unique.filter((p) => {
    const row = byExternalId.get(p.externalId);
    return row !== undefined && row.contentHash !== p.contentHash;
  });
  const changedIds = new Set(changedRows.map((p) => p.externalId));
  for (const p of changedRows) {
    const row = byExternalId.get(p.externalId)!;
    if (row.canonicalId === null && !sameSalary(row.salary, p.salary))
      outcome.salaryChanges.push({ postingId: row.id, from: row.salary, to: p.salary });
  }
  const unchangedRows = unique
    .filter((p) => byExternalId.has(p.externalId) && !changedIds.has(p.externalId))
    .map((p) => byExternalId.get(p.externalId)!);
  const unchangedIds = unchangedRows.map((r) => r.id);
  outcome.unchanged = unchangedRows
    .filter((r) => r.canonicalId === null)
    .map((r) => ({ postingId: r.id, contentHash: r.contentHash }));

  if (fresh.length > 0) {
    // Two sources fetched at once may bring the same job: lock its dedup keys for this transaction
    // (in one order, so two batches never deadlock) so exactly one becomes canonical.
    await db.query(
      'select pg_advisory_xact_lock(hashtext(k)) from (select distinct unnest($1::text[]) as k order by 1) keys',
      [fresh.map((p) => p.dedupKey)],
    );
    // Canonical owners of the new postings' dedup keys, anywhere in the table.
    const owners = await db.query<{ dedupKey: string; id: number }>(
      `select distinct on (dedup_key) dedup_key as "dedupKey", id from postings
       where dedup_key = any($1) and canonical_id is null order by dedup_key, id`,
      [[...new Set(fresh.map((p) => p.dedupKey))]],
    );
    const ownerOf = new Map(owners.rows.map((r) => [r.dedupKey, r.id]));
    // First occurrence of a key in this batch becomes canonical; later ones are its duplicates.
    const seenKeys = new Set(ownerOf.keys());
    const firsts = fresh.filter((p) => !seenKeys.has(p.dedupKey) && seenKeys.add(p.dedupKey));
    const inserted = await db.query<{ id: number; dedupKey: string; contentHash: string }>(
      `${INSERT} returning id, dedup_key as "dedupKey", content_hash as "contentHash"`,
      params(
        sourceId,
        firsts,
        firsts.map(() => null),
      ),
    );
    for (const row of inserted.rows) {
      ownerOf.set(row.dedupKey, row.id);
      outcome.changed.push({ postingId: row.id, contentHash: row.contentHash });
    }
    outcome.new += inserted.rowCount ?? 0;

    const duplicates = fresh.filter((p) => !firsts.includes(p));
    if (duplicates.length > 0) {
      const folded = await db.query<{ id: number; canonicalId: number; url: string }>(
        `${INSERT} returning id, canonical_id as "canonicalId", url`,
        params(
          sourceId,
          duplicates,
          duplicates.map((p) => ownerOf.get(p.dedupKey)!),
        ),
      );
      outcome.reposts.push(
        ...folded.rows.map((r) => ({ postingId: r.id, canonicalId: r.canonicalId, url: r.url })),
      );
      outcome.duplicates += duplicates.length;
    }
  }

  if (changedRows.length > 0) {
    const updated = await db.query<{ id: number; contentHash: string; canonicalId: number | null }>(
      `update postings p set title = t.title, company = t.company, location = t.location, remote = t.remote,
         salary_min = t.salary_min, salary_max = t.salary_max, salary_currency = t.salary_currency,
         salary_interval = t.salary_interval, posted_at = coalesce(t.posted_at, p.posted_at), url = t.url,
         description = t.description, tags = array(select jsonb_array_elements_text(t.tags::jsonb)),
         content_hash = t.content_hash, free_text = t.free_text, updated_at = now(), last_seen_at = now(), closed_at = null, missed_runs = 0
       from ${UNNEST}
       where p.source_id = $1 and p.external_id = t.external_id
       returning p.id, p.content_hash as "contentHash", p.canonical_id as "canonicalId"`,
      params(
        sourceId,
        changedRows,
        changedRows.map(() => null),
      ),
    );
    for (const row of updated.rows) {
      if (row.canonicalId === null) outcome.changed.push({ postingId: row.id, contentHash: row.contentHash });
    }
    outcome.updated += updated.rowCount ?? 0;
  }

  if (unchangedIds.length > 0) {
    await db.query(
      'update postings set last_seen_at = now(), closed_at = null, missed_runs = 0 where id = any($1)',
      [unchangedIds],
    );
    outcome.unchangedCount += unchangedIds.length;
  }

  await addRunPostings(
    db,
    runId,
    outcome.changed.map((c) => c.postingId),
  );
  return outcome;
}

/**
 * After a successful run that listed the source's whole board: every open posting of the source
 * the run did not list has missed one more run, and one that missed two in a row is closed.
 * Returns the canonical jobs that are now closed everywhere (no open duplicate elsewhere).
 */
export async function recordMissedRuns(
  db: Db,
  sourceId: string,
  seenExternalIds: string[],
  now: Date,
): Promise<number[]> {
  const { rows } = await db.query<{ jobId: number }>(
    `with missed as (
       update postings set missed_runs = missed_runs + 1,
         closed_at = case when missed_runs + 1 >= 2 then $3::timestamptz end
       where source_id = $1 and closed_at is null and not (external_id = any($2::text[]))
       returning id, canonical_id, closed_at
     )
     select distinct coalesce(canonical_id, id) as "jobId" from missed where closed_at is not null`,
    [sourceId, seenExternalIds, now],
  );
  if (rows.length === 0) return [];
  const closed = await db.query<{ id: number }>(
    `select c.id from postings c where c.id = any($1) and c.closed_at is not null
       and not exists (select 1 from postings d where d.canonical_id = c.id and d.closed_at is null)`,
    [rows.map((r) => r.jobId)],
  );
  return closed.rows.map((r) => r.id);
}

/** Records postings a run sends through analysis and matching (what `/jobs fetch` waits for). */
export async function addRunPostings(db: Db, runId: number, postingIds: number[]): Promise<void> {
  if (postingIds.length === 0) return;
  await db.query(
    'insert into run_postings (run_id, posting_id) select $1, unnest($2::bigint[]) on conflict do nothing',
    [runId, postingIds],
  );
}

const postingColumns = `p.id, p.source_id as "sourceId", p.external_id as "externalId", p.dedup_key as "dedupKey",
  p.canonical_id as "canonicalId", p.title, p.company, p.location, p.remote,
  case when p.salary_currency is null then null else json_build_object('min', p.salary_min, 'max', p.salary_max,
    'currency', p.salary_currency, 'interval', p.salary_interval) end as salary,
  p.posted_at as "postedAt", p.url, p.description, p.tags, p.content_hash as "contentHash",
  p.free_text as "freeText", p.first_seen_at as "firstSeenAt", p.last_seen_at as "lastSeenAt",
  p.closed_at as "closedAt"`;

export async function getPosting(db: Db, id: number): Promise<Posting | null> {
  const { rows } = await db.query<Posting>(`select ${postingColumns} from postings p where p.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The newest canonical posting carrying this content: what the analyzer reads. */
export async function findPostingByContent(db: Db, contentHash: string): Promise<Posting | null> {
  const { rows } = await db.query<Posting>(
    `select ${postingColumns} from postings p where p.content_hash = $1
     order by (p.canonical_id is null) desc, p.last_seen_at desc limit 1`,
    [contentHash],
  );
  return rows[0] ?? null;
}

/** Canonical postings with this content that have not been matched against it yet. */
export async function unmatchedPostingIds(db: Db, contentHash: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `select id from postings where content_hash = $1 and canonical_id is null
       and matched_hash is distinct from content_hash order by id`,
    [contentHash],
  );
  return rows.map((r) => r.id);
}

/**
 * The one place a free-text posting's shown fields are decided: the analyzer's title, company and
 * location where it read them, else the adapter's guess already on the row. Written onto the
 * posting once its content is analysed, before matching, so cards, the admin API and the matching
 * filters all read the same columns. `content_hash` and `dedup_key` keep the adapter's fields: the
 * same text fetched again is unchanged, and re-fetching never undoes this (only changed text
 * resets the row, and its new analysis writes again).
 */
export async function showExtractedFields(
  db: Db,
  contentHashes: string[],
): Promise<{ contentHash: string; title: string; company: string; location: string | null }[]> {
  if (contentHashes.length === 0) return [];
  const { rows } = await db.query<{
    contentHash: string;
    title: string;
    company: string;
    location: string | null;
  }>(
    `update postings p set title = coalesce(a.title, p.title), company = coalesce(a.company, p.company),
       location = coalesce(a.location, p.location)
     from analyses a
     where a.content_hash = p.content_hash and p.content_hash = any($1) and p.free_text and a.status = 'succeeded'
     returning p.content_hash as "contentHash", p.title, p.company, p.location`,
    [contentHashes],
  );
  return rows;
}
