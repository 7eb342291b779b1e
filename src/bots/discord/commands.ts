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

/**
 * The slash commands JobPing registers, and what an invocation of one means. Discord allows no
 * bare `/jobs` beside subcommands, so the list is `/jobs list`; `/prefs edit` opens a form instead
 * of `/prefs set key=value`.
 */

const MAX_QUERY = 200;

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
          description: 'Change your preferences',
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

/** The Command a slash command invocation stands for; options are checked again here, not trusted. */
export function commandOf(interaction: ChatInputCommandInteraction): SlashCommand {
  const sub = interaction.options.getSubcommand(false);
  const key = sub ? `${interaction.commandName} ${sub}` : interaction.commandName;
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
    case 'help':
      return { name: 'help' };
    default:
      throw new InvalidInputError(`/${key} is not a JobPing command. Try /help.`);
  }
}
