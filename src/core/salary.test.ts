import { describe, expect, it } from 'vitest';
import { annualise, formatSalary, mentionsCurrency, parseSalaryFields, parseSalaryText } from './salary.ts';
import type { Salary } from './types.ts';

const salary = (
  min: number | null,
  max: number | null,
  currency: string,
  interval: Salary['interval'],
): Salary => ({ min, max, currency, interval });

describe('parseSalaryText', () => {
  it.each([
    ['$130k–150k / year', salary(130_000, 150_000, 'USD', 'year')],
    ['$160K – $190K + equity', salary(160_000, 190_000, 'USD', 'year')],
    ['€48,000–€58,000 gross per year', salary(48_000, 58_000, 'EUR', 'year')],
    ['£70,000 - £85,000', salary(70_000, 85_000, 'GBP', 'year')],
    ['£95,000 — £115,000 + equity', salary(95_000, 115_000, 'GBP', 'year')],
    ['CA$175,000 – CA$205,000 base + bonus', salary(175_000, 205_000, 'CAD', 'year')],
    ['CA$110k–130k', salary(110_000, 130_000, 'CAD', 'year')],
    ['C$90,000 to C$100,000', salary(90_000, 100_000, 'CAD', 'year')],
    ['A$140,000 + super', salary(140_000, 140_000, 'AUD', 'year')],
    ['AU$120k-140k', salary(120_000, 140_000, 'AUD', 'year')],
    ['US$120k', salary(120_000, 120_000, 'USD', 'year')],
    ['CHF 140,000–165,000', salary(140_000, 165_000, 'CHF', 'year')],
    ["CHF 9'000 per month", salary(9000, 9000, 'CHF', 'month')],
    ["Fr. 120'000", salary(120_000, 120_000, 'CHF', 'year')],
    ['€65.000', salary(65_000, 65_000, 'EUR', 'year')],
    ['65.000 € brutto/Jahr', salary(65_000, 65_000, 'EUR', 'year')],
    ['1,800,000 INR', salary(1_800_000, 1_800_000, 'INR', 'year')],
    ['PLN 9 000 – 12 000 gross per month', salary(9000, 12_000, 'PLN', 'month')],
    ['SGD 15,000 – 20,000 per month', salary(15_000, 20_000, 'SGD', 'month')],
    ['R$ 14.000 – R$ 18.000 por mês (CLT)', salary(14_000, 18_000, 'BRL', 'month')],
  ])('%s', (text, expected) => {
    expect(parseSalaryText(text)).toEqual(expected);
  });

  describe('Indian salaries', () => {
    it.each([
      ['₹18-24 LPA', salary(1_800_000, 2_400_000, 'INR', 'year')],
      ['18 LPA', salary(1_800_000, 1_800_000, 'INR', 'year')],
      ['₹18L–24L / year', salary(1_800_000, 2_400_000, 'INR', 'year')],
      ['Rs 12 lakh - 16 lakh', salary(1_200_000, 1_600_000, 'INR', 'year')],
      ['₹12,00,000 – ₹16,00,000 per year', salary(1_200_000, 1_600_000, 'INR', 'year')],
      ['₹1.8M–2.4M', salary(1_800_000, 2_400_000, 'INR', 'year')],
      ['1.5 crore', salary(15_000_000, 15_000_000, 'INR', 'year')],
      ['Rs. 50,000 per month', salary(50_000, 50_000, 'INR', 'month')],
    ])('%s', (text, expected) => {
      expect(parseSalaryText(text)).toEqual(expected);
    });

    it('takes a bare ₹75,000 as monthly (Indian monthly pay is above the usual monthly cut-off)', () => {
      expect(parseSalaryText('₹75,000')?.interval).toBe('month');
    });
  });

  describe('intervals', () => {
    it.each([
      ['$55.50/hr', 'hour'],
      ['$55 per hour', 'hour'],
      ['$25 an hour', 'hour'],
      ['£20 ph', 'hour'],
      ['$60 hourly', 'hour'],
      ['Hourly rate: $55', 'hour'],
      ['£550 per day', 'day'],
      ['£500 a day', 'day'],
      ['€400 daily', 'day'],
      ['€600 per diem', 'day'],
      ['$2,000 weekly', 'week'],
      ['$2,000 per week', 'week'],
      ['€3,000 monthly', 'month'],
      ['€3,000/month', 'month'],
      ['€3,000/mo', 'month'],
      ['€3,000 pm', 'month'],
      ['€3,000 p.m.', 'month'],
      ['$90,000 yearly', 'year'],
      ['$90k/yr', 'year'],
      ['$90k annual', 'year'],
      ['€60k per annum', 'year'],
      ['£60k pa', 'year'],
      ['£60k p.a.', 'year'],
      ['$90,000 a year', 'year'],
    ])('%s → %s', (text, interval) => {
      expect(parseSalaryText(text)?.interval).toBe(interval);
    });

    it('infers the interval from the size when none is given', () => {
      expect(parseSalaryText('$45')?.interval).toBe('hour');
      expect(parseSalaryText('€4,500')?.interval).toBe('month');
      expect(parseSalaryText('€45,000')?.interval).toBe('year');
    });

    it('keeps decimals for hourly rates', () => {
      expect(parseSalaryText('$55.50/hr')).toEqual(salary(55.5, 55.5, 'USD', 'hour'));
      expect(parseSalaryText('$0.05 – $0.06 / hour')).toEqual(salary(0.05, 0.06, 'USD', 'hour'));
    });
  });

  describe('open-ended amounts', () => {
    it.each([
      ['up to £95k', salary(null, 95_000, 'GBP', 'year')],
      ['up to 95k EUR', salary(null, 95_000, 'EUR', 'year')],
      ['Max. $120,000', salary(null, 120_000, 'USD', 'year')],
      ['from CHF 9k / month', salary(9000, null, 'CHF', 'month')],
      ['starting at $80,000', salary(80_000, null, 'USD', 'year')],
      ['$150k+', salary(150_000, null, 'USD', 'year')],
      ['ab 60.000 €', salary(60_000, null, 'EUR', 'year')],
    ])('%s', (text, expected) => {
      expect(parseSalaryText(text)).toEqual(expected);
    });
  });

  describe('ranges', () => {
    it('applies a multiplier written once to both ends', () => {
      expect(parseSalaryText('$150 - 210K USD + equity')).toEqual(salary(150_000, 210_000, 'USD', 'year'));
      expect(parseSalaryText('€75k–110k')).toEqual(salary(75_000, 110_000, 'EUR', 'year'));
      expect(parseSalaryText('$130–150k')).toEqual(salary(130_000, 150_000, 'USD', 'year'));
    });

    it('accepts "to" and "between … and …"', () => {
      expect(parseSalaryText('$100k to $120k')).toEqual(salary(100_000, 120_000, 'USD', 'year'));
      expect(parseSalaryText('between $100k and $120k')).toEqual(salary(100_000, 120_000, 'USD', 'year'));
    });

    it('never returns min > max', () => {
      expect(parseSalaryText('$150k - $120k')).toEqual(salary(120_000, 150_000, 'USD', 'year'));
    });

    it('reads a currency code written after the range', () => {
      expect(parseSalaryText('120,000 - 150,000 USD')).toEqual(salary(120_000, 150_000, 'USD', 'year'));
      expect(parseSalaryText('$110k–130k CAD')).toEqual(salary(110_000, 130_000, 'CAD', 'year'));
    });
  });

  describe('currency markers', () => {
    it('a plain "$" is USD even when the job is in Canada or Australia', () => {
      expect(parseSalaryText('Toronto, Canada. $120,000 – $140,000')?.currency).toBe('USD');
      expect(parseSalaryText('Sydney, Australia: $120k')?.currency).toBe('USD');
    });

    it.each([
      ['€50k', 'EUR'],
      ['EUR 50k', 'EUR'],
      ['£50k', 'GBP'],
      ['GBP 50,000', 'GBP'],
      ['C$50k', 'CAD'],
      ['A$50k', 'AUD'],
      ['₹50,000', 'INR'],
      ['INR 50,000', 'INR'],
      ['CHF 50,000', 'CHF'],
    ])('%s → %s', (text, currency) => {
      expect(parseSalaryText(text)?.currency).toBe(currency);
    });
  });

  describe('what is not a salary', () => {
    it.each([
      'Competitive',
      'DOE',
      'Salary: negotiable',
      '',
      'We have been profitable since 2026',
      '401k with 4% match',
      '401(k) and 10+ years of experience',
      '10+ years of experience, 5 days a week',
      '120,000 - 150,000',
    ])('%j → null', (text) => {
      expect(parseSalaryText(text)).toBeNull();
    });

    it('ignores perks and funding when pay is stated too', () => {
      const text =
        'We raised $20M last year. Salary $120k-$140k. Plus a $1,500 yearly learning budget and 401k.';
      expect(parseSalaryText(text)).toEqual(salary(120_000, 140_000, 'USD', 'year'));
    });

    it('drops a budget or a fee when it is the only amount', () => {
      expect(parseSalaryText('We offer a $1,500 yearly learning budget')).toBeNull();
      expect(parseSalaryText('We pay €300 for your time on the exercise')).toBeNull();
      expect(parseSalaryText('Backed by $50M in funding')).toBeNull();
    });

    it('does not read part numbers or versions as money', () => {
      expect(parseSalaryText('Experience with C++20, p99 latency and S3')).toBeNull();
    });
  });
});

describe('mentionsCurrency', () => {
  it('spots symbols, codes and Indian units, not look-alike words', () => {
    expect(mentionsCurrency('pay is $100k')).toBe(true);
    expect(mentionsCurrency('EUR 5,000')).toBe(true);
    expect(mentionsCurrency('18 LPA')).toBe(true);
    expect(mentionsCurrency('We work across Europe with a steady cadence')).toBe(false);
  });
});

describe('parseSalaryFields', () => {
  it('turns board strings into numbers and maps the interval', () => {
    expect(parseSalaryFields({ min: '3750', max: '5250', currency: 'EUR', interval: 'month' })).toEqual(
      salary(3750, 5250, 'EUR', 'month'),
    );
    expect(parseSalaryFields({ min: '150,000', max: 180000, currency: 'usd', interval: 'YEAR' })).toEqual(
      salary(150_000, 180_000, 'USD', 'year'),
    );
  });

  it.each([
    ['hourly', 'hour'],
    ['per hour', 'hour'],
    ['annual', 'year'],
    ['yearly', 'year'],
    ['YEAR', 'year'],
    ['Annually', 'year'],
    ['month', 'month'],
    ['monthly', 'month'],
    ['per_week', 'week'],
    ['weekly', 'week'],
    ['daily', 'day'],
    ['per-day', 'day'],
  ])('interval %s → %s', (interval, expected) => {
    expect(parseSalaryFields({ min: 100, max: 200, currency: 'USD', interval })?.interval).toBe(expected);
  });

  it('infers a missing or unknown interval from the amount', () => {
    expect(parseSalaryFields({ min: 15, max: 30, currency: 'USD' })?.interval).toBe('hour');
    expect(parseSalaryFields({ min: 100_000, currency: 'USD', interval: 'per shift' })?.interval).toBe(
      'year',
    );
  });

  it('treats 0 and negative amounts as missing', () => {
    expect(parseSalaryFields({ min: 0, max: 120_000, currency: 'USD', interval: 'year' })).toEqual(
      salary(null, 120_000, 'USD', 'year'),
    );
    expect(parseSalaryFields({ min: 0, max: 0, currency: 'USD' })).toBeNull();
    expect(parseSalaryFields({ min: -5, max: '0', currency: 'USD' })).toBeNull();
  });

  it('swaps min and max when the board sends them reversed', () => {
    expect(parseSalaryFields({ min: 200, max: 100, currency: 'GBP', interval: 'day' })).toEqual(
      salary(100, 200, 'GBP', 'day'),
    );
  });

  it('refuses a currency that is not a 3-letter code, but accepts a bare symbol', () => {
    expect(parseSalaryFields({ min: 100, max: 200, currency: 'dollars', interval: 'hour' })).toBeNull();
    expect(parseSalaryFields({ min: 100, max: 200, currency: null, interval: 'hour' })).toBeNull();
    expect(parseSalaryFields({ min: 100, max: 200, currency: 'E1R', interval: 'hour' })).toBeNull();
    expect(parseSalaryFields({ min: 100, max: 200, currency: '€', interval: 'hour' })?.currency).toBe('EUR');
  });

  it('falls back to the free text when no amount is given', () => {
    expect(parseSalaryFields({ min: null, max: null }, '$160K – $190K + equity')).toEqual(
      salary(160_000, 190_000, 'USD', 'year'),
    );
    expect(parseSalaryFields(null, '€48,000–€58,000 gross per year')).toEqual(
      salary(48_000, 58_000, 'EUR', 'year'),
    );
    expect(parseSalaryFields(undefined, 'Competitive')).toBeNull();
    expect(parseSalaryFields(null)).toBeNull();
  });

  it('prefers the structured amount over the text', () => {
    expect(parseSalaryFields({ min: 100, max: 120, currency: 'USD', interval: 'hour' }, '$1m')).toEqual(
      salary(100, 120, 'USD', 'hour'),
    );
  });

  it('ignores unparseable strings', () => {
    expect(parseSalaryFields({ min: 'competitive', max: '5k', currency: 'USD', interval: 'month' })).toEqual(
      salary(null, 5000, 'USD', 'month'),
    );
  });
});

describe('annualise', () => {
  it.each([
    [salary(50, 60, 'USD', 'hour'), { min: 104_000, max: 124_800, currency: 'USD' }],
    [salary(500, 600, 'GBP', 'day'), { min: 130_000, max: 156_000, currency: 'GBP' }],
    [salary(1000, null, 'EUR', 'week'), { min: 52_000, max: null, currency: 'EUR' }],
    [salary(null, 5250, 'EUR', 'month'), { min: null, max: 63_000, currency: 'EUR' }],
    [salary(100_000, 120_000, 'CAD', 'year'), { min: 100_000, max: 120_000, currency: 'CAD' }],
  ])('%o', (s, expected) => {
    expect(annualise(s)).toEqual(expected);
  });

  it('rounds to whole units', () => {
    expect(annualise(salary(13.33, 15.5, 'GBP', 'hour'))).toEqual({
      min: 27_726,
      max: 32_240,
      currency: 'GBP',
    });
  });
});

describe('formatSalary', () => {
  it.each([
    [salary(130_000, 150_000, 'USD', 'year'), '$130k–150k / year'],
    [salary(3750, 5250, 'EUR', 'month'), '€3,750–5,250 / month'],
    [salary(4200, 5000, 'EUR', 'month'), '€4,200–5,000 / month'],
    [salary(55, 70, 'USD', 'hour'), '$55–70 / hour'],
    [salary(55.5, 70, 'USD', 'hour'), '$55.50–70.00 / hour'],
    [salary(1_800_000, 2_400_000, 'INR', 'year'), '₹18L–24L / year'],
    [salary(1_250_000, 1_600_000, 'INR', 'year'), '₹12.5L–16L / year'],
    [salary(50_000, 50_000, 'INR', 'month'), '₹50,000 / month'],
    [salary(null, 95_000, 'GBP', 'year'), 'up to £95k / year'],
    [salary(9000, null, 'CHF', 'month'), 'from CHF 9k / month'],
    [salary(175_500, 190_000, 'CAD', 'year'), 'CA$175.5k–190k / year'],
    [salary(140_000, 140_000, 'AUD', 'year'), 'A$140k / year'],
    [salary(550, 650, 'GBP', 'day'), '£550–650 / day'],
    [salary(15_000, 20_000, 'SGD', 'month'), 'SGD 15k–20k / month'],
    [salary(1_200_000, 1_500_000, 'USD', 'year'), '$1.2M–1.5M / year'],
  ])('%o → %s', (s, expected) => {
    expect(formatSalary(s)).toBe(expected);
  });

  it('round-trips through parseSalaryText', () => {
    for (const s of [
      salary(130_000, 150_000, 'USD', 'year'),
      salary(1_800_000, 2_400_000, 'INR', 'year'),
      salary(null, 95_000, 'GBP', 'year'),
      salary(9000, null, 'CHF', 'month'),
      salary(3750, 5250, 'EUR', 'month'),
    ]) {
      expect(parseSalaryText(formatSalary(s))).toEqual(s);
    }
  });
});
