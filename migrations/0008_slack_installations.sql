-- Workspaces that installed the Slack app through the OAuth flow (multi-workspace mode): the bot
-- token every request and alert of that workspace is made with. One row per workspace (team);
-- an org-wide Enterprise Grid install has no team and is keyed by its enterprise instead.
-- The bot token is a secret: it is read by the Slack adapter only and never logged.
create table slack_installations (
  id                    bigint generated always as identity primary key,
  team_id               text check (team_id ~ '^[A-Z0-9]+$'),
  enterprise_id         text check (enterprise_id ~ '^[A-Z0-9]+$'),
  is_enterprise_install boolean not null default false,
  team_name             text,
  app_id                text,
  bot_token             text not null check (length(bot_token) > 0),
  bot_id                text,
  bot_user_id           text not null,
  bot_scopes            text[] not null default '{}',
  bot_refresh_token     text,
  bot_token_expires_at  timestamptz,
  installer_user_id     text,
  installed_at          timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  check (case when is_enterprise_install then enterprise_id is not null else team_id is not null end)
);
create unique index slack_installations_team on slack_installations (team_id) where not is_enterprise_install;
create unique index slack_installations_enterprise on slack_installations (enterprise_id) where is_enterprise_install;
