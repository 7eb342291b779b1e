import type { Db } from './pool.ts';

/**
 * Telegram's /prefs menu asks for a value and reads it from the user's next message: the field
 * being asked for is remembered here per (account, chat) until it is answered, replaced or stale.
 */

export async function setPendingInput(
  db: Db,
  input: { identityId: number; chatId: string; field: string; now: Date },
): Promise<void> {
  await db.query(
    `insert into telegram_pending_inputs (identity_id, chat_id, field, created_at) values ($1, $2, $3, $4)
     on conflict (identity_id, chat_id) do update set field = excluded.field, created_at = excluded.created_at`,
    [input.identityId, input.chatId, input.field, input.now],
  );
}

/** The field this account owes an answer for in this chat, if asked for since `notBefore`. */
export async function findPendingInput(
  db: Db,
  input: { externalId: string; chatId: string; notBefore: Date },
): Promise<string | null> {
  const { rows } = await db.query<{ field: string }>(
    `select t.field from telegram_pending_inputs t join identities i on i.id = t.identity_id
     where i.platform = 'telegram' and i.external_id = $1 and t.chat_id = $2 and t.created_at >= $3`,
    [input.externalId, input.chatId, input.notBefore],
  );
  return rows[0]?.field ?? null;
}

export async function clearPendingInput(
  db: Db,
  input: { externalId: string; chatId: string },
): Promise<void> {
  await db.query(
    `delete from telegram_pending_inputs t using identities i
     where i.id = t.identity_id and i.platform = 'telegram' and i.external_id = $1 and t.chat_id = $2`,
    [input.externalId, input.chatId],
  );
}
