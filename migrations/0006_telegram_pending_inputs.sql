-- A Telegram user who pressed a preference in the /prefs menu and owes us the new value as their
-- next message in that chat. Kept in the database so that the answer still lands after a restart
-- or on another web process; one pending field per (account, chat), replaced by the next press.
create table telegram_pending_inputs (
  identity_id  bigint not null references identities (id) on delete cascade,
  chat_id      text not null,
  field        text not null check (length(field) between 1 and 40),
  created_at   timestamptz not null default now(),
  primary key (identity_id, chat_id)
);
