import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Discord objects as the API sends them, for the fake: snowflakes, users, messages, and
 * INTERACTION_CREATE payloads cloned from the reference frames in `test/fixtures/discord/`.
 * Also Discord's message and modal limits, checked on everything the bot sends.
 */

// biome-ignore lint/suspicious/noExplicitAny: payloads are plain JSON, shaped as Discord shapes them
export type Json = any;

const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../fixtures/discord/${name}.json`, import.meta.url), 'utf8')).d;
const FIXTURES = {
  commandGuild: fixture('interaction-command-guild'),
  commandDm: fixture('interaction-command-dm'),
  button: fixture('interaction-button'),
  modal: fixture('interaction-modal-submit'),
};

export const APPLICATION_ID: string = FIXTURES.commandGuild.application_id;
export const GUILD_ID: string = FIXTURES.commandGuild.guild_id;
export const GUILD_CHANNEL_ID: string = FIXTURES.commandGuild.channel.id;
export const BOT_USER: Json = FIXTURES.button.message.author;

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** Interaction tokens look like base64("interaction:<id>:<random>"). */
export function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
}

export function makeUser(username: string): Json {
  return {
    id: snowflake(),
    username,
    global_name: username[0]!.toUpperCase() + username.slice(1),
    discriminator: '0',
    avatar: null,
    public_flags: 0,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

export type Where = 'guild' | 'dm';

/** The envelope of an interaction by `user`, in the fixture guild's channel or in their DM with the bot. */
export function interaction(where: Where, user: Json, dmChannelId: string, type: number, data: Json): Json {
  const d = structuredClone(where === 'guild' ? FIXTURES.commandGuild : FIXTURES.commandDm);
  d.id = snowflake();
  d.token = interactionToken(d.id);
  d.type = type;
  d.data = data;
  if (where === 'guild') {
    d.member.user = user;
  } else {
    d.user = user;
    d.channel.id = dmChannelId;
    d.channel_id = dmChannelId;
    d.channel.recipients = [user];
  }
  return d;
}

export function commandData(name: string, sub?: string, options: Record<string, string | number> = {}): Json {
  const leaves = Object.entries(options).map(([key, value]) => ({
    type: typeof value === 'number' ? 4 : 3,
    name: key,
    value,
  }));
  const base = { id: FIXTURES.commandGuild.data.id, name, type: 1 };
  return sub ? { ...base, options: [{ type: 1, name: sub, options: leaves }] } : base;
}

/** What a modal submit carries: every input of the shown modal, each in its Label. */
export function modalSubmitData(modal: Json, values: Record<string, string>): Json {
  let id = 0;
  return {
    custom_id: modal.custom_id,
    components: modal.components.map((label: Json) => ({
      type: 18,
      id: ++id,
      component: {
        type: 4,
        id: ++id,
        custom_id: label.component.custom_id,
        value: values[label.component.custom_id] ?? label.component.value ?? '',
      },
    })),
  };
}

/** A message as Discord stores and returns it (components get numeric ids, embeds a type). */
export function makeMessage(channelId: string, body: Json, extra: Json = {}): Json {
  let componentId = 0;
  const withIds = (c: Json): Json => ({
    ...c,
    id: ++componentId,
    ...(c.components ? { components: c.components.map(withIds) } : {}),
  });
  return {
    type: 0,
    content: body.content ?? '',
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: (body.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e })),
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: body.flags ?? 0,
    components: (body.components ?? []).map(withIds),
    id: snowflake(),
    channel_id: channelId,
    author: BOT_USER,
    pinned: false,
    mention_everyone: false,
    tts: false,
    ...extra,
  };
}

export function editMessage(message: Json, body: Json): Json {
  const edited = makeMessage(message.channel_id, { ...message, ...body, flags: message.flags & ~128 });
  return {
    ...edited,
    id: message.id,
    timestamp: message.timestamp,
    edited_timestamp: new Date().toISOString(),
  };
}

const len = (s: unknown) => (typeof s === 'string' ? s.length : 0);

/** Discord's limits on a message body; the first broken one, or null. */
export function messageProblem(body: Json): string | null {
  if (len(body.content) > 2000) return 'content: Must be 2000 or fewer in length.';
  const embeds: Json[] = body.embeds ?? [];
  if (embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const e of embeds) {
    if (len(e.title) > 256 || len(e.description) > 4096 || len(e.footer?.text) > 2048)
      return 'embed field too long';
    if ((e.fields ?? []).length > 25) return 'embeds.fields: Must be 25 or fewer in length.';
    for (const f of e.fields ?? []) {
      if (!f.name || !f.value || len(f.name) > 256 || len(f.value) > 1024)
        return 'embeds.fields: bad name or value';
      total += len(f.name) + len(f.value);
    }
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
  }
  if (total > 6000) return `embeds: Embed size exceeds maximum size of 6000 (${total})`;
  const rows: Json[] = body.components ?? [];
  if (rows.length > 5) return 'components: Must be 5 or fewer in length.';
  for (const row of rows) {
    if (row.type !== 1 || !Array.isArray(row.components) || row.components.length > 5)
      return 'components: bad row';
    for (const b of row.components) {
      if (b.type !== 2 || len(b.label) > 80) return 'components: bad button';
      if (b.style === 5 ? !b.url || len(b.url) > 512 || b.custom_id : !b.custom_id || len(b.custom_id) > 100)
        return 'components: bad custom_id or url';
    }
  }
  return null;
}

export function modalProblem(modal: Json): string | null {
  if (!modal.custom_id || len(modal.custom_id) > 100 || !modal.title || len(modal.title) > 45)
    return 'modal: bad id or title';
  if (!Array.isArray(modal.components) || modal.components.length < 1 || modal.components.length > 5)
    return 'modal: 1 to 5 components';
  for (const label of modal.components) {
    if (label.type !== 18 || len(label.label) > 45 || len(label.description) > 100) return 'modal: bad label';
    const input = label.component;
    if (input?.type !== 4 || !input.custom_id || len(input.value) > (input.max_length ?? 4000))
      return 'modal: bad input';
  }
  return null;
}
