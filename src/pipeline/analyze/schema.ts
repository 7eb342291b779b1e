import { z } from 'zod';
import { type Analysis, REMOTE_MODES, SENIORITIES } from '../../core/types.ts';

/**
 * The model's answer, in two layers.
 *
 * `analysisOutputSchema` is what we send as the strict JSON Schema (via `zodResponseFormat`), so it
 * may only use keywords OpenAI strict mode enforces: every field required, `null` instead of
 * optional, `enum`, `minimum`, `maxItems`, `pattern`. The SDK's zod 4 converter would happily emit
 * `maxLength` too, but strict mode does not support string lengths, so those limits live in
 * `analysisStrictSchema`, checked after parsing.
 */

export const MAX_SKILLS = 30;
export const MAX_SKILL_LENGTH = 40;
export const MAX_SUMMARY_LENGTH = 200;
/** The same limits a board's posting has (`rawPostingSchema`): what is read from text is no longer. */
export const MAX_TITLE_LENGTH = 300;
export const MAX_COMPANY_LENGTH = 200;
export const MAX_LOCATION_LENGTH = 500;

const salaryAnnualSchema = z
  .object({
    min: z.number().min(0).nullable().describe('Lowest yearly amount, or null when not stated'),
    max: z.number().min(0).nullable().describe('Highest yearly amount, or null when not stated'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .describe('ISO 4217 code, e.g. USD, EUR, GBP'),
  })
  .nullable()
  .describe('Yearly salary range as stated in the posting; null when the posting states none');

export const analysisOutputSchema = z.object({
  seniority: z.enum(SENIORITIES).nullable(),
  skills: z
    .array(z.string())
    .max(MAX_SKILLS)
    .describe('Lower-case canonical skill names, most important first'),
  remotePolicy: z.enum(REMOTE_MODES),
  salaryAnnual: salaryAnnualSchema,
  visaSponsorship: z.boolean().nullable(),
  relocation: z.boolean().nullable(),
  summary: z.string().describe(`One line, at most ${MAX_SUMMARY_LENGTH} characters`),
  title: z.string().nullable().describe('The job title the text states, or null'),
  company: z.string().nullable().describe('The hiring company the text names, or null'),
  location: z.string().nullable().describe('Where the job is, as the text says it, or null'),
});

export type AnalysisOutput = z.infer<typeof analysisOutputSchema>;

/** The limits strict mode cannot express, re-checked on what the model actually returned. */
export const analysisStrictSchema = analysisOutputSchema.extend({
  skills: z.array(z.string().trim().min(1).max(MAX_SKILL_LENGTH)).max(MAX_SKILLS),
  salaryAnnual: salaryAnnualSchema.refine(
    (s) => s === null || s.min === null || s.max === null || s.min <= s.max,
    'salaryAnnual.min must not exceed salaryAnnual.max',
  ),
  summary: z.string().trim().min(1).max(MAX_SUMMARY_LENGTH),
  title: z.string().trim().max(MAX_TITLE_LENGTH).nullable(),
  company: z.string().trim().max(MAX_COMPANY_LENGTH).nullable(),
  location: z.string().trim().max(MAX_LOCATION_LENGTH).nullable(),
});

/** "" or only spaces means the model found nothing: the same as null. */
const orNull = (s: string | null) => (s?.trim() ? s.trim() : null);

/** Normalises a validated answer into the domain shape: skills lower-cased, unique and sorted. */
export function toAnalysis(output: AnalysisOutput): Analysis {
  const skills = [...new Set(output.skills.map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0))];
  skills.sort();
  return {
    seniority: output.seniority,
    skills: skills.slice(0, MAX_SKILLS),
    remotePolicy: output.remotePolicy,
    salaryAnnual: output.salaryAnnual
      ? { min: output.salaryAnnual.min, max: output.salaryAnnual.max, currency: output.salaryAnnual.currency }
      : null,
    visaSponsorship: output.visaSponsorship,
    relocation: output.relocation,
    summary: output.summary.trim(),
    title: orNull(output.title),
    company: orNull(output.company),
    location: orNull(output.location),
  };
}
