import { describe, expect, it } from 'vitest';
import { dedupKey, normalizeTags, parsePostedAt, resolveRemote } from './posting-fields.ts';

const now = new Date('2026-09-26T12:00:00Z');

describe('parsePostedAt', () => {
  it.each([
    ['2026-08-06T12:50:10-04:00', '2026-08-06T16:50:10.000Z'],
    ['2026-09-24T16:00:06+00:00', '2026-09-24T16:00:06.000Z'],
    ['2021-03-10T09:15:00.123+05:30', '2021-03-10T03:45:00.123Z'],
    ['2026-09-18T14:37:22.684Z', '2026-09-18T14:37:22.684Z'],
    ['2026-09-18 13:27:28 UTC', '2026-09-18T13:27:28.000Z'],
    ['2026-09-21T12:55:11', '2026-09-21T12:55:11.000Z'],
    ['2026-09-18', '2026-09-18T00:00:00.000Z'],
    ['Tue, 22 Sep 2026 10:00:00 GMT', '2026-09-22T10:00:00.000Z'],
    ['1790412915', '2026-09-26T08:55:15.000Z'],
  ])('%s', (value, iso) => {
    expect(parsePostedAt(value, now)?.toISOString()).toBe(iso);
  });

  it('tells epoch seconds from milliseconds by size', () => {
    expect(parsePostedAt(1790412915, now)?.toISOString()).toBe('2026-09-26T08:55:15.000Z');
    expect(parsePostedAt(1782214185805, now)?.toISOString()).toBe('2026-06-23T11:29:45.805Z');
  });

  it('accepts a Date', () => {
    expect(parsePostedAt(new Date('2026-09-01T00:00:00Z'), now)?.toISOString()).toBe(
      '2026-09-01T00:00:00.000Z',
    );
  });

  it.each([
    ['garbage', 'Posted 30+ Days Ago'],
    ['an impossible date', '2026-02-31'],
    ['a bad hour', '2026-09-01T25:00:00Z'],
    ['an invalid Date', new Date('nope')],
    ['zero', 0],
    ['a negative epoch', -5],
    ['NaN', Number.NaN],
    ['more than a day ahead', '2026-09-28T12:00:00Z'],
    ['epoch far in the future', 4_102_444_800],
    ['before job boards existed', '1970-01-02'],
    ['null', null],
    ['undefined', undefined],
  ])('null for %s', (_label, value) => {
    expect(parsePostedAt(value as string | number | Date | null | undefined, now)).toBeNull();
  });

  it('allows a little clock skew into the future', () => {
    expect(parsePostedAt('2026-09-27T06:00:00Z', now)).not.toBeNull();
  });
});

describe('resolveRemote', () => {
  const fields = (title: string, location: string | null = null, description = '') => ({
    title,
    location,
    description,
  });

  it("uses the board's mode when it has one", () => {
    expect(resolveRemote('onsite', fields('Remote Engineer'))).toBe('onsite');
    expect(resolveRemote(true, fields('Engineer', 'Berlin'))).toBe('remote');
  });

  it('a false flag means on-site, unless the text says hybrid', () => {
    expect(resolveRemote(false, fields('Engineer', 'Berlin'))).toBe('onsite');
    expect(resolveRemote(false, fields('Engineer', 'Berlin', 'Two days a week in the office.'))).toBe(
      'hybrid',
    );
  });

  it.each([
    ['Remote (Europe)', 'remote'],
    ['London, UK / Remote', 'remote'],
    ['Anywhere (fully remote)', 'remote'],
    ['Hybrid - London', 'hybrid'],
    ['Utrecht | HYBRID', 'hybrid'],
    ['On-site, Zürich', 'onsite'],
    ['Berlin', 'unknown'],
  ])('from the location %s', (location, mode) => {
    expect(resolveRemote(null, fields('Engineer', location))).toBe(mode);
  });

  it.each([
    ['We are a distributed team across 14 time zones.', 'remote'],
    ['You can work from home every day.', 'remote'],
    ['WFH friendly.', 'remote'],
    ['Work from anywhere.', 'remote'],
    ['We meet in our office three days a week in the office.', 'hybrid'],
    ['Three days a week in our office, two from home.', 'hybrid'],
    ['2-3 days in office per week.', 'hybrid'],
    ['Mondays and Fridays from home.', 'hybrid'],
    ['This role is in-person at our lab.', 'onsite'],
    ['On-site at our Raffles Place office.', 'onsite'],
    ['Sorry, no remote: this role is on-site.', 'onsite'],
    ['Solid knowledge of distributed systems.', 'unknown'],
    ['You will join the on-call rotation.', 'unknown'],
    ['', 'unknown'],
  ])('from the description %j', (description, mode) => {
    expect(resolveRemote(undefined, fields('Engineer', null, description))).toBe(mode);
  });

  it('the title and location outrank the description', () => {
    expect(
      resolveRemote(null, fields('Engineer', 'Remote (US)', 'Hybrid options for those near our office.')),
    ).toBe('remote');
  });

  it('an "unknown" from the board is detected like a missing flag', () => {
    expect(resolveRemote('unknown', fields('Engineer', 'Remote'))).toBe('remote');
  });

  it('only reads the start of a long description', () => {
    expect(resolveRemote(null, fields('Engineer', null, `${'x '.repeat(3000)}Fully remote.`))).toBe(
      'unknown',
    );
  });
});

describe('normalizeTags', () => {
  it('trims, lower-cases, de-duplicates and caps at 30', () => {
    expect(normalizeTags([' Go ', 'GO', 'Node  JS', ''])).toEqual(['go', 'node js']);
    expect(normalizeTags(Array.from({ length: 50 }, (_, i) => `t${i}`))).toHaveLength(30);
    expect(normalizeTags(undefined)).toEqual([]);
  });
});

describe('dedupKey', () => {
  it('ignores case, punctuation and surrounding space', () => {
    expect(dedupKey('Lumenfield', 'Senior Backend Engineer (Node.js)', 'Remote (US)')).toBe(
      dedupKey('Lumenfield', 'Senior Backend Engineer - Node.js', 'Remote (US)'),
    );
    expect(dedupKey('Halvard Freight', 'Senior Backend Engineer', 'Berlin, Germany')).toBe(
      dedupKey('Halvard Freight', 'Senior Backend Engineer', 'berlin, germany '),
    );
  });

  it('removes diacritics', () => {
    expect(dedupKey('Café Numérique', 'Développeur', 'Zürich')).toBe('cafe numerique|developpeur|zurich');
  });

  it.each([
    ['Acme Inc.', 'Acme'],
    ['Acme, Inc', 'Acme'],
    ['Acme LLC', 'Acme'],
    ['Acme Ltd', 'Acme'],
    ['Acme GmbH', 'Acme'],
    ['Acme B.V.', 'Acme'],
    ['Acme S.A.', 'Acme'],
    ['Acme AG', 'Acme'],
    ['Acme plc', 'Acme'],
    ['Wattlebird & Co', 'Wattlebird'],
    ['Acme Co., Ltd.', 'Acme'],
  ])('drops the legal suffix of %s', (a, b) => {
    expect(dedupKey(a, 'Engineer', null)).toBe(dedupKey(b, 'Engineer', null));
  });

  it('keeps a company that is only a suffix-like word', () => {
    expect(dedupKey('Co', 'Engineer', null)).toBe('co|engineer|');
  });

  it('keeps C++, C# and .NET apart', () => {
    const keys = ['C++ Developer', 'C# Developer', '.NET Developer', 'C Developer'].map((t) =>
      dedupKey('Acme', t, 'Oslo'),
    );
    expect(new Set(keys).size).toBe(4);
  });

  it('ignores gender markers of German boards', () => {
    expect(dedupKey('Doctolib', 'Werkstudent Customer Success (x/f/m)', 'Berlin')).toBe(
      dedupKey('Doctolib', 'Werkstudent Customer Success (m/w/d)', 'Berlin'),
    );
  });

  it('tells different jobs apart', () => {
    expect(dedupKey('Acme', 'Backend Engineer', 'Berlin')).not.toBe(
      dedupKey('Acme', 'Frontend Engineer', 'Berlin'),
    );
    expect(dedupKey('Acme', 'Backend Engineer', 'Berlin')).not.toBe(
      dedupKey('Acme', 'Backend Engineer', 'Munich'),
    );
  });
});
