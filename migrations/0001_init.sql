-- JobPing schema. Invariants live in the database: uniqueness of postings, matches and deliveries,
-- CHECKs on every status column, and ON DELETE CASCADE from users so that deleting a user
-- removes everything that is theirs.

create table users (
  id               bigint generated always as identity primary key,
  display_name     text,
  status           text not null default 'active' check (status in ('active', 'blocked')),
  time_zone        text not null default 'UTC',
  -- where alerts go when the user has identities on several platforms (null: the most recent one)
  alert_platform   text check (alert_platform in ('console', 'slack', 'discord', 'telegram')),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);

-- One row per chat account. Slack ids are "TEAM:USER" because a Slack user id is only unique
-- inside its workspace; Discord and Telegram ids are global.
create table identities (
  id                  bigint generated always as identity primary key,
  user_id             bigint not null references users (id) on delete cascade,
  platform            text not null check (platform in ('console', 'slack', 'discord', 'telegram')),
  external_id         text not null check (length(external_id) between 1 and 200),
  display_name        text,
  -- where a direct message reaches this account (Telegram chat id, Slack/Discord DM channel)
  dm_channel          text,
  deliverable         boolean not null default true,
  undeliverable_reason text,
  created_at          timestamptz not null default now(),
  last_seen_at        timestamptz not null default now(),
  unique (platform, external_id)
);
create index identities_user_idx on identities (user_id);

create table preferences (
  user_id            bigint primary key references users (id) on delete cascade,
  keywords           text[] not null default '{}',
  excluded_words     text[] not null default '{}',
  locations          text[] not null default '{}',
  remote             text not null default 'any' check (remote in ('any', 'remote', 'hybrid', 'onsite', 'remote_or_hybrid')),
  salary_min         numeric check (salary_min is null or salary_min >= 0),
  salary_currency    text not null default 'USD' check (salary_currency ~ '^[A-Z]{3}$'),
  seniority          text[] not null default '{}'
    check (seniority <@ array['intern', 'junior', 'mid', 'senior', 'staff', 'principal', 'lead', 'manager', 'executive']::text[]),
  blocked_companies  text[] not null default '{}',
  alert_mode         text not null default 'instant' check (alert_mode in ('instant', 'digest', 'off')),
  alert_threshold    integer not null default 70 check (alert_threshold between 0 and 100),
  updated_at         timestamptz not null default now()
);

-- A configured job source: "sample", "greenhouse:stripe", "careers:https://…".
create table sources (
  id                    text primary key check (length(id) between 1 and 300),
  kind                  text not null,
  config                jsonb not null default '{}',
  enabled               boolean not null default true,
  consecutive_failures  integer not null default 0,
  paused_until          timestamptz,
  pause_reason          text,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);

-- One "fetch" as a user or the schedule asked for it; it fans out to one run per source.
create table fetch_requests (
  id            bigint generated always as identity primary key,
  trigger       text not null check (trigger in ('chat', 'schedule', 'api', 'cli')),
  user_id       bigint references users (id) on delete set null,
  query         text,
  created_at    timestamptz not null default now()
);

create table fetch_runs (
  id            bigint generated always as identity primary key,
  request_id    bigint not null references fetch_requests (id) on delete cascade,
  source_id     text not null references sources (id) on delete cascade,
  status        text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  found         integer not null default 0,
  new           integer not null default 0,
  updated       integer not null default 0,
  unchanged     integer not null default 0,
  invalid       integer not null default 0,
  duplicates    integer not null default 0,
  error         text,
  created_at    timestamptz not null default now(),
  started_at    timestamptz,
  finished_at   timestamptz
);
create index fetch_runs_request_idx on fetch_runs (request_id);
create index fetch_runs_source_idx on fetch_runs (source_id, created_at desc);

create table postings (
  id               bigint generated always as identity primary key,
  source_id        text not null references sources (id) on delete cascade,
  external_id      text not null check (length(external_id) between 1 and 500),
  -- normalised company + title + location: the same job on two boards, or reposted, shares it
  dedup_key        text not null,
  -- the first posting with this dedup_key; duplicates point at it and are never matched themselves
  canonical_id     bigint references postings (id) on delete set null,
  title            text not null,
  company          text not null,
  location         text,
  remote           text not null default 'unknown' check (remote in ('remote', 'hybrid', 'onsite', 'unknown')),
  salary_min       numeric check (salary_min is null or salary_min >= 0),
  salary_max       numeric check (salary_max is null or salary_max >= 0),
  salary_currency  text check (salary_currency is null or salary_currency ~ '^[A-Z]{3}$'),
  salary_interval  text check (salary_interval in ('hour', 'day', 'week', 'month', 'year')),
  posted_at        timestamptz,
  url              text not null,
  description      text not null default '',
  tags             text[] not null default '{}',
  content_hash     text not null,
  -- the content_hash this posting was last matched with; equal to content_hash once matching is done
  matched_hash     text,
  first_seen_at    timestamptz not null default now(),
  last_seen_at     timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  closed_at        timestamptz,
  unique (source_id, external_id)
);
create index postings_dedup_idx on postings (dedup_key);
create index postings_content_hash_idx on postings (content_hash);
create index postings_canonical_idx on postings (canonical_id) where canonical_id is not null;

-- Postings a run found new or changed: what a user's "/jobs fetch" waits for.
create table run_postings (
  run_id      bigint not null references fetch_runs (id) on delete cascade,
  posting_id  bigint not null references postings (id) on delete cascade,
  primary key (run_id, posting_id)
);
create index run_postings_posting_idx on run_postings (posting_id);

-- One analysis per distinct posting content, whatever the number of users, sources or fetches.
create table analyses (
  content_hash       text primary key,
  status             text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'skipped')),
  analyzer           text check (analyzer in ('openai', 'heuristic')),
  model              text,
  seniority          text check (seniority in ('intern', 'junior', 'mid', 'senior', 'staff', 'principal', 'lead', 'manager', 'executive')),
  skills             text[] not null default '{}',
  remote_policy      text check (remote_policy in ('remote', 'hybrid', 'onsite', 'unknown')),
  salary_annual_min  numeric,
  salary_annual_max  numeric,
  salary_currency    text check (salary_currency is null or salary_currency ~ '^[A-Z]{3}$'),
  visa_sponsorship   boolean,
  relocation         boolean,
  summary            text,
  -- normalised search terms of the posting content (title, tags, skills, description), and the
  -- "strong" subset from title, tags and skills: matching is an exact join on these
  terms              text[] not null default '{}',
  strong_terms       text[] not null default '{}',
  error              text,
  attempts           integer not null default 0,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);

-- Every call to the model, for usage and cost reporting.
create table model_calls (
  id             bigint generated always as identity primary key,
  content_hash   text not null,
  model          text not null,
  outcome        text not null check (outcome in ('ok', 'invalid_output', 'error')),
  input_tokens   integer not null default 0,
  cached_tokens  integer not null default 0,
  output_tokens  integer not null default 0,
  cost_usd       numeric not null default 0,
  duration_ms    integer not null default 0,
  error          text,
  created_at     timestamptz not null default now()
);
create index model_calls_created_idx on model_calls (created_at);

create table matches (
  id               bigint generated always as identity primary key,
  user_id          bigint not null references users (id) on delete cascade,
  posting_id       bigint not null references postings (id) on delete cascade,
  score            integer not null check (score between 0 and 100),
  reasons          jsonb not null default '[]',
  status           text not null default 'new' check (status in ('new', 'saved', 'dismissed', 'applied')),
  previous_status  text check (previous_status in ('new', 'saved', 'dismissed', 'applied')),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (user_id, posting_id)
);
create index matches_user_status_idx on matches (user_id, status, score desc);
create index matches_posting_idx on matches (posting_id);

-- Written before a message is sent and marked after, so a retried job never sends a match twice.
create table deliveries (
  id            bigint generated always as identity primary key,
  match_id      bigint not null references matches (id) on delete cascade,
  platform      text not null check (platform in ('console', 'slack', 'discord', 'telegram')),
  identity_id   bigint references identities (id) on delete cascade,
  status        text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'undeliverable', 'skipped')),
  -- where the sent card lives (channel + message id), so a click can update it in place
  message_ref   jsonb,
  attempts      integer not null default 0,
  error         text,
  created_at    timestamptz not null default now(),
  sent_at       timestamptz,
  unique (match_id, platform)
);
create index deliveries_status_idx on deliveries (status);

-- Inbound events already handled (Slack retries, Telegram update_id, Discord interaction id).
create table processed_events (
  platform     text not null check (platform in ('console', 'slack', 'discord', 'telegram')),
  event_id     text not null,
  created_at   timestamptz not null default now(),
  primary key (platform, event_id)
);

insert into sources (id, kind, config) values ('sample', 'sample', '{}');
