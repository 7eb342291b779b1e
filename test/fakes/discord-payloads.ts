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

/** A slash command's data; `sub` may name a group and its subcommand ("reset learned"). */
export function commandData(name: string, sub?: string, options: Record<string, string | number> = {}): Json {
  const leaves = Object.entries(options).map(([key, value]) => ({
    type: typeof value === 'number' ? 4 : 3,
    name: key,
    value,
  }));
  const base = { id: FIXTURES.commandGuild.data.id, name, type: 1 };
  if (!sub) return { ...base, ...(leaves.length ? { options: leaves } : {}) };
  const [group, leaf] = sub.split(' ');
  const subcommand = { type: 1, name: leaf ?? group, options: leaves };
  return { ...base, options: [leaf ? { type: 2, name: group, options: [subcommand] } : subcommand] };
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
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.type !== 1 || !Array.isArray(row.components) || row.components.length < 1)
      return 'components: bad row';
    const selects = row.components.filter((c: Json) => c.type === 3).length;
    if (selects > 0 && row.components.length !== 1) return 'components: a select menu fills its row';
    if (row.components.length > 5) return 'components: bad row';
    for (const c of row.components) {
      const problem = c.type === 3 ? selectProblem(c) : buttonProblem(c);
      if (problem) return problem;
      if (c.custom_id && ids.has(c.custom_id)) return 'components: custom_id must be unique';
      if (c.custom_id) ids.add(c.custom_id);
    }
  }
  return null;
}

function buttonProblem(b: Json): string | null {
  if (b.type !== 2 || !b.label || len(b.label) > 80) return 'components: bad button';
  if (b.style === 5 ? !b.url || len(b.url) > 512 || b.custom_id : !b.custom_id || len(b.custom_id) > 100)
    return 'components: bad custom_id or url';
  return null;
}

/** A string select: 1 to 25 options with unique values, labels and values of at most 100. */
function selectProblem(s: Json): string | null {
  if (!s.custom_id || len(s.custom_id) > 100) return 'components: bad select custom_id';
  if (len(s.placeholder) > 150) return 'components: placeholder too long';
  const options: Json[] = s.options ?? [];
  if (options.length < 1 || options.length > 25) return 'components: 1 to 25 options';
  if (new Set(options.map((o) => o.value)).size !== options.length) return 'components: option values repeat';
  for (const o of options) {
    if (!o.label || len(o.label) > 100 || !o.value || len(o.value) > 100 || len(o.description) > 100)
      return 'components: bad option';
  }
  if ((s.min_values ?? 1) > (s.max_values ?? 1) || (s.max_values ?? 1) > options.length)
    return 'components: bad min/max values';
  return null;
}

/**
 * Discord's rules for registered commands: lower-case names of 1–32, descriptions of 1–100,
 * at most 25 options, required options first, subcommand groups hold only subcommands, and no
 * more than 4,000 characters of names, descriptions and choices per command.
 */
export function commandsProblem(commands: Json[]): string | null {
  if (!Array.isArray(commands) || commands.length > 100) return 'too many commands';
  for (const command of commands) {
    const problem = optionProblem(command, 0);
    if (problem) return `${command.name}: ${problem}`;
    if (characters(command) > 4000) return `${command.name}: longer than 4000 characters`;
  }
  return null;
}

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

function optionProblem(o: Json, depth: number): string | null {
  if (!NAME.test(o.name ?? '')) return `bad name "${o.name}"`;
  if (!o.description || len(o.description) > 100) return `${o.name}: description of 1 to 100 characters`;
  const options: Json[] = o.options ?? [];
  if (options.length > 25) return `${o.name}: at most 25 options`;
  if (new Set(options.map((x) => x.name)).size !== options.length) return `${o.name}: option names repeat`;
  const firstOptional = options.findIndex((x) => !x.required);
  if (firstOptional >= 0 && options.slice(firstOptional).some((x) => x.required))
    return `${o.name}: required options come first`;
  for (const option of options) {
    if (option.type === 2 && (depth > 0 || option.options?.some((x: Json) => x.type !== 1)))
      return `${option.name}: a group sits on the command and holds subcommands`;
    if (option.type === 1 && option.options?.some((x: Json) => x.type === 1 || x.type === 2))
      return `${option.name}: a subcommand holds no subcommands`;
    if (option.type === 3 && (option.max_length ?? 0) > 6000) return `${option.name}: max_length over 6000`;
    if ((option.choices ?? []).length > 25) return `${option.name}: at most 25 choices`;
    const problem = optionProblem(option, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function characters(o: Json): number {
  const own = len(o.name) + len(o.description);
  const choices = (o.choices ?? []).reduce((n: number, c: Json) => n + len(c.name) + len(String(c.value)), 0);
  return own + choices + (o.options ?? []).reduce((n: number, x: Json) => n + characters(x), 0);
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
