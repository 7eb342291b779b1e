import type { FastifyInstance } from 'fastify';
import type { RawHandler } from '../api/server.ts';
import type { Config } from '../config.ts';
import type { Messenger } from '../core/ports.ts';
import type { Platform } from '../core/types.ts';
import type { Logger } from '../log.ts';
import type { BotDeps } from './handlers.ts';

/**
 * How a chat platform plugs into JobPing. `main.ts` calls every starter in `platforms.ts`; each
 * returns null when its platform is not configured. In the web role a platform receives events
 * (HTTP routes, gateway, polling); in the worker role it only sends (its Messenger, for alerts).
 */

export interface PlatformContext {
  config: Config;
  bot: BotDeps;
  logger: Logger;
  /** Receive events here (web role). False in the worker role: build the messenger only. */
  receive: boolean;
  /** The shared HTTP server, before it listens (undefined when this process serves no HTTP). */
  http: FastifyInstance | undefined;
  /** Exact paths served by a raw Node handler ahead of Fastify (Slack's Bolt receiver). */
  rawRoutes: Map<string, RawHandler>;
}

export interface RunningPlatform {
  platform: Platform;
  messenger: Messenger;
  /**
   * Stop receiving and finish the events in hand (they may still queue jobs). Called on shutdown
   * before the queue drains, so `messenger` must keep working: running alerts still use it.
   */
  stop(): Promise<void>;
  /** Release what sending needs (connections, clients); called once the queue has drained. */
  close?(): Promise<void>;
}

export type PlatformStarter = (ctx: PlatformContext) => Promise<RunningPlatform | null>;
