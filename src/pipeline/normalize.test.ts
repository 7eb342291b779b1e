import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSalaryText } from '../core/salary.ts';
import type { NormalizedPosting, RawPosting, RemoteMode } from '../core/types.ts';
import { contentHash, normalizePosting } from './normalize.ts';

const now = new Date('2026-09-26T12:00:00Z');
const DAY = 86_400_000;

function ok(raw: unknown): NormalizedPosting {
  const result = normalizePosting(raw, { now });
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.posting;
}

function error(raw: unknown): string {
  const result = normalizePosting(raw, { now });
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

const base: RawPosting = {
  externalId: 'job-1',
  title: 'Backend Engineer',
  company: 'Acme',
  url: 'https://jobs.example.com/1',
};

interface Sample {
  id: string;
  title: string;
  company: string;
  location: string | null;
  workplace: RemoteMode | null;
  salary: RawPosting['salary'];
  salaryText: string | null;
  postedDaysAgo: number;
  url: string;
  descriptionHtml: string;
  tags: string[];
}

const samples: Sample[] = JSON.parse(
  readFileSync(new URL('./sources/sample-postings.json', import.meta.url), 'utf8'),
);

function fromSample(s: Sample): RawPosting {
  return {
    externalId: s.id,
    title: s.title,
    company: s.company,
    url: s.url,
    location: s.location,
    remote: s.workplace,
    description: s.descriptionHtml,
    descriptionFormat: 'html',
    salary: s.salary,
    salaryText: s.salaryText,
    postedAt: new Date(now.getTime() - s.postedDaysAgo * DAY),
    tags: s.tags,
  };
}

describe('sample postings', () => {
  const normalized = new Map(samples.map((s) => [s.id, ok(fromSample(s))]));

  it('all 64 normalise', () => {
    expect(samples).toHaveLength(64);
    expect(normalized.size).toBe(64);
  });

  it('no description keeps markup or script text', () => {
    for (const p of normalized.values()) {
      expect(p.description).not.toContain('<script');
      expect(p.description).not.toContain('alert(1)');
      expect(p.description).not.toContain('<');
      expect(p.description).not.toContain('tracker.example');
      expect(p.description.length).toBeGreaterThan(200);
    }
  });

  it('near-duplicates and the repost share a dedup key; nothing else collides', () => {
    const key = (id: string) => normalized.get(id)?.dedupKey;
    for (const [a, b] of [
      ['smp-001', 'smp-010'],
      ['smp-027', 'smp-035'],
      ['smp-011', 'smp-058'],
      ['smp-015', 'smp-057'],
    ] as const) {
      expect(key(a)).toBe(key(b));
    }
    expect(new Set([...normalized.values()].map((p) => p.dedupKey)).size).toBe(60);
  });

  it('the repost differs only in its URL and date: same key, different hash (the URL is content)', () => {
    const first = normalized.get('smp-015')!;
    const repost = normalized.get('smp-057')!;
    expect(repost.dedupKey).toBe(first.dedupKey);
    expect(repost.contentHash).not.toBe(first.contentHash);
    const sameUrl = ok({ ...fromSample(samples.find((s) => s.id === 'smp-057')!), url: first.url });
    expect(sameUrl.contentHash).toBe(first.contentHash);
  });

  it('every salaryText parses to a salary in the right currency', () => {
    const expected: Record<string, string> = {
      'smp-006': 'PLN',
      'smp-014': 'USD',
      'smp-016': 'EUR',
      'smp-017': 'INR',
      'smp-020': 'SGD',
      'smp-023': 'BRL',
      'smp-025': 'GBP',
      'smp-029': 'EUR',
      'smp-033': 'CAD',
      'smp-040': 'AUD',
      'smp-047': 'CAD',
      'smp-052': 'USD',
      'smp-056': 'GBP',
    };
    const withText = samples.filter((s) => s.salaryText);
    expect(withText.map((s) => s.id).sort()).toEqual(Object.keys(expected).sort());
    for (const s of withText) {
      expect(parseSalaryText(s.salaryText ?? '')?.currency, s.id).toBe(expected[s.id]);
      expect(normalized.get(s.id)?.salary?.currency, s.id).toBe(expected[s.id]);
    }
  });

  it('structured salaries win over the text', () => {
    for (const s of samples.filter((x) => x.salary)) {
      expect(normalized.get(s.id)?.salary, s.id).toEqual(s.salary);
    }
  });

  it("keeps the board's workplace and infers the missing ones from the text", () => {
    const inferred: Record<string, RemoteMode> = {
      'smp-006': 'hybrid',
      'smp-009': 'hybrid',
      'smp-036': 'hybrid',
      'smp-048': 'hybrid',
      'smp-054': 'hybrid',
      'smp-055': 'onsite',
      'smp-060': 'hybrid',
      'smp-061': 'hybrid',
    };
    for (const s of samples) {
      expect(normalized.get(s.id)?.remote, s.id).toBe(s.workplace ?? inferred[s.id]);
    }
  });

  it('keeps "<C++>" and "&" in a plain-text title', () => {
    expect(normalized.get('smp-020')?.title).toBe('Senior Engineer, Market Data & <C++> Low-Latency Systems');
  });

  it('finds the salary in the description when the board gives none', () => {
    const { salary, salaryText, ...rest } = fromSample(samples.find((s) => s.id === 'smp-036')!);
    expect(ok(rest).salary).toEqual({ min: 6500, max: 7700, currency: 'EUR', interval: 'month' });
    const smp001 = fromSample(samples.find((s) => s.id === 'smp-001')!);
    // Its only money is "$1,500 yearly learning budget": not a salary.
    expect(ok({ ...smp001, salary: null }).salary).toBeNull();
  });
});

describe('captured board responses', () => {
  it('Greenhouse: double-escaped HTML cut mid-word, offset date, hybrid in the location', () => {
    const p = ok({
      externalId: '6136160004',
      title: 'Account Executive, Commercial',
      company: 'Vercel',
      url: 'https://job-boards.greenhouse.io/vercel/jobs/6136160004',
      location: 'Hybrid - London',
      description:
        '&lt;div class=&quot;content-intro&quot;&gt;&lt;h2&gt;About Vercel:&lt;/h2&gt;\n&lt;p&gt;&lt;span data-sheets-root=&quot;1&quot;&gt;Vercel is the agentic infrastructure company, freeing people and agents to ship what&#39;s next. For more than a decade we&#39;ve helped builders move from idea to production with speed, security, and exceptional developer experience.&lt;/span&gt;&lt;/p&gt;\n&lt;p&gt;&lt;span data-sheets-root=&quot;1&quot;&gt;Now we&#39;re scaling our products for both agents and people to ship and run software, built in the open and trusted by OpenAI, PayPal, Ramp, Supreme, and mill',
      descriptionFormat: 'html',
      postedAt: '2026-08-06T12:50:10-04:00',
    });
    expect(p.description).toBe(
      "About Vercel:\n\nVercel is the agentic infrastructure company, freeing people and agents to ship what's next. For more than a decade we've helped builders move from idea to production with speed, security, and exceptional developer experience.\n\nNow we're scaling our products for both agents and people to ship and run software, built in the open and trusted by OpenAI, PayPal, Ramp, Supreme, and mill",
    );
    expect(p.postedAt?.toISOString()).toBe('2026-08-06T16:50:10.000Z');
    expect(p.remote).toBe('hybrid');
  });

  it('Arbeitnow: escaped HTML with &amp;nbsp;, epoch seconds, remote false', () => {
    const p = ok({
      externalId: 'werkstudent-customer-success-berlin-berlin-72879',
      title: 'Werkstudent Customer Success (x/f/m)',
      company: 'Doctolib',
      url: 'https://www.arbeitnow.com/jobs/companies/doctolib/werkstudent-customer-success-berlin-berlin-72879',
      location: 'Berlin, Berlin',
      remote: false,
      description:
        '&lt;h2 class=&quot;s-pb-2 s-pt-4 s-heading-xl&quot;&gt;Gemeinsam gestalten wir die Gesundheitsversorgung der Zukunft&lt;/h2&gt;\n&lt;p&gt;Doctolib sucht Dich &lt;strong&gt;ab sofort &lt;/strong&gt;als &lt;strong&gt;Werkstudent:in im Bereich Customer Success &lt;/strong&gt;für unseren Standort &lt;strong&gt;in Berlin&lt;/strong&gt;.&amp;nbsp;&lt;/p&gt;\n&lt;p&gt;Das Customer Success Team bei Doctolib ist verantwortlich für die allgemeine Kundenzufriedenheit. Wir begl',
      descriptionFormat: 'html',
      postedAt: 1790412915,
      tags: ['Operations'],
    });
    expect(p.description).toBe(
      'Gemeinsam gestalten wir die Gesundheitsversorgung der Zukunft\n\nDoctolib sucht Dich ab sofort als Werkstudent:in im Bereich Customer Success für unseren Standort in Berlin.\n\nDas Customer Success Team bei Doctolib ist verantwortlich für die allgemeine Kundenzufriedenheit. Wir begl',
    );
    expect(p.postedAt?.toISOString()).toBe('2026-09-26T08:55:15.000Z');
    expect(p.remote).toBe('onsite');
    expect(p.tags).toEqual(['operations']);
    expect(p.dedupKey).toBe('doctolib|werkstudent customer success|berlin berlin');
  });

  it('Arbeitnow: pasted chat markup cut mid-entity leaves no markup behind', () => {
    const p = ok({
      ...base,
      description:
        '&lt;div data-testid=&quot;virtuoso-list&quot;&gt;\n&lt;div data-index=&quot;16&quot; data-known-size=&quot;3463.984375&quot;&gt;\n&lt;div class=&quot;flex min-w-0 flex-col gap-1&quot;&gt;\n&lt;div class=&quot;min-w-0 break-words text-base text-foreground&quot;&',
      descriptionFormat: 'html',
    });
    expect(p.description).not.toMatch(/[<>]|&lt;|&quot;|data-/);
  });

  it('Lever: plain-text description kept as written; list HTML without <ul>', () => {
    const plain = ok({
      externalId: '2193db3f-77c5-43b8-b030-8f92c9882bf1',
      title: 'Android Engineer - Experience',
      company: 'spotify',
      url: 'https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1',
      location: 'London',
      remote: 'hybrid',
      description:
        'We design Spotify’s consumer experience—end to end, moment to moment, across every screen, platform, and partner integration. If it touches a consumer, we shape it. <3 a < b',
      descriptionFormat: 'text',
      postedAt: 1782214185805,
    });
    expect(plain.description).toContain('Spotify’s consumer experience—end to end');
    expect(plain.description).toContain('<3 a < b');
    expect(plain.postedAt?.toISOString()).toBe('2026-06-23T11:29:45.805Z');
    expect(plain.remote).toBe('hybrid');

    const lists = ok({
      ...base,
      description:
        '<div>\n\n<li>\n<p>This role is based in London or Stockholm.</p>\n</li>\n<li>\n<p>We offer you the flexibility to work where you work best! There will be some in person meetings, but still allows for flexibility to work from home.</p>\n</li>\n\n<br><br></div>',
      descriptionFormat: 'html',
    });
    expect(lists.description).toBe(
      'This role is based in London or Stockholm.\n\nWe offer you the flexibility to work where you work best! There will be some in person meetings, but still allows for flexibility to work from home.',
    );
  });

  it('Hacker News: bare <p>, &#x2F; entities, links as text, salary from the text', () => {
    const p = ok({
      externalId: '49522903',
      title: 'Senior Product Engineer',
      company: 'Modash.io',
      url: 'https://news.ycombinator.com/item?id=49522903',
      location: 'Remote (Europe)',
      description:
        'Modash.io | Senior Product Engineer | Remote (Europe) | Full-time | €75k–110k | <a href="https:&#x2F;&#x2F;modash.io" rel="nofollow">https:&#x2F;&#x2F;modash.io</a><p>Modash helps brands find, manage, and pay creators - and helps creators earn a living.<p>We&#x27;re looking for Senior Product Engineers who like owning ambiguous problems end-to-end.<p>- How do you make a 380M-profile dataset feel fast?',
      descriptionFormat: 'html',
      postedAt: '2026-09-01T15:01:54.000Z',
    });
    expect(p.description).toBe(
      "Modash.io | Senior Product Engineer | Remote (Europe) | Full-time | €75k–110k | https://modash.io\n\nModash helps brands find, manage, and pay creators - and helps creators earn a living.\n\nWe're looking for Senior Product Engineers who like owning ambiguous problems end-to-end.\n\n- How do you make a 380M-profile dataset feel fast?",
    );
    expect(p.salary).toEqual({ min: 75_000, max: 110_000, currency: 'EUR', interval: 'year' });
    expect(p.remote).toBe('remote');
  });

  it('Hacker News: entity-encoded title and a "$150 - 210K USD" salary', () => {
    const p = ok({
      externalId: '49522929',
      title: 'Senior&#x2F;Lead Platform &amp; DevOps Engineer',
      company: 'Open Education Applications &#x2F; Neon',
      url: 'https://news.ycombinator.com/item?id=49522929',
      location: 'Utrecht, The Netherlands | HYBRID',
      salaryText: '$150 - 210K USD + equity',
    });
    expect(p.title).toBe('Senior/Lead Platform & DevOps Engineer');
    expect(p.company).toBe('Open Education Applications / Neon');
    expect(p.remote).toBe('hybrid');
    expect(p.salary).toEqual({ min: 150_000, max: 210_000, currency: 'USD', interval: 'year' });
  });

  it('Recruitee: salary amounts as strings, non-ISO "UTC" date', () => {
    const p = ok({
      externalId: 2751915,
      title: 'Customer Success Manager Benelux - Dutch speaking',
      company: 'Channable',
      url: 'https://jobs.channable.com/o/customer-success-manager-benelux-dutch-speaking-3',
      location: 'Utrecht, Utrecht, Netherlands',
      remote: 'hybrid',
      salary: { max: '5250', min: '3750', interval: 'month', currency: 'EUR' },
      description:
        '<p><span style="color:#000000">Channable is a fast-growing B2B SaaS platform driving digital commerce across the globe.</span></p><p style="min-height: 1.7em;"></p><p><span style="color:#000000">As the market leader in the Benelux</span></p>',
      postedAt: '2026-09-18 13:27:28 UTC',
    });
    expect(p.externalId).toBe('2751915');
    expect(p.salary).toEqual({ min: 3750, max: 5250, currency: 'EUR', interval: 'month' });
    expect(p.postedAt?.toISOString()).toBe('2026-09-18T13:27:28.000Z');
    expect(p.description).toBe(
      'Channable is a fast-growing B2B SaaS platform driving digital commerce across the globe.\n\nAs the market leader in the Benelux',
    );
  });

  it('Himalayas, Jobicy, Remote OK, Remotive, Breezy: salary and date shapes', () => {
    const himalayas = ok({
      ...base,
      title: 'Gmail & Google Calendar AI Assistant Evaluator',
      salary: { min: 15, max: 30, currency: 'USD', interval: 'hourly' },
      postedAt: 1790401136,
    });
    expect(himalayas.title).toBe('Gmail & Google Calendar AI Assistant Evaluator');
    expect(himalayas.salary).toEqual({ min: 15, max: 30, currency: 'USD', interval: 'hour' });
    expect(himalayas.postedAt?.toISOString()).toBe('2026-09-26T05:38:56.000Z');

    const jobicy = ok({ ...base, salary: { min: 200000, max: 250000, currency: 'USD', interval: 'yearly' } });
    expect(jobicy.salary?.interval).toBe('year');

    const remoteOk = ok({
      ...base,
      location: '',
      salary: { min: 0, max: 0, currency: 'USD' },
      postedAt: 1790208007,
    });
    expect(remoteOk.salary).toBeNull();
    expect(remoteOk.location).toBeNull();

    const remotive = ok({
      ...base,
      salaryText: '$90k - $105k',
      postedAt: '2026-09-18T16:43:22',
      tags: ['Typescript ', 'AI/ML'],
    });
    expect(remotive.salary).toEqual({ min: 90_000, max: 105_000, currency: 'USD', interval: 'year' });
    expect(remotive.postedAt?.toISOString()).toBe('2026-09-18T16:43:22.000Z');
    expect(remotive.tags).toEqual(['typescript', 'ai/ml']);

    const breezy = ok({ ...base, salaryText: '$0.05 – $0.06 / hour', postedAt: '2024-02-15T14:37:22.684Z' });
    expect(breezy.salary).toEqual({ min: 0.05, max: 0.06, currency: 'USD', interval: 'hour' });
  });
});

describe('validation', () => {
  it('names every failing field and never throws', () => {
    const message = error({ externalId: '', title: '   ', company: 'Acme', url: 'ftp://example.com/job' });
    expect(message).toMatch(/externalId/);
    expect(message).toMatch(/title/);
    expect(message).toMatch(/url: must be an http\(s\) URL/);
    expect(message).not.toMatch(/company/);
  });

  it.each([
    ['a string', 'not a posting'],
    ['null', null],
    ['an array', []],
    ['a javascript: URL', { ...base, url: 'javascript:alert(1)' }],
    ['a too-long title', { ...base, title: 'x'.repeat(301) }],
    ['a too-long company', { ...base, company: 'x'.repeat(201) }],
    ['a too-long id', { ...base, externalId: 'x'.repeat(501) }],
    ['a wrong remote value', { ...base, remote: 'sometimes' }],
    ['a non-string tag', { ...base, tags: ['ok', 3] }],
    ['a title that is only markup', { ...base, title: '<b> </b>' }],
  ])('rejects %s', (_label, raw) => {
    expect(normalizePosting(raw, { now }).ok).toBe(false);
  });

  it('strips unknown keys instead of failing', () => {
    const p = ok({ ...base, board: 'x', nested: { a: 1 } });
    expect(p).not.toHaveProperty('board');
  });

  it('trims the title before checking its length', () => {
    expect(ok({ ...base, title: `  ${'x'.repeat(300)}  ` }).title).toHaveLength(300);
  });

  it('accepts board spellings of the remote mode', () => {
    expect(ok({ ...base, remote: 'On-Site' }).remote).toBe('onsite');
    expect(ok({ ...base, remote: 'Remote' }).remote).toBe('remote');
  });
});

describe('normalised fields', () => {
  it('decodes entities and strips tags in titles only when they have markup', () => {
    expect(ok({ ...base, title: '<b>Senior</b>  Engineer &amp; Lead' }).title).toBe('Senior Engineer & Lead');
    expect(ok({ ...base, title: 'R&D Engineer <C++>' }).title).toBe('R&D Engineer <C++>');
    expect(ok({ ...base, company: 'Smith &amp; Sons' }).company).toBe('Smith & Sons');
    expect(ok({ ...base, location: '  Berlin,\n Germany ' }).location).toBe('Berlin, Germany');
  });

  it('converts description HTML: lists, links, entities, no scripts or images', () => {
    const p = ok({
      ...base,
      description:
        '<style>.x{}</style><p>Hello&nbsp;&amp; welcome</p><script>alert(1)</script><img src="a.png" alt="logo"><ul><li>One</li><li><a href="https://x.example">Two</a></li></ul><h3>Perks</h3><p>More</p>',
      descriptionFormat: 'html',
    });
    expect(p.description).toBe('Hello & welcome\n\n- One\n- Two\n\nPerks\n\nMore');
  });

  it('treats a description without a format as HTML only when it looks like HTML', () => {
    expect(ok({ ...base, description: '<p>a</p><p>b</p>' }).description).toBe('a\n\nb');
    expect(ok({ ...base, description: 'x < y and  z' }).description).toBe('x < y and z');
  });

  it('cuts the description to 20,000 characters', () => {
    const p = ok({ ...base, description: `<p>${'word '.repeat(10_000)}</p>`, descriptionFormat: 'html' });
    expect(p.description.length).toBeLessThanOrEqual(20_000);
    expect(p.description.length).toBeGreaterThan(19_990);
  });

  it('tags: trimmed, lower-cased, unique, at most 30', () => {
    const tags = [' Go ', 'go', 'TypeScript', '', ...Array.from({ length: 40 }, (_, i) => `t${i}`)];
    const p = ok({ ...base, tags });
    expect(p.tags.slice(0, 2)).toEqual(['go', 'typescript']);
    expect(p.tags).toHaveLength(30);
  });

  it('drops a posting date far in the future', () => {
    expect(ok({ ...base, postedAt: new Date(now.getTime() + 2 * DAY) }).postedAt).toBeNull();
    expect(ok({ ...base, postedAt: new Date(now.getTime() + DAY / 2) }).postedAt).not.toBeNull();
  });
});

describe('contentHash', () => {
  const p = ok({ ...base, description: 'Build things.', salaryText: '$100k', postedAt: now });

  it('is a sha-256 hex digest that ignores the posting date', () => {
    expect(p.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      ok({ ...base, description: 'Build things.', salaryText: '$100k', postedAt: null }).contentHash,
    ).toBe(p.contentHash);
  });

  it('changes with anything an analysis reads', () => {
    const hashes = new Set([
      p.contentHash,
      contentHash({ ...p, description: 'Build other things.' }),
      contentHash({ ...p, salary: null }),
      contentHash({ ...p, remote: 'remote' }),
      contentHash({ ...p, url: 'https://jobs.example.com/2' }),
      contentHash({ ...p, location: 'Berlin' }),
    ]);
    expect(hashes.size).toBe(6);
  });
});
