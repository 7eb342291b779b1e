import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  REST,
  type RESTPutAPIApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsResult,
  Routes,
} from 'discord.js';
import { z } from 'zod';
import type { Command } from '../../core/commands.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { parseCommand } from '../commands.ts';

/**
 * The slash commands JobPing registers, and what an invocation of one means. Discord allows no
 * bare `/jobs` beside subcommands, so the list is `/jobs list` and the preferences `/prefs show`;
 * `/prefs edit` opens a form, `/prefs set` takes the same `key=value …` text as everywhere else.
 * Text options go through the shared parser (`parseCommand`), so every platform accepts the same
 * words and refuses them with the same explanation.
 */

const MAX_QUERY = 200;
/** Room for every preference at once, well under Discord's 6,000 and the parser's 2,000. */
export const MAX_PREFS_TEXT = 1500;
const MAX_LINK_CODE = 30;

const pageOption = {
  type: ApplicationCommandOptionType.Integer,
  name: 'page',
  description: 'Page number (default 1)',
  min_value: 1,
  max_value: 999_999,
  required: false,
} as const;

export function slashCommands(scope: 'global' | 'guild'): RESTPutAPIApplicationCommandsJSONBody {
  // Contexts and install types apply to global commands only: servers, DMs with the bot, and
  // (installed to a user account) any other chat.
  const where =
    scope === 'global'
      ? {
          contexts: [
            InteractionContextType.Guild,
            InteractionContextType.BotDM,
            InteractionContextType.PrivateChannel,
          ],
          integration_types: [
            ApplicationIntegrationType.GuildInstall,
            ApplicationIntegrationType.UserInstall,
          ],
        }
      : {};
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: 'jobs',
      description: 'Your job matches',
      ...where,
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'list',
          description: 'Your current matches, best first',
          options: [pageOption],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'fetch',
          description: 'Fetch the latest postings now and show your new matches',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'query',
              description: 'What to search for, e.g. rust (default: your keywords)',
              max_length: MAX_QUERY,
              required: false,
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'saved',
          description: 'Jobs you saved or applied to',
          options: [pageOption],
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'prefs',
      description: 'What jobs you are looking for',
      ...where,
      options: [
        { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show your preferences' },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'edit',
          description: 'Change your search preferences in a form',
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'set',
          description: 'Change any preference as key=value, e.g. tz=Europe/Berlin digest=08:30 cap=5',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'values',
              description: 'key=value pairs, e.g. remote=yes quiet=22:00-08:00 (/help lists the keys)',
              max_length: MAX_PREFS_TEXT,
              required: true,
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.SubcommandGroup,
          name: 'reset',
          description: 'Undo what JobPing learned',
          options: [
            {
              type: ApplicationCommandOptionType.Subcommand,
              name: 'learned',
              description: 'Forget what your Save and Dismiss clicks taught',
            },
          ],
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'link',
      description: 'Join your JobPing accounts on several platforms into one',
      ...where,
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'code',
          description: 'The code /link gave you on your other platform (leave out to get a code)',
          max_length: MAX_LINK_CODE,
          required: false,
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'help',
      description: 'What JobPing does and how to use it',
      ...where,
    },
  ];
}

/** Registers (replaces) the commands, globally or in one server (instant; for development). */
export async function registerSlashCommands(options: {
  token: string;
  applicationId: string;
  apiUrl?: string | undefined;
  guildId?: string | undefined;
}): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  return (await rest.put(route, {
    body: slashCommands(options.guildId ? 'guild' : 'global'),
  })) as RESTPutAPIApplicationCommandsResult;
}

export type SlashCommand = Command | { name: 'prefs.edit' };

const querySchema = z
  .string()
  .trim()
  .max(MAX_QUERY, `a query has at most ${MAX_QUERY} characters`)
  .nullable()
  .transform((q) => q || null);
const pageSchema = z.number().int().min(1).max(999_999).nullable();

/** A string option, checked again (Discord enforces max_length, but we do not trust the payload). */
function textOption(interaction: ChatInputCommandInteraction, name: string, max: number): string {
  const parsed = z.string().max(max).nullable().safeParse(interaction.options.getString(name));
  if (!parsed.success) throw new InvalidInputError(`${name} has at most ${max} characters.`);
  return (parsed.data ?? '').trim();
}

/** The shared parser's reading of the text the command stands for; it must be the command asked for. */
function shared(expected: string, text: string): Command {
  const command = parseCommand(text);
  if (!command.name.startsWith(expected)) throw new InvalidInputError(`I could not read "${text}".`);
  return command;
}

/** The Command a slash command invocation stands for; options are checked again here, not trusted. */
export function commandOf(interaction: ChatInputCommandInteraction): SlashCommand {
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(false);
  const key = [interaction.commandName, group, sub].filter(Boolean).join(' ');
  const page = () => {
    const parsed = pageSchema.safeParse(interaction.options.getInteger('page'));
    if (!parsed.success) throw new InvalidInputError('The page is a whole number from 1.');
    return parsed.data ?? 1;
  };
  switch (key) {
    case 'jobs list':
      return { name: 'jobs.list', page: page() };
    case 'jobs saved':
      return { name: 'jobs.saved', page: page() };
    case 'jobs fetch': {
      const query = querySchema.safeParse(interaction.options.getString('query'));
      if (!query.success) throw new InvalidInputError(query.error.issues[0]?.message ?? 'invalid query');
      return { name: 'jobs.fetch', query: query.data };
    }
    case 'prefs show':
      return { name: 'prefs.show' };
    case 'prefs edit':
      return { name: 'prefs.edit' };
    case 'prefs set':
      return shared('prefs.set', `/prefs set ${textOption(interaction, 'values', MAX_PREFS_TEXT)}`);
    case 'prefs reset learned':
      return shared('prefs.reset', '/prefs reset learned');
    case 'link':
      return shared('link.', `/link ${textOption(interaction, 'code', MAX_LINK_CODE)}`);
    case 'help':
      return { name: 'help' };
    default:
      throw new InvalidInputError(`/${key} is not a JobPing command. Try /help.`);
  }
}
