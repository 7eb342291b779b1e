import type pg from 'pg';
import type { Config } from '../../config.ts';
import type { Clock } from '../../core/ports.ts';
import { takeDailyRequest } from '../../db/sources.ts';
import { adzunaKind } from './adzuna.ts';
import { arbeitnowKind } from './arbeitnow.ts';
import { ashbyKind } from './ashby.ts';
import { careersKind } from './careers.ts';
import type { SourceDeps } from './define.ts';
import { glassdoorKind } from './glassdoor.ts';
import { greenhouseKind } from './greenhouse.ts';
import { hackerNewsKind } from './hackernews.ts';
import { himalayasKind } from './himalayas.ts';
import { createHttpEnv, DEFAULT_HTTP_SETTINGS, type HttpSettings, userAgent } from './http.ts';
import { indeedKind } from './indeed.ts';
import { jobicyKind } from './jobicy.ts';
import { leverKind } from './lever.ts';
import { linkedInKind } from './linkedin.ts';
import { recruiteeKind } from './recruitee.ts';
import type { SourceKind } from './registry.ts';
import { remoteOkKind } from './remoteok.ts';
import { remotiveKind } from './remotive.ts';
import { smartRecruitersKind } from './smartrecruiters.ts';
import { theMuseKind } from './themuse.ts';
import { usaJobsKind } from './usajobs.ts';
import { workableKind } from './workable.ts';
import { workdayKind } from './workday.ts';

/** Every built-in board; which rows exist (and so which boards run) is the operator's choice. */
const FACTORIES = [
  greenhouseKind,
  leverKind,
  ashbyKind,
  smartRecruitersKind,
  recruiteeKind,
  workableKind,
  workdayKind,
  careersKind,
  remoteOkKind,
  remotiveKind,
  arbeitnowKind,
  himalayasKind,
  jobicyKind,
  theMuseKind,
  hackerNewsKind,
  usaJobsKind,
  adzunaKind,
  linkedInKind,
  indeedKind,
  glassdoorKind,
];

export function boardKinds(deps: SourceDeps): SourceKind[] {
  return FACTORIES.map((factory) => factory(deps));
}

/** What the adapters share, from the config: HTTP settings, Chromium, API keys, the quota store. */
export function buildSourceDeps(
  config: Config,
  options: { pool?: pg.Pool; clock: Clock; http?: Partial<HttpSettings> },
): SourceDeps {
  const s = config.sources;
  const http = createHttpEnv({
    ...DEFAULT_HTTP_SETTINGS,
    userAgent: userAgent(s.contactUrl),
    timeoutMs: s.timeoutMs,
    proxyUrl: s.proxyUrl,
    ...options.http,
  });
  const { pool, clock } = options;
  return {
    http,
    browser: {
      executablePath: s.chromiumPath,
      timeoutMs: http.settings.timeoutMs,
      proxyUrl: http.settings.proxyUrl,
    },
    quota: {
      take(bucket, limit) {
        if (!pool) throw new Error('request quotas need the database');
        return takeDailyRequest(pool, bucket, clock.now(), limit);
      },
    },
    keys: { adzuna: s.adzuna, usajobs: s.usajobs },
  };
}
