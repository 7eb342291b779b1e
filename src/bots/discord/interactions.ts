import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  ComponentType,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  Routes,
} from 'discord.js';
import { decodeAction } from '../../core/actions.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { type LogPort, UndeliverableError } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import { firstDelivery } from '../../db/events.ts';
import { ensureUser, getPreferences } from '../../db/users.ts';
import { errorReply, handleSafely } from '../handlers.ts';
import {
  actorOf,
  flagsFor,
  followUp,
  type InteractionDeps,
  inBotDm,
  payload,
  refuse,
  respond,
  shown,
} from './answer.ts';
import { onCardButton, onCardPick, onReason } from './card-clicks.ts';
import { commandOf } from './commands.ts';
import { loggable, NO_MENTIONS, sendDirect } from './messenger.ts';
import { PREFS_BUTTONS, type PrefsForm, prefsCommandOf, prefsFormOf, prefsModal } from './prefs-modal.ts';
import { renderReply, withoutReplyButtons } from './render.ts';
import { forDiscord } from './texts.ts';

/**
 * Discord interactions → Commands → Replies. Slash commands answer within Discord's 3 seconds
 * (deferring first when the work may take longer), buttons and menus update their message in
 * place, `/prefs edit` opens a modal. Replies about a user's own data are ephemeral outside DMs.
 */

export type { InteractionDeps };

const SORRY = 'Sorry, something went wrong on my side. Please try again in a minute.';

const withPrefsButtons = (reply: Reply): Reply =>
  reply.tone === 'error' ? reply : { ...reply, buttons: [...(reply.buttons ?? []), ...PREFS_BUTTONS] };

/** Runs quick work; should it pass `deferAfterMs`, the answer is deferred so the token stays good. */
async function answerInTime(
  deps: InteractionDeps,
  i: RepliableInteraction,
  work: Promise<Reply>,
  personal: boolean,
): Promise<void> {
  let deferral: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    deferral = i
      .deferReply({ flags: flagsFor(i, personal) })
      .catch((err) => deps.logger.warn({ err: loggable(err) }, 'could not defer'));
  }, deps.deferAfterMs);
  let reply: Reply;
  try {
    reply = await work;
  } finally {
    clearTimeout(timer);
    await deferral;
  }
  await respond(i, reply, personal);
}

async function openPrefsForm(deps: InteractionDeps, i: RepliableInteraction, form: PrefsForm) {
  if (!('showModal' in i)) return;
  const { user } = await ensureUser(deps.bot.pool, actorOf(i));
  const prefs = await getPreferences(deps.bot.pool, user.id);
  await i.showModal(prefsModal(form, prefs));
}

/** Edits one message with the latest progress line; lines that arrive while an edit runs collapse. */
function latestOnly(send: (text: string) => Promise<unknown>, logger: LogPort) {
  let pending: string | undefined;
  let running: Promise<void> | undefined;
  async function pump() {
    while (pending !== undefined) {
      const text = pending;
      pending = undefined;
      try {
        await send(text);
      } catch (err) {
        logger.warn({ err: loggable(err) }, 'progress edit failed');
      }
    }
    running = undefined;
  }
  return {
    push(text: string) {
      pending = text;
      running ??= pump();
    },
    settled: () => running ?? Promise.resolve(),
  };
}

/**
 * `/jobs fetch`: defer at once, edit the reply as the fetch moves on, then show the matches. The
 * token dies 15 minutes after the command; past `followUpWindowMs` the result goes out as a new
 * message instead (a DM; in a server where DMs are closed, a mention in the channel).
 */
async function runFetch(deps: InteractionDeps, i: ChatInputCommandInteraction, query: string | null) {
  const actor = actorOf(i);
  let open = true;
  const progress = latestOnly(
    (text) => i.editReply({ content: text, allowedMentions: NO_MENTIONS }),
    deps.logger,
  );
  await i.deferReply({ flags: flagsFor(i, true) });
  const window = setTimeout(() => {
    progress.push(
      '⏳ Still fetching. This reply can no longer change; the result will come as a new message.',
    );
    open = false;
  }, deps.followUpWindowMs);
  let reply: Reply;
  try {
    reply = await handleSafely(
      deps.bot,
      actor,
      { name: 'jobs.fetch', query },
      {
        progress: async (r) => {
          if (open) progress.push(`⏳ ${r.text}`);
        },
      },
    );
  } finally {
    clearTimeout(window);
  }
  const inTime = open;
  open = false;
  await progress.settled();
  if (inTime) return respond(i, reply, true);
  try {
    await sendDirect(
      deps.rest,
      { userId: actor.externalId, dmChannel: actor.dmChannel ?? null },
      forDiscord(reply),
    );
  } catch (err) {
    if (!(err instanceof UndeliverableError) || inBotDm(i) || !i.channelId) throw err;
    await deps.rest.post(Routes.channelMessages(i.channelId), {
      body: {
        content: `<@${actor.externalId}> your /jobs fetch has finished; /jobs list shows your matches.`,
        allowed_mentions: { users: [actor.externalId] },
      },
    });
  }
}

async function onCommand(deps: InteractionDeps, i: ChatInputCommandInteraction) {
  let command: ReturnType<typeof commandOf>;
  try {
    command = commandOf(i);
  } catch (err) {
    const reply = errorReply(err);
    if (!reply) throw err;
    return respond(i, reply, true);
  }
  if (command.name === 'prefs.edit') return openPrefsForm(deps, i, 'search');
  if (command.name === 'jobs.fetch') return runFetch(deps, i, command.query);
  const personal = command.name !== 'help' && command.name !== 'start';
  const showsPrefs = command.name === 'prefs.show' || command.name === 'prefs.set';
  const work = handleSafely(deps.bot, actorOf(i), command).then((reply) =>
    showsPrefs ? withPrefsButtons(reply) : reply,
  );
  return answerInTime(deps, i, work, personal);
}

async function onButton(deps: InteractionDeps, i: ButtonInteraction) {
  const form = prefsFormOf(i.customId);
  if (form) return openPrefsForm(deps, i, form);
  const command = decodeAction(i.customId);
  if (!command) return refuse(i, 'That button is no longer available.');
  if (command.name === 'match.action') return onCardButton(deps, i, command);
  if (command.name === 'match.reason') return onReason(deps, i, command);
  const reply = await handleSafely(deps.bot, actorOf(i), command);
  if (reply.tone === 'error') return refuse(i, reply.text);
  const messages = renderReply(forDiscord(reply));
  // A digest is one message: its next page takes the place of this one.
  if (command.name === 'digest.page' && messages.length === 1) return i.update(payload(messages[0]!));
  // Another page of a list: the used paging buttons go away, the page follows as new messages.
  await i.update({ components: payload(withoutReplyButtons(shown(i.message))).components });
  for (const message of messages) await followUp(i, message);
}

async function onModal(deps: InteractionDeps, i: ModalSubmitInteraction) {
  const form = prefsFormOf(i.customId);
  if (!form) return refuse(i, 'That form is no longer available.');
  const submitted: Record<string, string> = {};
  for (const [id, field] of i.fields.fields) {
    if (field.type === ComponentType.TextInput) submitted[id] = field.value;
  }
  let reply: Reply;
  try {
    reply = await handleSafely(deps.bot, actorOf(i), prefsCommandOf(form, submitted));
  } catch (err) {
    // The usage line of `/prefs set` would mislead here: the answer is about the fields of this form.
    if (!(err instanceof InvalidInputError)) throw err;
    reply = { text: err.message, tone: 'error', ephemeral: true };
  }
  return respond(i, withPrefsButtons(reply), true);
}

/** One interaction, once: duplicates of an id already seen do nothing; failures get one honest line. */
export async function handleInteraction(deps: InteractionDeps, interaction: Interaction): Promise<void> {
  const handled =
    interaction.isChatInputCommand() ||
    interaction.isButton() ||
    interaction.isStringSelectMenu() ||
    interaction.isModalSubmit();
  if (!handled) return;
  const logger = deps.logger.child({ interactionId: interaction.id });
  try {
    if (!(await firstDelivery(deps.bot.pool, 'discord', interaction.id))) {
      logger.info({}, 'duplicate interaction ignored');
      return;
    }
    if (interaction.isChatInputCommand()) await onCommand({ ...deps, logger }, interaction);
    else if (interaction.isButton()) await onButton({ ...deps, logger }, interaction);
    else if (interaction.isStringSelectMenu()) await onCardPick({ ...deps, logger }, interaction);
    else if (interaction.isModalSubmit()) await onModal({ ...deps, logger }, interaction);
  } catch (err) {
    logger.error({ err: loggable(err) }, 'discord interaction failed');
    try {
      const answered = interaction.deferred || interaction.replied;
      const message = { content: SORRY, flags: MessageFlags.Ephemeral } as const;
      await (answered ? interaction.followUp(message) : interaction.reply(message));
    } catch (err2) {
      logger.warn({ err: loggable(err2) }, 'could not tell the user about the failure');
    }
  }
}
