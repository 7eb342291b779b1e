-- Alerts that respect people: delivery policy (digest time and days, quiet hours, daily cap),
-- held and scheduled deliveries, digests, change alerts on saved jobs, linking accounts across
-- platforms, learning from Save/Dismiss, and currency rates for salary floors.

-- Delivery policy. Times are local to users.time_zone.
alter table preferences
  add column digest_time time not null default '08:00',
  add column digest_days text not null default 'daily' check (digest_days in ('daily', 'weekdays')),
  add column quiet_start time,
  add column quiet_end time,
  add column daily_cap integer check (daily_cap is null or daily_cap between 1 and 100),
  -- Save/Dismiss history before this instant no longer adjusts scores (/prefs reset learned)
  add column learned_reset_at timestamptz,
  add constraint preferences_quiet_hours_check
    check ((quiet_start is null) = (quiet_end is null) and (quiet_start is null or quiet_start <> quiet_end));

-- When the user last pressed a button on the match (injected clock), and why they dismissed it.
alter table matches
  add column acted_at timestamptz,
  add column dismiss_reason text
    check (dismiss_reason in ('not_relevant', 'too_junior', 'too_senior', 'location', 'salary', 'company'));

-- Successful complete runs of its source in a row that did not list the posting; two close it.
alter table postings add column missed_runs integer not null default 0;

-- One digest message per user and local date: the unique key is what makes it once a day.
create table digests (
  id            bigint generated always as identity primary key,
  user_id       bigint not null references users (id) on delete cascade,
  local_date    date not null,
  platform      text check (platform in ('console', 'slack', 'discord', 'telegram')),
  identity_id   bigint references identities (id) on delete set null,
  status        text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'failed', 'undeliverable', 'skipped', 'empty')),
  message_ref   jsonb,
  attempts      integer not null default 0,
  error         text,
  created_at    timestamptz not null default now(),
  sent_at       timestamptz,
  unique (user_id, local_date)
);

-- A delivery is an instant alert, a match inside a digest, or a change message about a saved job.
-- Each happens at most once: one alert and one digest entry per match, one change message per
-- (match, change). Held deliveries wait (queued_at null) until not_before.
alter table deliveries
  drop constraint deliveries_match_id_platform_key,
  add column kind text not null default 'alert' check (kind in ('alert', 'digest', 'change')),
  add column change_key text not null default '',
  add column details jsonb,
  add column not_before timestamptz not null default now(),
  add column queued_at timestamptz,
  add column digest_id bigint references digests (id) on delete set null;
update deliveries set queued_at = created_at;
create unique index deliveries_once_idx on deliveries (match_id, kind, change_key);
create index deliveries_held_idx on deliveries (not_before) where status = 'pending' and queued_at is null;
create index deliveries_digest_idx on deliveries (digest_id) where digest_id is not null;
create index deliveries_queued_idx on deliveries (queued_at) where kind = 'alert';

-- One-time codes that join a second chat account to a user. Only a hash is stored.
create table link_codes (
  code_hash   text primary key,
  user_id     bigint not null references users (id) on delete cascade,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index link_codes_user_idx on link_codes (user_id);

-- Units of each currency per US dollar, for comparing salaries in the user's currency.
create table currency_rates (
  currency    text primary key check (currency ~ '^[A-Z]{3}$'),
  per_usd     numeric not null check (per_usd > 0),
  as_of       date not null,
  updated_at  timestamptz not null default now()
);
-- Seeded from src/db/currency-rates.json (a test keeps the two equal).
insert into currency_rates (currency, per_usd, as_of)
select key, value::numeric, date '2025-06-02'
from jsonb_each_text('{"USD": 1, "EUR": 0.88, "GBP": 0.74, "CAD": 1.37, "AUD": 1.55, "INR": 85.6, "CHF": 0.82, "NZD": 1.67, "SGD": 1.29, "HKD": 7.85, "BRL": 5.65, "PLN": 3.76, "SEK": 9.6, "NOK": 10.2, "DKK": 6.56, "JPY": 143.5, "MXN": 19.2, "ZAR": 17.9, "CZK": 21.9}'::jsonb);
