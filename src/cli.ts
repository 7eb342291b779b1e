import os from 'node:os';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { startConsoleChat } from './bots/console/adapter.ts';
import { registerSlashCommands } from './bots/discord/commands.ts';
import { followFetch } from './bots/fetch-progress.ts';
import { SOURCES_USAGE, sourcesCommand } from './cli-sources.ts';
import { type Config, ConfigError, loadConfig, platformStatus, secretValues } from './config.ts';
import { openDatabase } from './db/database.ts';
import { listRates, parseRateAssignments, setRates } from './db/rates.ts';
import { createLogger, type Logger } from './log.ts';
import { type Role, type RunningApp, startApp } from './main.ts';
import { requestFetch } from './pipeline/fetch.ts';

/** The `jobping` command. Exit status: 0 ok, 1 failure, 2 bad usage or bad configuration. */

export const USAGE = `Usage: jobping <command> [options]

Commands:
  start [--role all|web|worker]   run JobPing (default role: all); with no chat platform
                                  configured and a terminal attached, also opens the console chat
  chat                            the console bot: /jobs, /prefs, /help in this terminal
  fetch [--source ID] [--query TEXT]
                                  fetch now (all sources, or one), show progress, and exit
${SOURCES_USAGE}
  migrate                         apply database migrations and exit
  discord register [--guild ID]   register JobPing's slash commands with Discord (in one
                                  server with --guild: instant, for testing; else globally)
  rates [set CUR=RATE …]          show, or set, the currency rates (units per US dollar) that
                                  salary floors are compared with, e.g. rates set EUR=0.92
  help                            show this help

Options:
  -h, --help                      show this help

Environment variables configure everything else; see README.md.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  /** A terminal on stdin and stdout (the console bot offers itself then). */
  interactive?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** The console bot on this process's terminal, delivering alerts here while it runs. */
function openConsole(app: RunningApp, io: CliIo) {
  const user = os.userInfo().username;
  const chat = startConsoleChat({
    deps: app.bot,
    actor: { platform: 'console', externalId: user, displayName: user },
    input: io.input ?? process.stdin,
    output: (io.output ?? process.stdout) as Writable,
    interactive: io.interactive ?? false,
  });
  app.messengers.set('console', chat.messenger);
  return chat;
}

type Command = (args: string[], ctx: { config: Config; logger: Logger; io: CliIo }) => Promise<number>;

const ROLES = ['all', 'web', 'worker'] as const;

const commands: Record<string, Command> = {
  async start(args, { config, logger, io }) {
    const { values } = parseArgs({
      args,
      options: { role: { type: 'string', default: 'all' } },
      strict: true,
    });
    if (!ROLES.includes(values.role as Role))
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const role = values.role as Role;
    const app = await startApp(config, { role, logger, print: io.out });
    const anyPlatform = Object.values(platformStatus(config)).some((s) => s.enabled);
    const chat = role === 'all' && !anyPlatform && io.interactive ? openConsole(app, io) : undefined;
    io.out(
      chat
        ? 'No chat platform is configured: here is the console bot. Ctrl-C stops JobPing.'
        : 'Press Ctrl-C to stop.',
    );
    await Promise.race([waitForSignal(logger), chat?.closed ?? new Promise(() => {})]);
    chat?.close();
    io.out('Stopping JobPing…');
    await app.stop();
    io.out('Stopped.');
    return 0;
  },
  async chat(args, { config, logger, io }) {
    parseArgs({ args, options: {}, strict: true });
    const app = await startApp(config, { role: 'all', logger, http: false, receive: false, print: () => {} });
    const chat = openConsole(app, io);
    await Promise.race([waitForSignal(logger), chat.closed]);
    chat.close();
    await app.stop();
    return 0;
  },
  async fetch(args, { config, logger, io }) {
    const { values } = parseArgs({
      args,
      options: { source: { type: 'string', multiple: true }, query: { type: 'string' } },
      strict: true,
    });
    const app = await startApp(config, { role: 'all', logger, http: false, receive: false, print: () => {} });
    try {
      const request = await requestFetch(app.bot, {
        trigger: 'cli',
        userId: null,
        query: values.query ?? null,
        ...(values.source ? { sourceIds: values.source } : {}),
      });
      if (request.runs.length === 0) {
        io.err('No source is enabled.');
        return 1;
      }
      const progress = await followFetch(app.bot, request.id, (line) => io.out(line));
      return progress.sourcesFailed.length === progress.sources ? 1 : 0;
    } finally {
      await app.stop();
    }
  },
  async discord(args, { config, io }) {
    const [sub, ...rest] = args;
    if (sub !== 'register') throw new UsageError('usage: jobping discord register [--guild ID]');
    const { values } = parseArgs({ args: rest, options: { guild: { type: 'string' } }, strict: true });
    if (values.guild !== undefined && !/^\d{5,25}$/.test(values.guild))
      throw new UsageError('--guild must be a server id (digits)');
    const { token, applicationId, apiUrl } = config.discord;
    if (!token || !applicationId) {
      io.err('jobping discord register: set DISCORD_TOKEN and DISCORD_APPLICATION_ID first.');
      return 2;
    }
    const registered = await registerSlashCommands({ token, applicationId, apiUrl, guildId: values.guild });
    const names = registered.map((c) => `/${c.name}`).join(', ');
    io.out(`Registered ${names} ${values.guild ? `in server ${values.guild}` : 'globally'}.`);
    return 0;
  },
  sources: (args, ctx) => sourcesCommand(args, ctx),
  async migrate(args, { config, logger, io }) {
    parseArgs({ args, options: {}, strict: true });
    const db = await openDatabase(config, logger, { migrate: true });
    await db.close();
    io.out('Migrations are up to date.');
    return 0;
  },
  async rates(args, { config, logger, io }) {
    const [sub, ...pairs] = args;
    if (sub !== undefined && sub !== 'set')
      throw new UsageError(`rates has no "${sub}"; try rates set EUR=0.92`);
    let changes: ReturnType<typeof parseRateAssignments> = [];
    try {
      if (sub === 'set') changes = parseRateAssignments(pairs);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const db = await openDatabase(config, logger, { migrate: true });
    try {
      if (changes.length) await setRates(db.pool, changes, new Date().toISOString().slice(0, 10));
      for (const r of await listRates(db.pool))
        io.out(`${r.currency}  ${String(r.perUsd).padEnd(10)} as of ${r.asOf}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

/** Resolves on the first SIGINT/SIGTERM; a second one while stopping forces an exit. */
function waitForSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      const force = (again: NodeJS.Signals) => {
        logger.warn({ signal: again }, 'second signal: exiting without waiting');
        process.exit(1);
      };
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    (name ? io.out : io.err)(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`jobping: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`jobping: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    secrets: secretValues(config),
  });
  try {
    return await command(rest, { config, logger, io });
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`jobping ${name}: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    logger.fatal({ err }, `jobping ${name} failed`);
    io.err(`jobping ${name}: ${(err as Error).message}`);
    return 1;
  } finally {
    logger.flush?.();
  }
}
