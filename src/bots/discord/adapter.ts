import { Client, Events, GatewayIntentBits, type Interaction, Partials, REST } from 'discord.js';
import type { PlatformStarter } from '../platform.ts';
import { handleInteraction, type InteractionDeps } from './interactions.ts';
import { createDiscordMessenger } from './messenger.ts';

/**
 * Discord over the gateway (discord.js 14). Interactions need no privileged intent; `Guilds` only
 * keeps servers and channels cached so interactions resolve them, and partial DM channels are
 * allowed so commands in DMs do too. The worker role only sends alerts: a REST client, no gateway.
 */

export interface DiscordTuning {
  /** Use of an interaction token after it arrives; Discord's is 15 minutes, we keep a minute spare. */
  followUpWindowMs?: number;
  /** When a quick command is deferred first (Discord wants an answer within 3 s). */
  deferAfterMs?: number;
}

export function discordStarter(tuning: DiscordTuning = {}): PlatformStarter {
  return async ({ config, bot, logger, receive }) => {
    const { token, applicationId, apiUrl } = config.discord;
    if (!token || !applicationId) return null;
    const log = logger.child({ platform: 'discord' });
    const rest = apiUrl ? { api: apiUrl } : {};
    if (!receive) {
      const client = new REST(rest).setToken(token);
      return { platform: 'discord', messenger: createDiscordMessenger(client), stop: async () => {} };
    }

    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      partials: [Partials.Channel],
      rest,
    });
    const deps: InteractionDeps = {
      bot,
      rest: client.rest,
      logger: log,
      followUpWindowMs: tuning.followUpWindowMs ?? 14 * 60_000,
      deferAfterMs: tuning.deferAfterMs ?? 2000,
    };
    const onInteraction = (interaction: Interaction) => void handleInteraction(deps, interaction);
    client.on(Events.InteractionCreate, onInteraction);
    client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    client.on(Events.ShardDisconnect, (event) =>
      log.warn({ code: event.code }, 'discord gateway closed for good'),
    );
    client.on(Events.ShardResume, (_, replayed) => log.info({ replayed }, 'discord gateway resumed'));
    client.on(Events.ShardReady, () => log.info({}, 'discord gateway ready'));
    try {
      await client.login(token);
    } catch (err) {
      await client.destroy();
      throw err;
    }
    log.info({ user: client.user?.tag }, 'connected to Discord');
    return {
      platform: 'discord',
      messenger: createDiscordMessenger(client.rest),
      // client.destroy() also clears the REST client's token, which alerts still running during
      // shutdown send with: on stop only new interactions are ignored; destroy once they are done.
      stop: async () => void client.off(Events.InteractionCreate, onInteraction),
      close: () => client.destroy(),
    };
  };
}

export const startDiscord = discordStarter();
