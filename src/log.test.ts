import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ level: 'info', format: 'json', secrets }, stream);
  return { logger, text: () => lines.join('') };
}

describe('log redaction', () => {
  it('redacts tokens, API keys, signing secrets and authorization headers by key', () => {
    const { logger, text } = capture();
    logger.info(
      {
        token: 'tok-123456',
        config: { apiKey: 'sk-abcdefghijklmnopqrstuvwxyz', signingSecret: 'sign-abcdef' },
        req: { headers: { authorization: 'Bearer admin-token-value', 'x-slack-signature': 'v0=abc' } },
      },
      'request',
    );
    const out = text();
    for (const secret of [
      'tok-123456',
      'sk-abcdefghijklmnopqrstuvwxyz',
      'sign-abcdef',
      'admin-token-value',
      'v0=abc',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
  });

  it('removes DATABASE_URL passwords and configured secrets from messages and errors', () => {
    const { logger, text } = capture(['configured-secret-xyz']);
    logger.error(
      { err: new Error('connect failed for postgres://jobping:p4ssw0rd@db.internal:5432/jobping') },
      'token configured-secret-xyz leaked into a message',
    );
    const out = text();
    expect(out).not.toContain('p4ssw0rd');
    expect(out).not.toContain('configured-secret-xyz');
    expect(out).toContain('postgres://jobping:[REDACTED]@db.internal');
  });

  it('catches platform token shapes even when they are not configured here', () => {
    const { logger, text } = capture();
    logger.warn(
      { body: 'echo xoxb-111-222-abcdefgh and bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw' },
      'upstream said',
    );
    expect(text()).not.toMatch(/xoxb-111|AAHdqTcv/);
  });

  it('keeps error type, message and cause but not the objects libraries attach', () => {
    const { logger, text } = capture();
    const err = Object.assign(new Error('outer', { cause: new Error('inner') }), {
      client: { huge: 'x'.repeat(50) },
      code: 'E1',
    });
    logger.error({ err }, 'failed');
    const line = JSON.parse(text());
    expect(line.err).toMatchObject({
      type: 'Error',
      message: 'outer',
      code: 'E1',
      cause: { message: 'inner' },
    });
    expect(line.err.client).toBeUndefined();
  });
});
