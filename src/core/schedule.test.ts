import { describe, expect, it } from 'vitest';
import {
  addDays,
  type DeliveryPolicy,
  digestDue,
  isQuiet,
  localDay,
  localTime,
  parseClock,
  planRelease,
  quietEndsAt,
  resolveTimeZone,
  zonedInstant,
} from './schedule.ts';

const at = (iso: string) => new Date(iso);
const berlin: DeliveryPolicy = {
  timeZone: 'Europe/Berlin',
  quiet: { start: 22 * 60, end: 8 * 60 },
  digestAt: 8 * 60 + 30,
  digestDays: 'daily',
  dailyCap: null,
};

describe('local time through Intl', () => {
  it.each([
    ['2025-03-29T12:00:00Z', 'Europe/Berlin', '2025-03-29', '13:00', 6],
    ['2025-03-30T01:30:00Z', 'Europe/Berlin', '2025-03-30', '03:30', 7], // just after spring forward
    ['2025-10-26T00:30:00Z', 'Europe/Berlin', '2025-10-26', '02:30', 7], // first 02:30
    ['2025-10-26T01:30:00Z', 'Europe/Berlin', '2025-10-26', '02:30', 7], // second 02:30
    ['2025-06-02T03:00:00Z', 'America/New_York', '2025-06-01', '23:00', 7],
    ['2025-06-02T03:00:00Z', 'Asia/Kolkata', '2025-06-02', '08:30', 1],
    ['2025-06-02T03:00:00Z', 'UTC', '2025-06-02', '03:00', 1],
  ])('%s in %s is %s %s (weekday %i)', (iso, zone, date, clock, weekday) => {
    const t = localTime(at(iso), zone);
    expect(t.date).toBe(date);
    expect(
      `${String(Math.floor(t.minutes / 60)).padStart(2, '0')}:${String(t.minutes % 60).padStart(2, '0')}`,
    ).toBe(clock);
    expect(t.weekday).toBe(weekday);
  });

  it.each([
    ['2025-03-29', 8 * 60, 'Europe/Berlin', '2025-03-29T07:00:00.000Z'],
    ['2025-03-30', 8 * 60, 'Europe/Berlin', '2025-03-30T06:00:00.000Z'], // summer time from 02:00
    ['2025-03-30', 2 * 60 + 30, 'Europe/Berlin', '2025-03-30T01:30:00.000Z'], // skipped: read as 03:30
    ['2025-10-26', 2 * 60 + 30, 'Europe/Berlin', '2025-10-26T00:30:00.000Z'], // twice: the first one
    ['2025-10-26', 8 * 60, 'Europe/Berlin', '2025-10-26T07:00:00.000Z'],
    ['2025-03-09', 2 * 60 + 30, 'America/New_York', '2025-03-09T07:30:00.000Z'], // US gap: 03:30 EDT
    ['2025-06-02', 0, 'Asia/Kolkata', '2025-06-01T18:30:00.000Z'],
  ])('%s at minute %i in %s is %s', (date, minutes, zone, iso) => {
    expect(zonedInstant(date, minutes, zone).toISOString()).toBe(iso);
  });

  it('local days are 23 and 25 hours long on DST days', () => {
    const spring = localDay(at('2025-03-30T12:00:00Z'), 'Europe/Berlin');
    expect(spring.date).toBe('2025-03-30');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    const autumn = localDay(at('2025-10-26T12:00:00Z'), 'Europe/Berlin');
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
});

describe('quiet hours', () => {
  it('a window may wrap midnight; its end is exclusive', () => {
    const q = { start: 22 * 60, end: 8 * 60 };
    expect([21 * 60 + 59, 22 * 60, 3 * 60, 7 * 60 + 59, 8 * 60].map((m) => isQuiet(q, m))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    const lunch = { start: 12 * 60, end: 13 * 60 };
    expect([11 * 60 + 59, 12 * 60, 13 * 60].map((m) => isQuiet(lunch, m))).toEqual([false, true, false]);
    expect(isQuiet(null, 0)).toBe(false);
  });

  it.each([
    // 23:00 Berlin on Saturday 29 March: the night the clocks spring forward, ends 08:00 CEST.
    ['2025-03-29T22:00:00Z', '2025-03-30T06:00:00.000Z'],
    // 01:00 local on the autumn night: the night is an hour longer, ends 08:00 CET.
    ['2025-10-25T23:00:00Z', '2025-10-26T07:00:00.000Z'],
    // 07:59 local: ends a minute later.
    ['2025-06-02T05:59:00Z', '2025-06-02T06:00:00.000Z'],
    // 08:00 local and 21:59 local: not quiet.
    ['2025-06-02T06:00:00Z', null],
    ['2025-06-02T19:59:00Z', null],
  ])('at %s the window ends at %s', (now, end) => {
    expect(quietEndsAt(berlin, at(now))?.toISOString() ?? null).toBe(end);
  });
});

describe('digest time', () => {
  const weekdays: DeliveryPolicy = { ...berlin, digestDays: 'weekdays' };

  it('is due from its local time, once per local date', () => {
    expect(digestDue(berlin, at('2025-06-02T06:29:00Z'), null)).toBeNull(); // 08:29 local
    expect(digestDue(berlin, at('2025-06-02T06:30:00Z'), null)).toBe('2025-06-02');
    expect(digestDue(berlin, at('2025-06-02T06:45:00Z'), '2025-06-02')).toBeNull();
    expect(digestDue(berlin, at('2025-06-03T06:30:00Z'), '2025-06-02')).toBe('2025-06-03');
    // Hours late (a worker was down) it still goes out; much later that day it does not.
    expect(digestDue(berlin, at('2025-06-02T12:00:00Z'), '2025-06-01')).toBe('2025-06-02');
    expect(digestDue(berlin, at('2025-06-02T19:00:00Z'), '2025-06-01')).toBeNull();
  });

  it('follows the local clock across DST changes', () => {
    // 08:30 local is 07:30 UTC the day before spring forward and 06:30 UTC on the day itself.
    expect(digestDue(berlin, at('2025-03-29T07:30:00Z'), null)).toBe('2025-03-29');
    expect(digestDue(berlin, at('2025-03-30T06:29:00Z'), '2025-03-29')).toBeNull();
    expect(digestDue(berlin, at('2025-03-30T06:30:00Z'), '2025-03-29')).toBe('2025-03-30');
    expect(digestDue(berlin, at('2025-10-26T07:30:00Z'), '2025-10-25')).toBe('2025-10-26');
    expect(digestDue(berlin, at('2025-10-26T06:30:00Z'), '2025-10-25')).toBeNull();
    // A time skipped by the clock change (02:30) goes out as soon as the day passes it.
    const early = { ...berlin, quiet: null, digestAt: 2 * 60 + 30 };
    expect(digestDue(early, at('2025-03-30T00:59:00Z'), '2025-03-29')).toBeNull(); // 01:59 CET
    expect(digestDue(early, at('2025-03-30T01:00:00Z'), '2025-03-29')).toBe('2025-03-30'); // 03:00 CEST
    // A time that happens twice (02:30 in October) goes out once.
    expect(digestDue(early, at('2025-10-26T00:30:00Z'), '2025-10-25')).toBe('2025-10-26');
    expect(digestDue(early, at('2025-10-26T01:30:00Z'), '2025-10-26')).toBeNull();
  });

  it('skips Saturday and Sunday with weekdays', () => {
    expect(digestDue(weekdays, at('2025-06-06T06:30:00Z'), null)).toBe('2025-06-06'); // Friday
    expect(digestDue(weekdays, at('2025-06-07T06:30:00Z'), '2025-06-06')).toBeNull(); // Saturday
    expect(digestDue(weekdays, at('2025-06-08T06:30:00Z'), '2025-06-06')).toBeNull(); // Sunday
    expect(digestDue(weekdays, at('2025-06-09T06:30:00Z'), '2025-06-06')).toBe('2025-06-09'); // Monday
  });

  it('waits for quiet hours to end', () => {
    const early = { ...berlin, digestAt: 7 * 60 };
    expect(digestDue(early, at('2025-06-02T05:00:00Z'), null)).toBeNull(); // 07:00, quiet until 08:00
    expect(digestDue(early, at('2025-06-02T06:00:00Z'), null)).toBe('2025-06-02');
  });
});

describe('release plan', () => {
  const items = [
    { id: 1, kind: 'alert' as const, score: 71 },
    { id: 2, kind: 'alert' as const, score: 93 },
    { id: 3, kind: 'change' as const, score: 50 },
    { id: 4, kind: 'alert' as const, score: 85 },
  ];

  it('holds everything in quiet hours until the window ends', () => {
    const plan = planRelease(berlin, at('2025-06-02T23:00:00Z'), 0, items);
    expect(plan.send).toEqual([]);
    expect(plan.hold).toEqual({ until: at('2025-06-03T06:00:00Z'), ids: [1, 2, 3, 4] });
  });

  it('sends the best alerts up to what is left of the cap; change messages are never capped', () => {
    const capped = { ...berlin, dailyCap: 3 };
    const plan = planRelease(capped, at('2025-06-02T10:00:00Z'), 1, items);
    expect(plan.send).toEqual([3, 2, 4]);
    expect(plan.overCap).toEqual([1]);
    expect(planRelease(capped, at('2025-06-02T10:00:00Z'), 5, items).send).toEqual([3]);
    expect(planRelease(berlin, at('2025-06-02T10:00:00Z'), 50, items).overCap).toEqual([]);
  });
});

describe('parsing', () => {
  it('reads 24-hour clock times', () => {
    expect(['08:30', '8:30', '0830', '22', '23:59', '24:00', '8:3', 'noon'].map(parseClock)).toEqual([
      510,
      510,
      510,
      1320,
      1439,
      null,
      null,
      null,
    ]);
  });

  it('knows IANA zones whatever their case, and canonicalises links', () => {
    expect(resolveTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('America/New York')).toBe('America/New_York');
    expect(resolveTimeZone('UTC')).toBe('UTC');
    expect(resolveTimeZone('Mars/Olympus')).toBeNull();
    expect(resolveTimeZone('CEST')).toBeNull();
  });
});
