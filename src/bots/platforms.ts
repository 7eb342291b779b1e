import { startDiscord } from './discord/adapter.ts';
import type { PlatformStarter } from './platform.ts';
import { slackStarter } from './slack/start.ts';
import { startTelegram } from './telegram/index.ts';

/** Every chat platform JobPing can run; each starter returns null when it is not configured. */
export const platformStarters: PlatformStarter[] = [slackStarter(), startDiscord, startTelegram];
