import { z } from 'zod';
import type { Actor } from '../../core/types.ts';

/**
 * The parts of a Telegram Update we act on, checked at the edge (webhook body or getUpdates
 * result) before anything reads them. Unknown fields and update kinds pass through untouched.
 */

const user = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const chat = z.looseObject({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});

export const updateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: z
    .looseObject({
      message_id: z.number().int(),
      from: user.optional(),
      chat,
      text: z.string().max(4096).optional(),
    })
    .optional(),
  callback_query: z
    .looseObject({
      id: z.string().min(1),
      from: user,
      // date 0: the message is too old to be read or edited (InaccessibleMessage)
      message: z.looseObject({ message_id: z.number().int(), chat, date: z.number() }).optional(),
      data: z.string().optional(),
    })
    .optional(),
  my_chat_member: z
    .looseObject({
      chat,
      from: user,
      new_chat_member: z.looseObject({ status: z.string() }),
    })
    .optional(),
});

/** What we read of a user and a chat (grammY's types and ours both fit). */
export type TelegramUser = Pick<z.infer<typeof user>, 'id' | 'first_name' | 'last_name' | 'username'>;
export type TelegramChat = Pick<z.infer<typeof chat>, 'id'> & { type: string };

/** The JobPing account behind a Telegram user. Their private chat with the bot has their user id. */
export function actorOf(from: TelegramUser, chat?: TelegramChat): Actor {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  return {
    platform: 'telegram',
    externalId: String(from.id),
    displayName: name || from.username || null,
    dmChannel: chat?.type === 'private' ? String(chat.id) : null,
  };
}
