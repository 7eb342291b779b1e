import { z } from 'zod';
import { UpstreamError } from '../../core/errors.ts';
import { baseUrl, commonConfig, defineKind, validItems } from './define.ts';

/**
 * SmartRecruiters: `GET /v1/companies/{company}/postings?limit=&offset=` pages through the list
 * (no descriptions); each posting's text comes from `GET …/postings/{id}` (its job ad sections).
 */

const PAGE = 100;

const listItem = z.object({
  id: z.string(),
  name: z.string(),
  company: z.object({ identifier: z.string().nullish(), name: z.string().nullish() }).nullish(),
  releasedDate: z.string().nullish(),
  location: z
    .object({
      fullLocation: z.string().nullish(),
      city: z.string().nullish(),
      country: z.string().nullish(),
      remote: z.boolean().nullish(),
      hybrid: z.boolean().nullish(),
    })
    .nullish(),
  department: z.object({ label: z.string().nullish() }).nullish(),
  function: z.object({ label: z.string().nullish() }).nullish(),
  typeOfEmployment: z.object({ label: z.string().nullish() }).nullish(),
});

const page = z.object({
  offset: z.number(),
  limit: z.number(),
  totalFound: z.number(),
  content: z.array(z.unknown()),
});

const section = z.object({ title: z.string().nullish(), text: z.string().nullish() }).nullish();
const detail = z.object({
  postingUrl: z.string().nullish(),
  jobAd: z
    .object({
      sections: z
        .object({
          companyDescription: section,
          jobDescription: section,
          qualifications: section,
          additionalInformation: section,
        })
        .nullish(),
    })
    .nullish(),
});

function descriptionOf(d: z.infer<typeof detail>): string | null {
  const s = d.jobAd?.sections;
  if (!s) return null;
  const parts = [s.companyDescription, s.jobDescription, s.qualifications, s.additionalInformation]
    .filter((p) => p?.text)
    .map((p) => `${p?.title ? `<h3>${p.title}</h3>` : ''}${p?.text}`);
  return parts.length > 0 ? parts.join('\n') : null;
}

export const smartRecruitersKind = defineKind({
  kind: 'smartrecruiters',
  label: 'SmartRecruiters',
  target: 'company',
  minIntervalMs: 500,
  config: z.object({
    company: z.string().regex(/^[\w.-]+$/, 'expected a company identifier like "Ubisoft2"'),
    companyName: z.string().min(1).optional(),
    baseUrl: baseUrl('https://api.smartrecruiters.com'),
    /** Public posting pages, linked from cards. */
    jobsUrl: baseUrl('https://jobs.smartrecruiters.com'),
    /** Read each posting's text (one request per posting, up to `maxDetails`). */
    details: z.boolean().default(true),
    maxDetails: z.number().int().min(0).max(2000).default(200),
    maxPages: z.number().int().min(1).max(100).default(20),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const companyPath = `${config.baseUrl}/v1/companies/${encodeURIComponent(config.company)}/postings`;
    const seen = new Set<string>();
    let offset = 0;
    let detailsRead = 0;
    for (let n = 0; n < config.maxPages; n++) {
      const data = await http.json(`${companyPath}?limit=${PAGE}&offset=${offset}`, page);
      for (const p of validItems(data.content, listItem, run, 'SmartRecruiters')) {
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        let d: z.infer<typeof detail> | null = null;
        if (config.details && detailsRead < config.maxDetails) {
          detailsRead++;
          d = await http.json(`${companyPath}/${encodeURIComponent(p.id)}`, detail).catch((err: unknown) => {
            // Withdrawn between the list and the detail request: keep the listing without text.
            if (err instanceof UpstreamError && err.status === 404) return null;
            throw err;
          });
        }
        const loc = p.location;
        yield {
          externalId: p.id,
          title: p.name,
          company: config.companyName ?? p.company?.name ?? config.company,
          url:
            d?.postingUrl ??
            `${config.jobsUrl}/${encodeURIComponent(p.company?.identifier ?? config.company)}/${p.id}`,
          location: loc?.fullLocation ?? ([loc?.city, loc?.country].filter(Boolean).join(', ') || null),
          remote: loc?.remote ? 'remote' : loc?.hybrid ? 'hybrid' : loc?.remote === false ? false : null,
          description: d ? descriptionOf(d) : null,
          descriptionFormat: 'html',
          postedAt: p.releasedDate ?? null,
          tags: [p.department?.label, p.function?.label, p.typeOfEmployment?.label].filter((t): t is string =>
            Boolean(t),
          ),
        };
      }
      offset += data.content.length;
      if (data.content.length === 0 || offset >= data.totalFound) return;
    }
  },
});
