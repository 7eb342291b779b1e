import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchServer } from './db.ts';
import { runDelivery } from './delivery.ts';
import { runFanoutBench } from './fanout.ts';
import { runFootprint } from './footprint.ts';
import { type Results, renderReport } from './report.ts';
import { runThroughput } from './throughput.ts';

/**
 * `npm run bench`: the benchmark suite against local fakes, each scenario beside its baseline;
 * prints one markdown report and writes bench/results/<time>.json and .md. Not part of `npm test`.
 *
 *   --only throughput,fanout,delivery,footprint   a subset (throughput = scenarios 1, 2, 5 and
 *                                                 the memory of 6; footprint = start-up times)
 *   --quick                                       small sizes, for a check in about two minutes
 *   --postings N --users M --boards B --latency MS --concurrency C
 *   --fanout 1000,10000,50000 --alerts N --per-user K --keep (keep the fan-out databases)
 */

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    postings: { type: 'string' },
    users: { type: 'string' },
    boards: { type: 'string', default: '10' },
    latency: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '32' },
    fanout: { type: 'string' },
    alerts: { type: 'string' },
    'per-user': { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const size = {
  postings: Number(values.postings ?? (quick ? 1000 : 10_000)),
  users: Number(values.users ?? (quick ? 200 : 1000)),
  boards: Number(values.boards),
  latencyMs: Number(values.latency),
  concurrency: Number(values.concurrency),
  fanout: (values.fanout ?? (quick ? '1000,5000' : '1000,10000,50000')).split(',').map(Number),
  alerts: Number(values.alerts ?? (quick ? 300 : 2000)),
  perUser: Number(values['per-user']),
};
const ALIASES: Record<string, string> = {
  pipeline: 'throughput',
  economy: 'throughput',
  responsiveness: 'throughput',
};
const only = values.only?.split(',').map((s) => ALIASES[s.trim()] ?? s.trim());
const wanted = (name: string) => !only || only.includes(name);
const log = (line: string) => process.stderr.write(`${line}\n`);

const server = await benchServer();
const started = new Date();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
const results: Results = { throughput: [], fanout: [], delivery: [], startup: [] };
try {
  if (wanted('throughput')) {
    const base = { adminUrl: server.adminUrl, ...size, log };
    log(`1. throughput: ${size.postings} postings, ${size.users} users, heuristic analyzer`);
    results.throughput.push(await runThroughput({ ...base, latencyMs: null }));
    log(`1. throughput: fake OpenAI at ${size.latencyMs} ms, concurrency ${size.concurrency}`);
    results.throughput.push(await runThroughput(base));
  }
  if (wanted('fanout')) {
    log(`3. fan-out: 1,000 postings against ${size.fanout.join(', ')} users`);
    results.fanout = await runFanoutBench(server.adminUrl, size.fanout, 1000, values.keep);
  }
  if (wanted('delivery')) {
    log(`4. delivery: ${size.alerts} Telegram alerts, ${size.perUser} per user`);
    const figures = await runDelivery(server.adminUrl, { alerts: size.alerts, perUser: size.perUser, log });
    results.delivery.push({ label: 'paced (this version)', ...figures });
  }
  if (wanted('footprint')) {
    log('6. start-up time');
    results.startup = await runFootprint(server.adminUrl, server.kind, log);
  }
} finally {
  await server.stop();
}

const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}, PostgreSQL: ${server.kind}`;
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const header = [
  `## JobPing benchmarks — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  [
    `Machine: ${machine}.`,
    `Command: \`${command}\`; ${((Date.now() - started.getTime()) / 60_000).toFixed(1)} minutes; load average ${loadBefore} before, ${load()} after (other work on the machine shows here).`,
    `Data: ${size.postings.toLocaleString('en-US')} generated postings (80% tech roles naming 1–3 of 40 skills, popular ones more often; 24 cities and 15% remote; 60% state pay) on ${size.boards} Greenhouse boards, 20% of them also on a second board; users name 2–4 specific skills or roles (9% one, 1% none) and a city (remote jobs pass it) or remote only; 40% set a pay floor, 30% a seniority.`,
  ].join('\n'),
];
const markdown = renderReport(results, header);
process.stdout.write(markdown);
const dir = path.join(import.meta.dirname, 'results');
await fs.mkdir(dir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
await fs.writeFile(
  path.join(dir, `${stamp}.json`),
  JSON.stringify({ machine, command, size, loadBefore, ...results }, null, 2),
);
await fs.writeFile(path.join(dir, `${stamp}.md`), markdown);
log(`written: bench/results/${stamp}.json and .md`);
