import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';
import { z } from 'zod';
import type { RawPosting } from '../../core/types.ts';

/**
 * schema.org `JobPosting` in a page's JSON-LD (what Google for Jobs reads, so many career sites
 * have it): found in `<script type="application/ld+json">` blocks, inside arrays, `@graph` and
 * `ItemList`s, and mapped to a RawPosting.
 */

const text = z.union([z.string(), z.number()]).transform(String);
const named = z.union([z.string(), z.object({ name: z.string().nullish() }).loose()]);
const nameOf = (v: z.infer<typeof named> | null | undefined) =>
  typeof v === 'string' ? v : (v?.name ?? null);

const address = z.union([
  z.string(),
  z
    .object({
      addressLocality: z.string().nullish(),
      addressRegion: z.string().nullish(),
      addressCountry: named.nullish(),
    })
    .loose(),
]);
const place = z.object({ address: address.nullish(), name: z.string().nullish() }).loose();
const oneOrMany = <T extends z.ZodType>(s: T) =>
  z.union([s, z.array(s)]).transform((v) => (Array.isArray(v) ? v : [v]));

const quantity = z
  .object({
    value: text.nullish(),
    minValue: text.nullish(),
    maxValue: text.nullish(),
    unitText: z.string().nullish(),
  })
  .loose();

export const jobPostingSchema = z
  .object({
    title: z.string().nullish(),
    name: z.string().nullish(),
    url: z.string().nullish(),
    identifier: z
      .union([text, z.object({ value: text.nullish(), name: z.string().nullish() }).loose()])
      .nullish(),
    hiringOrganization: named.nullish(),
    datePosted: z.string().nullish(),
    description: z.string().nullish(),
    jobLocation: oneOrMany(place).nullish(),
    jobLocationType: z.union([z.string(), z.array(z.string())]).nullish(),
    applicantLocationRequirements: oneOrMany(named).nullish(),
    baseSalary: z
      .object({ currency: z.string().nullish(), value: z.union([text, quantity]).nullish() })
      .loose()
      .nullish(),
    employmentType: z.union([z.string(), z.array(z.string())]).nullish(),
  })
  .loose();
export type JsonLdJobPosting = z.infer<typeof jobPostingSchema>;

function isJobPosting(node: Record<string, unknown>): boolean {
  const type = node['@type'];
  return type === 'JobPosting' || (Array.isArray(type) && type.includes('JobPosting'));
}

/** Every JobPosting node in a parsed JSON-LD value, however it is nested. */
function collect(node: unknown, out: unknown[], depth = 0): void {
  if (depth > 8 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) collect(child, out, depth + 1);
    return;
  }
  const obj = node as Record<string, unknown>;
  if (isJobPosting(obj)) {
    out.push(obj);
    return;
  }
  for (const key of ['@graph', 'itemListElement', 'item', 'mainEntity']) collect(obj[key], out, depth + 1);
}

/** The JobPosting nodes of a page; blocks that are not valid JSON are counted, not fatal. */
export function jobPostingNodes(html: string): { nodes: unknown[]; invalidBlocks: number } {
  const $ = cheerio.load(html);
  const nodes: unknown[] = [];
  let invalidBlocks = 0;
  $('script[type="application/ld+json"]').each((_, el) => {
    const raw = $(el).text().trim();
    if (!raw) return;
    try {
      collect(JSON.parse(raw), nodes);
    } catch {
      invalidBlocks++;
    }
  });
  return { nodes, invalidBlocks };
}

/** Links on a page matching a selector, absolute, same site, each once. */
export function sameSiteLinks(html: string, pageUrl: string, selector: string): string[] {
  const $ = cheerio.load(html);
  const origin = new URL(pageUrl).origin;
  const links = new Set<string>();
  $(selector).each((_, el) => {
    const href = $(el).attr('href');
    if (!href) return;
    try {
      const u = new URL(href, pageUrl);
      u.hash = '';
      if (u.origin === origin) links.add(u.toString());
    } catch {
      // not a URL: ignore
    }
  });
  return [...links];
}

function placeText(p: z.infer<typeof place>): string | null {
  const a = p.address;
  if (typeof a === 'string') return a.trim() || null;
  const parts = [a?.addressLocality, a?.addressRegion, nameOf(a?.addressCountry)].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : (p.name ?? null);
}

function salaryOf(s: JsonLdJobPosting['baseSalary']): RawPosting['salary'] {
  const v = s?.value;
  if (!s || v === null || v === undefined) return null;
  if (typeof v === 'string') return { min: v, max: v, currency: s.currency ?? null, interval: null };
  return {
    min: v.minValue ?? v.value ?? null,
    max: v.maxValue ?? v.value ?? null,
    currency: s.currency ?? null,
    interval: v.unitText ?? null,
  };
}

function identifierOf(p: JsonLdJobPosting): string | null {
  const id = p.identifier;
  if (id === null || id === undefined) return null;
  return typeof id === 'string' ? id : (id.value ?? null);
}

/** A JSON-LD JobPosting as a RawPosting; `pageUrl` stands in for missing URLs and resolves relative ones. */
export function jsonLdToRaw(p: JsonLdJobPosting, pageUrl: string, fallbackCompany: string): RawPosting {
  const url = p.url ? new URL(p.url, pageUrl).toString() : pageUrl;
  const title = p.title ?? p.name ?? '';
  const locations = (p.jobLocation ?? []).map(placeText).filter((l): l is string => Boolean(l));
  const applicants = (p.applicantLocationRequirements ?? [])
    .map(nameOf)
    .filter((l): l is string => Boolean(l));
  const location = [...new Set(locations.length > 0 ? locations : applicants)].join(' / ') || null;
  const types = [p.jobLocationType ?? []].flat().map((t) => t.toUpperCase());
  // Several postings on one page with no id or URL of their own: their title and place tell them apart.
  const fallbackId = `${url}#${createHash('sha256')
    .update(`${title}|${location ?? ''}`)
    .digest('hex')
    .slice(0, 16)}`;
  return {
    externalId: identifierOf(p) ?? (p.url ? url : fallbackId),
    title,
    company: nameOf(p.hiringOrganization) ?? fallbackCompany,
    url,
    location,
    remote: types.includes('TELECOMMUTE') ? 'remote' : null,
    description: p.description ?? null,
    salary: salaryOf(p.baseSalary),
    postedAt: p.datePosted ?? null,
    tags: [p.employmentType ?? []].flat(),
  };
}
