-- Admin API: full-text search over postings and a keyset index for the newest-first listing.

-- array_to_string is only STABLE (it depends on the element type's output function); for text[]
-- it cannot change, and a generated column needs an IMMUTABLE expression.
create function posting_tags_text(tags text[]) returns text
  language sql immutable parallel safe
  as $$ select array_to_string(tags, ' ') $$;

-- Title weighs most, then company, then tags and location, then the description.
alter table postings add column search tsvector generated always as (
  setweight(to_tsvector('english'::regconfig, title), 'A') ||
  setweight(to_tsvector('english'::regconfig, company), 'B') ||
  setweight(to_tsvector('english'::regconfig, posting_tags_text(tags) || ' ' || coalesce(location, '')), 'C') ||
  setweight(to_tsvector('english'::regconfig, description), 'D')
) stored;
create index postings_search_idx on postings using gin (search);

-- GET /api/jobs pages newest first by (posted, id); postings without a date sort by when we saw them.
create index postings_newest_idx on postings ((coalesce(posted_at, first_seen_at)) desc, id desc);
