import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startApp } from '../src/main.ts';
import { BOT_TOKEN, SIGNING_SECRET, startFakeSlack } from '../test/fakes/slack.ts';
import { percentile, slashCommandBody } from './responsiveness.ts';

/**
 * `node bench/slack-ack.ts [--requests 50] [--command /jobs] [--text ""]`: how fast the real Bolt
 * app on the shared server acknowledges a signed slash command (Slack gives up after 3 s), and how
 * long until the answer reaches the response_url. Needs DATABASE_URL (a server it may create a
 * scratch database on). Prints p50 / p95 / max in milliseconds.
 */

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '50' },
    command: { type: 'string', default: '/jobs' },
    text: { type: 'string', default: '' },
  },
});
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl)
  throw new Error('set DATABASE_URL to a PostgreSQL server the benchmark may create a database on');

const name = `jobping_bench_slack_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${name}`;

const fake = await startFakeSlack();
const logger = createLogger({ level: 'error', format: 'json' });
const config = loadConfig({
  DATABASE_URL: dbUrl.toString(),
  PORT: '0',
  LOG_LEVEL: 'warn',
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: fake.apiUrl,
});
const app = await startApp(config, { logger, role: 'web' });
const url = `${app.url!.replace('localhost', '127.0.0.1')}/slack/events`;

const ack: number[] = [];
const answered: number[] = [];
try {
  const n = Number(values.requests);
  for (let i = 0; i < n + 5; i++) {
    const id = `bench-${i}`;
    const body = slashCommandBody(fake, {
      id,
      user: `UBENCH${i % 5}`,
      command: values.command,
      text: values.text,
    });
    const sentAt = Date.now();
    const res = await fake.send(url, body, 'application/x-www-form-urlencoded');
    if (res.status !== 200) throw new Error(`request ${i}: HTTP ${res.status}`);
    const answer = await fake.waitForResponse(id);
    if (i < 5) continue; // warm-up: first connections, first queries
    ack.push(res.ms);
    answered.push(answer.at - sentAt);
  }
} finally {
  await app.stop();
  await fake.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

const row = (label: string, xs: number[]) =>
  `| ${label} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;
console.log(`\n${ack.length} × ${values.command} ${values.text}`.trimEnd());
console.log('| ms | p50 | p95 | max |\n|---|---|---|---|');
console.log(row('HTTP ack (signed request → 200)', ack));
console.log(row('answer at the response_url', answered));
