-- Job source health and terms: a warning when a source that used to find postings suddenly finds
-- none (a changed format or a block rarely fails loudly), and requests per board per UTC day for
-- boards whose terms limit them (Remotive, Adzuna, USAJOBS), shared by every worker process.

alter table sources add column warning text;
alter table fetch_runs add column warning text;

create table source_request_counts (
  bucket    text not null,
  day       date not null,
  requests  integer not null default 0 check (requests >= 0),
  primary key (bucket, day)
);
