import { describe, expect, it } from 'vitest';
import { decodeAction, digestPageActionId, reasonActionId } from '../core/actions.ts';
import { InvalidInputError } from '../core/errors.ts';
import { DEFAULT_PREFERENCES, DISMISS_REASONS } from '../core/types.ts';
import { parseCommand } from './commands.ts';
import { describePreferences, parsePreferenceChanges, splitAssignments } from './prefs.ts';

const parse = (text: string) => parsePreferenceChanges(splitAssignments(text));

function problem(text: string): string {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof InvalidInputError) return err.message;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('delivery preferences', () => {
  it('reads digest time and days, time zone, quiet hours, cap and alert platform', () => {
    expect(
      parse(
        'digest=8:30 digest_days=weekdays tz=america/new_york quiet=22:00-07:30 cap=5 alerts_on=Telegram',
      ),
    ).toEqual({
      digestTime: '08:30',
      digestDays: 'weekdays',
      timeZone: 'America/New_York',
      quietStart: '22:00',
      quietEnd: '07:30',
      dailyCap: 5,
      alertPlatform: 'telegram',
    });
    expect(parse('quiet=off cap=none alerts_on=last')).toEqual({
      quietStart: null,
      quietEnd: null,
      dailyCap: null,
      alertPlatform: null,
    });
    expect(parse('timezone=UTC days=daily')).toEqual({ timeZone: 'UTC', digestDays: 'daily' });
  });

  it('explains every bad value at once, and saves nothing', () => {
    const message = problem(
      'digest=25:00 tz=Mars/Base quiet=22:00 cap=0.5 alerts_on=email digest_days=sundays',
    );
    expect(message).toMatch(/^Nothing was saved\./);
    expect(message).toContain('digest: expected a 24-hour time like 08:30 for the digest');
    expect(message).toContain('tz: unknown time zone; use an IANA name like Europe/Berlin');
    expect(message).toContain('quiet: expected two 24-hour times like 22:00-08:00');
    expect(message).toContain('cap: expected a whole number from 1 to 100, or none');
    expect(message).toContain('alerts_on: expected console, slack, discord, telegram or last');
    expect(message).toContain('digest_days: expected daily or weekdays');
    expect(problem('quiet=08:00-08:00')).toContain('the window starts and ends at the same time');
  });

  it('describes the delivery policy', () => {
    const lines = describePreferences({
      ...DEFAULT_PREFERENCES,
      dailyCap: 3,
      quietStart: '22:00',
      quietEnd: '08:00',
      timeZone: 'Europe/Berlin',
    });
    expect(lines).toContain('alerts: instant, score ≥ 70, at most 3 a day');
    expect(lines).toContain('quiet hours: 22:00–08:00');
    expect(lines).toContain('time zone: Europe/Berlin');
    expect(lines).toContain('alerts go to: the platform you used last');
    expect(
      describePreferences({ ...DEFAULT_PREFERENCES, alertMode: 'digest', digestDays: 'weekdays' }),
    ).toContain('digest: 08:00 on weekdays');
  });
});

describe('commands and buttons', () => {
  it('/link, /link CODE and /prefs reset learned', () => {
    expect(parseCommand('/link')).toEqual({ name: 'link.start' });
    expect(parseCommand('/link abcd 2345')).toEqual({ name: 'link.redeem', code: 'abcd2345' });
    expect(() => parseCommand('/link <script>')).toThrow(/is not a link code/);
    expect(parseCommand('/prefs reset learned')).toEqual({ name: 'prefs.reset', what: 'learned' });
    expect(() => parseCommand('/prefs reset everything')).toThrow(/Reset what\?/);
  });

  it('dismiss reasons and digest pages fit in 64 bytes and decode back', () => {
    for (const reason of DISMISS_REASONS) {
      const id = reasonActionId(reason, 999_999_999_999_999);
      expect(Buffer.byteLength(id)).toBeLessThanOrEqual(64);
      expect(decodeAction(id)).toEqual({ name: 'match.reason', reason, matchId: 999_999_999_999_999 });
    }
    expect(decodeAction(digestPageActionId(45, 2))).toEqual({ name: 'digest.page', digestId: 45, page: 2 });
    expect(decodeAction('r:bored:1')).toBeNull();
    expect(decodeAction('d:x:1')).toBeNull();
  });
});
