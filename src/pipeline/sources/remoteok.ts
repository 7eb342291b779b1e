import { z } from 'zod';
import { baseUrl, commonConfig, defineKind, validItems } from './define.ts';

/**
 * Remote OK: `GET /api`, one array whose first element is the legal notice (not a job). Its terms
 * ask for Remote OK to be named as the source with a followed link back: the attribution on cards,
 * whose "Open" button is the posting's Remote OK URL.
 */

const job = z.object({
  id: z.union([z.string(), z.number()]),
  position: z.string(),
  company: z.string(),
  url: z.string(),
  epoch: z.number().nullish(),
  date: z.string().nullish(),
  location: z.string().nullish(),
  salary_min: z.number().nullish(),
  salary_max: z.number().nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
});

/**
 * Some Remote OK texts are UTF-8 read as Latin-1 ("MecÃ¡nico"). Re-decoding fixes them; text
 * with characters beyond Latin-1, or that does not decode cleanly, is left as it is.
 */
export function repairMojibake(s: string): string {
  if (!/[ÃÂ][\u0080-\u00bf]/.test(s)) return s;
  for (const c of s) if ((c.codePointAt(0) ?? 0) > 0xff) return s;
  const decoded = Buffer.from(s, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? s : decoded;
}

export const remoteOkKind = defineKind({
  kind: 'remoteok',
  label: 'Remote OK',
  attribution: { text: 'Jobs from Remote OK', url: 'https://remoteok.com' },
  minIntervalMs: 1000,
  config: z.object({ baseUrl: baseUrl('https://remoteok.com'), ...commonConfig }),
  async *fetch(run) {
    const items = await run.http.json(`${run.config.baseUrl}/api`, z.array(z.unknown()).min(1));
    // Element 0 is the legal notice ({last_updated, legal}), not a job.
    const first = items[0] as { id?: unknown } | null;
    const jobs = first && typeof first === 'object' && first.id === undefined ? items.slice(1) : items;
    for (const j of validItems(jobs, job, run, 'Remote OK')) {
      const salaried = (j.salary_min ?? 0) > 0 || (j.salary_max ?? 0) > 0;
      yield {
        externalId: String(j.id),
        title: repairMojibake(j.position),
        company: repairMojibake(j.company),
        url: j.url,
        location: j.location || null,
        remote: 'remote',
        description: j.description ? repairMojibake(j.description) : null,
        descriptionFormat: 'html',
        // 0 means "not given"; Remote OK's amounts are yearly US dollars.
        salary: salaried
          ? { min: j.salary_min || null, max: j.salary_max || null, currency: 'USD', interval: 'year' }
          : null,
        postedAt: j.epoch ?? j.date ?? null,
        tags: j.tags ?? [],
      };
    }
  },
});
