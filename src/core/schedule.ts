/**
 * Local time for delivery policies: quiet hours, digest time and the daily cap, in the user's IANA
 * time zone. Every conversion goes through `Intl` (the platform's time-zone database); the one
 * rule added here is how a wall-clock time that does not exist or exists twice on a DST day maps
 * to an instant, and it is Temporal's "compatible" rule: a skipped time moves forward by the gap,
 * a repeated time takes its first occurrence. Pure: the current instant is always an argument.
 */

export const DIGEST_DAY_OPTIONS = ['daily', 'weekdays'] as const;
export type DigestDays = (typeof DIGEST_DAY_OPTIONS)[number];

/** When a user wants to hear from JobPing. Times are minutes after local midnight. */
export interface DeliveryPolicy {
  timeZone: string;
  quiet: { start: number; end: number } | null;
  digestAt: number;
  digestDays: DigestDays;
  /** Instant alerts per local day; null: no cap. */
  dailyCap: number | null;
}

/** The delivery policy as preferences store it ("HH:MM" strings). */
export interface StoredPolicy {
  timeZone: string;
  quietStart: string | null;
  quietEnd: string | null;
  digestTime: string;
  digestDays: DigestDays;
  dailyCap: number | null;
}

/** The policy from stored preferences. */
export function policyOf(p: StoredPolicy): DeliveryPolicy {
  const start = p.quietStart === null ? null : parseClock(p.quietStart);
  const end = p.quietEnd === null ? null : parseClock(p.quietEnd);
  return {
    timeZone: p.timeZone,
    quiet: start === null || end === null || start === end ? null : { start, end },
    digestAt: parseClock(p.digestTime) ?? 8 * 60,
    digestDays: p.digestDays,
    dailyCap: p.dailyCap,
  };
}

export interface LocalTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** Minutes after local midnight, 0–1439. */
  minutes: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(instant: Date, timeZone: string) {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function localTime(instant: Date, timeZone: string): LocalTime {
  const w = wallClock(instant, timeZone);
  return {
    date: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`,
    minutes: w.hour * 60 + w.minute,
    weekday: w.weekday,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +2 h). */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The calendar date `days` after `date` (dates have no zone: plain calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** The instant a local wall-clock time happens (see the DST rule at the top of the file). */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  // The offsets on either side of any transition near this time; one of them is the right one.
  const before = offsetAt(new Date(wall - 86_400_000), timeZone);
  const after = offsetAt(new Date(wall + 86_400_000), timeZone);
  const fits = (instant: number) => {
    const t = localTime(new Date(instant), timeZone);
    return t.date === date && t.minutes === minutes;
  };
  const candidates = [wall - before, wall - after].filter(fits);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In a gap (spring forward): read the time with the offset from before the gap, i.e. later.
  return new Date(wall - before);
}

/** Where the user's local day of `now` starts and ends, as instants (23 or 25 hours on DST days). */
export function localDay(now: Date, timeZone: string): { date: string; start: Date; end: Date } {
  const { date } = localTime(now, timeZone);
  return {
    date,
    start: zonedInstant(date, 0, timeZone),
    end: zonedInstant(addDays(date, 1), 0, timeZone),
  };
}

/** "22:00" → 1320. Null for anything that is not a 24-hour time. */
export function parseClock(text: string): number | null {
  const m = /^([01]?\d|2[0-3])(?::?([0-5]\d))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2] ?? 0);
}

export function formatClock(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Inside [start, end) of the quiet window; a window may wrap midnight (22:00–08:00). */
export function isQuiet(quiet: DeliveryPolicy['quiet'], minutes: number): boolean {
  if (!quiet) return false;
  return quiet.start < quiet.end
    ? minutes >= quiet.start && minutes < quiet.end
    : minutes >= quiet.start || minutes < quiet.end;
}

/** When the quiet window `now` is in ends; null when `now` is not in quiet hours. */
export function quietEndsAt(policy: DeliveryPolicy, now: Date): Date | null {
  const t = localTime(now, policy.timeZone);
  if (!policy.quiet || !isQuiet(policy.quiet, t.minutes)) return null;
  const endDate = t.minutes < policy.quiet.end ? t.date : addDays(t.date, 1);
  const end = zonedInstant(endDate, policy.quiet.end, policy.timeZone);
  // A window ending in a DST gap maps to an instant at or before now only in pathological zones.
  return end > now ? end : new Date(now.getTime() + 60_000);
}

/** How late a digest may still go out after its time (a worker down for a while catches up). */
export const DIGEST_CATCH_UP_MINUTES = 6 * 60;

/**
 * The local date of the digest due at `now`, or null: due from the digest time for a few hours
 * on the allowed days, outside quiet hours, and only when none went out for that date yet.
 */
export function digestDue(policy: DeliveryPolicy, now: Date, lastDigestDate: string | null): string | null {
  const t = localTime(now, policy.timeZone);
  if (lastDigestDate !== null && lastDigestDate >= t.date) return null;
  if (policy.digestDays === 'weekdays' && t.weekday > 5) return null;
  const late = t.minutes - policy.digestAt;
  if (late < 0 || late >= DIGEST_CATCH_UP_MINUTES) return null;
  if (isQuiet(policy.quiet, t.minutes)) return null;
  return t.date;
}

export interface ReleaseItem {
  id: number;
  kind: 'alert' | 'change';
  score: number;
}

export interface ReleasePlan {
  /** Send now. */
  send: number[];
  /** Keep until the quiet window ends. */
  hold: { until: Date; ids: number[] } | null;
  /** Over the daily cap: not sent on its own; the match waits for the digest. */
  overCap: number[];
}

/**
 * What to do with one user's pending alerts and change messages at `now`: hold everything in
 * quiet hours; otherwise send change messages, and the best alerts up to what is left of the
 * day's cap (`sentToday` alerts already went out this local day).
 */
export function planRelease(
  policy: DeliveryPolicy,
  now: Date,
  sentToday: number,
  items: ReleaseItem[],
): ReleasePlan {
  const until = quietEndsAt(policy, now);
  if (until) return { send: [], hold: { until, ids: items.map((i) => i.id) }, overCap: [] };
  const changes = items.filter((i) => i.kind === 'change').map((i) => i.id);
  const alerts = items.filter((i) => i.kind === 'alert').sort((a, b) => b.score - a.score || a.id - b.id);
  const room = policy.dailyCap === null ? alerts.length : Math.max(0, policy.dailyCap - sentToday);
  return {
    send: [...changes, ...alerts.slice(0, room).map((a) => a.id)],
    hold: null,
    overCap: alerts.slice(room).map((a) => a.id),
  };
}

let zoneNames: Map<string, string> | undefined;

/** The canonical IANA name for what a user typed ("europe/berlin" → "Europe/Berlin"), or null. */
export function resolveTimeZone(text: string): string | null {
  zoneNames ??= new Map(['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => [z.toLowerCase(), z]));
  const typed = text.trim().replaceAll(' ', '_');
  const known = zoneNames.get(typed.toLowerCase());
  if (known) return known;
  try {
    // Links such as "US/Pacific" resolve to a canonical zone.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: typed }).resolvedOptions().timeZone;
    return zoneNames.get(resolved.toLowerCase()) ?? null;
  } catch {
    return null;
  }
}
