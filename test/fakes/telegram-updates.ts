/**
 * Update objects as Telegram sends them (shared/reference/platforms/telegram-updates.json), and the
 * bot's identity as the fake Bot API reports it.
 */

export const BOT_TOKEN = '7311596125:AAH-fake-token-for-tests-only_xyz';
export const BOT_INFO = {
  id: 7311596125,
  is_bot: true,
  first_name: 'Job Scout',
  username: 'JobScoutBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

export interface TelegramUser {
  id: number;
  is_bot: false;
  first_name: string;
  username?: string;
  language_code?: string;
}
export interface TelegramChat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
}

export interface StoredMessage {
  chatId: number;
  messageId: number;
  /** What the user sees (HTML decoded). */
  text: string;
  html: string;
  links: string[];
  markup: Markup | undefined;
  edits: number;
}

export type Button = { text: string; callback_data?: string; url?: string };
export type Markup = { inline_keyboard?: Button[][]; force_reply?: boolean };

export function asMessage(m: StoredMessage) {
  return {
    message_id: m.messageId,
    from: { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name, username: BOT_INFO.username },
    chat: { id: m.chatId, type: m.chatId > 0 ? 'private' : 'supergroup' },
    date: Math.floor(Date.now() / 1000),
    text: m.text,
    ...(m.markup ? { reply_markup: m.markup } : {}),
  };
}

/** Builders of the updates a user's client causes; each gets the next update_id. */
export function updateBuilders(options: { registerCallback: (id: string) => void }) {
  let updateId = 851_793_500;
  let callbackId = 4_241_925_148_926_521_900n;

  function callbackUpdate(from: TelegramUser, message: StoredMessage, data: string) {
    const id = String(++callbackId);
    options.registerCallback(id);
    return {
      update_id: ++updateId,
      callback_query: {
        id,
        from,
        message: asMessage(message),
        chat_instance: '-6788293385213960536',
        data,
      },
    };
  }

  return {
    textUpdate(from: TelegramUser, chat: TelegramChat, text: string, extra: Record<string, unknown> = {}) {
      const command = /^\/[\w@]+/.exec(text)?.[0];
      return {
        update_id: ++updateId,
        message: {
          message_id: Math.floor(Math.random() * 1e6),
          from,
          chat,
          date: Math.floor(Date.now() / 1000),
          text,
          ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' }] } : {}),
          ...extra,
        },
      };
    },
    /** A press of the button labelled `label` on a message the bot sent, as the user's client sends it. */
    pressUpdate(from: TelegramUser, message: StoredMessage, label: string) {
      const button = message.markup?.inline_keyboard?.flat().find((b) => b.text === label);
      if (!button?.callback_data)
        throw new Error(
          `no button "${label}" on message ${message.messageId}: ${JSON.stringify(message.markup)}`,
        );
      return callbackUpdate(from, message, button.callback_data);
    },
    callbackUpdate,
    myChatMemberUpdate(from: TelegramUser, oldStatus: string, newStatus: string) {
      const bot = {
        id: BOT_INFO.id,
        is_bot: true,
        first_name: BOT_INFO.first_name,
        username: BOT_INFO.username,
      };
      return {
        update_id: ++updateId,
        my_chat_member: {
          chat: { id: from.id, first_name: from.first_name, type: 'private' },
          from,
          date: Math.floor(Date.now() / 1000),
          old_chat_member: { user: bot, status: oldStatus },
          new_chat_member: {
            user: bot,
            status: newStatus,
            ...(newStatus === 'kicked' ? { until_date: 0 } : {}),
          },
        },
      };
    },
  };
}
