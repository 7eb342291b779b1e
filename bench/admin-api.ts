/**
 * Admin API figures: latency of GET /api/jobs (and friends) with 5,000 postings over real HTTP,
 * and how long the operator page takes to show its dashboard in headless Chromium.
 *
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/postgres node bench/admin-api.ts
 *
 * Works in a database of its own (created and dropped here); prints figures, asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { handleText } from '../src/bots/handlers.ts';
import { loadConfig } from '../src/config.ts';
import type { RawPosting } from '../src/core/types.ts';
import { createLogger } from '../src/log.ts';
import { startApp } from '../src/main.ts';
import type { SourceKind } from '../src/pipeline/sources/registry.ts';

const POSTINGS = Number(process.env.BENCH_POSTINGS ?? 5000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const TOKEN = 'bench-admin-token-0123456789';
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('set DATABASE_URL to a server where a scratch database may be created');

const WORDS = [
  'TypeScript',
  'Node.js',
  'Rust',
  'Go',
  'Python',
  'React',
  'Kubernetes',
  'PostgreSQL',
  'AWS',
  'Kafka',
];
const ROLES = [
  'Backend Engineer',
  'Frontend Developer',
  'Platform Engineer',
  'Data Engineer',
  'SRE',
  'Engineering Manager',
];
const LEVELS = ['Junior', 'Mid-level', 'Senior', 'Staff', 'Principal'];
const PLACES = ['Remote', 'Berlin, Germany', 'New York, NY', 'London, UK', 'Remote (EU)', 'Toronto, Canada'];

function posting(i: number): RawPosting {
  const skill = WORDS[i % WORDS.length]!;
  const other = WORDS[(i * 7 + 3) % WORDS.length]!;
  const place = PLACES[i % PLACES.length]!;
  const min = 60_000 + ((i * 7919) % 140) * 1000;
  return {
    externalId: `bench-${i}`,
    title: `${LEVELS[i % LEVELS.length]} ${ROLES[(i >> 1) % ROLES.length]} (${skill})`,
    company: `Company ${i}`,
    url: `https://jobs.example/bench/${i}`,
    location: place,
    remote: place.startsWith('Remote') ? 'remote' : i % 3 === 0 ? 'hybrid' : 'onsite',
    description: `<p>We build ${skill} and ${other} services. You will own ${other} pipelines, review code and mentor.</p>`,
    descriptionFormat: 'html',
    salary: { min, max: min + 30_000, currency: i % 4 === 0 ? 'EUR' : 'USD', interval: 'year' },
    postedAt: new Date(Date.now() - (i % 90) * 86_400_000 - i * 1000).toISOString(),
    tags: [skill.toLowerCase(), other.toLowerCase()],
  };
}

const benchKind: SourceKind = {
  kind: 'bench',
  label: 'Bench board',
  create: (row) => ({
    id: row.id,
    kind: 'bench',
    async *fetch() {
      for (let i = 0; i < POSTINGS; i++) yield posting(i);
    },
  }),
};

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(url: string, headers: Record<string, string>, n: number) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function main() {
  const name = `jobping_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  const config = loadConfig({
    DATABASE_URL: url.toString(),
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: TOKEN,
  });
  const app = await startApp(config, {
    logger: createLogger({ level: 'silent' }),
    sourceKinds: [benchKind],
    pollingIntervalSeconds: 0.5,
  });
  try {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const base = app.url!;
    await app.db.pool.query(`insert into sources (id, kind) values ('bench', 'bench')`);
    // One user wanting half the skills, so about half the postings are analysed, half pre-filtered.
    await handleText(
      app.bot,
      { platform: 'console', externalId: 'bench' },
      '/prefs set keywords=typescript,rust,go,python,react alerts=off',
    );
    const loadStarted = performance.now();
    const started = await fetch(`${base}/api/fetch`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ sourceIds: ['bench'] }),
    });
    const { runs } = (await started.json()) as { runs: { id: number }[] };
    for (;;) {
      const res = await fetch(`${base}/api/runs/${runs[0]!.id}`, { headers });
      const { progress } = (await res.json()) as { progress: { done: boolean; text: string } };
      if (progress.done) {
        console.log(
          `pipeline: ${progress.text} in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const { rows } = await app.db.pool.query('select count(*)::int as n from postings');
    console.log(`postings in the database: ${rows[0].n}; ${REQUESTS} sequential requests each, over HTTP`);
    const cases: [string, string][] = [
      ['GET /api/jobs (newest, 50)', '/api/jobs'],
      ['GET /api/jobs?q=kafka (search)', '/api/jobs?q=kafka'],
      ['GET /api/jobs?q=senior rust&sort=relevance', '/api/jobs?q=senior%20rust&sort=relevance'],
      ['GET /api/jobs?remote=remote&salaryMin=150000', '/api/jobs?remote=remote&salaryMin=150000'],
      ['GET /api/jobs?sort=salary', '/api/jobs?sort=salary'],
      ['GET /api/stats', '/api/stats'],
      ['GET /api/sources', '/api/sources'],
      ['GET /api/queues', '/api/queues'],
      ['GET /metrics', '/metrics'],
    ];
    const plan = await app.db.pool.query(
      `explain (analyze, costs off, timing off, summary on)
       select p.id from postings p left join analyses a on a.content_hash = p.content_hash
       where p.canonical_id is null order by coalesce(p.posted_at, p.first_seen_at) desc, p.id desc limit 51`,
    );
    console.log(plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'));
    for (const [label, path] of cases) {
      const n = path.startsWith('/api/jobs') ? REQUESTS : 50;
      const { p50, p95 } = await time(`${base}${path}`, headers, n);
      console.log(
        `${label.padEnd(48)} p50 ${p50.toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms`,
      );
    }

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
    const loads: number[] = [];
    for (let i = 0; i < 10; i++) {
      const context = await browser.newContext();
      await context.addInitScript((token) => sessionStorage.setItem('jobping-admin-token', token), TOKEN);
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${base}/admin`);
      await page.waitForSelector('#postings tbody tr[data-job]');
      loads.push(performance.now() - t0);
      await context.close();
    }
    await browser.close();
    loads.sort((a, b) => a - b);
    console.log(
      `operator page, navigation to dashboard filled (10 loads): p50 ${percentile(loads, 50).toFixed(0)} ms, max ${loads.at(-1)!.toFixed(0)} ms`,
    );
  } finally {
    await app.stop();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
