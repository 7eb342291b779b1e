import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../core/errors.ts';
import { UndeliverableError } from '../../core/ports.ts';
import { loggable, toDomainError } from './messenger.ts';

const apiError = (status: number, code: number, url = 'https://discord.com/api/v10/channels/1/messages') =>
  new DiscordAPIError({ message: `error ${code}`, code }, code, status, 'POST', url, { body: {} });

describe('Discord errors', () => {
  it('closed DMs, no shared server and unknown users make the account undeliverable', () => {
    for (const code of [50007, 50278, 10013])
      expect(toDomainError(apiError(403, code))).toBeInstanceOf(UndeliverableError);
  });

  it('server errors may be retried, refusals may not', () => {
    const server = toDomainError(apiError(502, 0));
    expect(server).toBeInstanceOf(UpstreamError);
    expect((server as UpstreamError).retryable).toBe(true);
    expect((toDomainError(apiError(403, 50001)) as UpstreamError).retryable).toBe(false);
  });

  it('interaction tokens never reach the log', () => {
    const err = apiError(
      404,
      10062,
      'https://discord.com/api/v10/webhooks/126/aW50ZXJhY3Rpb246SECRET/messages/@original',
    );
    const logged = JSON.stringify(loggable(err), ['name', 'message', 'url', 'code', 'status', 'method']);
    expect(logged).not.toContain('SECRET');
    expect(logged).toContain('/webhooks/126/<token>/messages/@original');
    expect(logged).toContain('10062');
  });
});
