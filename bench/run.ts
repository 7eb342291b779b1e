import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchServer } from './db.ts';
import { type FanoutFigures, runFanoutBench } from './fanout.ts';
import { type PipelineFigures, runPipelineBench } from './pipeline.ts';

/**
 * `npm run bench`: runs the benchmark scenarios against local fakes and prints a markdown table;
 * the figures also go to bench/results/<timestamp>.json. Not part of `npm test`.
 *   --postings N --users M --latency MS --concurrency C
 */

const { values } = parseArgs({
  options: {
    postings: { type: 'string', default: '2000' },
    users: { type: 'string', default: '500' },
    latency: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '32' },
    fanout: { type: 'string', default: '1000,10000,50000' },
    only: { type: 'string' },
  },
});
const wanted = (name: string) => !values.only || values.only.split(',').includes(name);

const fmt = (n: number | null, digits = 2) => (n === null ? '—' : n.toFixed(digits));

function table(results: PipelineFigures[]): string {
  const rows: [string, (r: PipelineFigures) => string][] = [
    ['analyzer', (r) => r.analyzer],
    ['postings fetched (unique)', (r) => `${r.postings} (${r.uniquePostings})`],
    ['users', (r) => String(r.users)],
    ['first fetch → all matched (s)', (r) => fmt(r.firstFetchSeconds)],
    ['postings/s through the pipeline', (r) => fmt(r.postingsPerSecond, 1)],
    [
      'analysed contents/s (ideal = concurrency ÷ latency)',
      (r) =>
        `${fmt(r.analysedPerSecond, 1)}${r.idealAnalysedPerSecond ? ` (ideal ${fmt(r.idealAnalysedPerSecond, 0)}, ${fmt((r.analysedPerSecond / r.idealAnalysedPerSecond) * 100, 0)}%)` : ''}`,
    ],
    ['model calls, 3 fetches', (r) => String(r.modelCalls)],
    ['model calls per analysed content (target 1.00)', (r) => fmt(r.callsPerAnalysedContent)],
    ['model calls on the 2nd and 3rd fetch', (r) => String(r.repeatFetchCalls)],
    ['pre-filter skip rate', (r) => `${fmt(r.preFilterSkipRate * 100, 1)}%`],
    ['input tokens per call', (r) => fmt(r.inputTokensPerCall, 0)],
    [
      'cost per 1,000 postings (USD)',
      (r) => (r.costPer1000Postings === null ? '—' : `$${r.costPer1000Postings.toFixed(4)}`),
    ],
    ['old design: calls (posting × user × fetch)', (r) => r.naiveModelCalls.toLocaleString('en-US')],
    ['matches', (r) => String(r.matches)],
  ];
  const head = `| figure | ${results.map((r) => r.analyzer).join(' | ')} |\n|---|${results.map(() => '---').join('|')}|`;
  return [head, ...rows.slice(1).map(([name, f]) => `| ${name} | ${results.map(f).join(' | ')} |`)].join(
    '\n',
  );
}

function fanoutTable(results: FanoutFigures[]): string {
  const base = results[0];
  const lines = results.map((r) => {
    const growth = base
      ? `${(r.seconds / base.seconds).toFixed(1)}× time for ${(r.users / base.users).toFixed(0)}× users`
      : '';
    return `| ${r.users.toLocaleString('en-US')} | ${r.postings} | ${r.seconds.toFixed(2)} | ${r.candidates.toLocaleString('en-US')} | ${r.matches.toLocaleString('en-US')} | ${r.queries} | ${growth} |`;
  });
  return [
    '| users | new postings | seconds | pairs past the filters | matches stored | SQL round trips | growth |',
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

const server = await benchServer();
const started = new Date();
const results: PipelineFigures[] = [];
let fanout: FanoutFigures[] = [];
try {
  const base = {
    adminUrl: server.adminUrl,
    postings: Number(values.postings),
    users: Number(values.users),
    log: (l: string) => process.stderr.write(`${l}\n`),
  };
  if (wanted('pipeline')) {
    process.stderr.write(`pipeline, heuristic analyzer (${base.postings} postings, ${base.users} users)\n`);
    results.push(await runPipelineBench({ ...base, modelLatencyMs: null }));
    process.stderr.write(`pipeline, fake OpenAI at ${values.latency} ms\n`);
    results.push(
      await runPipelineBench({
        ...base,
        modelLatencyMs: Number(values.latency),
        concurrency: Number(values.concurrency),
      }),
    );
  }
  if (wanted('fanout')) {
    process.stderr.write(`fan-out: 1,000 postings against ${values.fanout} users\n`);
    fanout = await runFanoutBench(server.adminUrl, values.fanout.split(',').map(Number));
  }
} finally {
  await server.stop();
}
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL: ${server.kind}`;
const sections = [`## Benchmarks — ${started.toISOString().slice(0, 16)}Z\n\n${machine}`];
if (results.length) sections.push(`### Pipeline throughput and model economy\n\n${table(results)}`);
if (fanout.length) sections.push(`### Fan-out: matching 1,000 new postings\n\n${fanoutTable(fanout)}`);
const markdown = `${sections.join('\n\n')}\n`;
process.stdout.write(markdown);
const dir = path.join(import.meta.dirname, 'results');
await fs.mkdir(dir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
await fs.writeFile(
  path.join(dir, `${stamp}.json`),
  JSON.stringify({ machine, pipeline: results, fanout }, null, 2),
);
await fs.writeFile(path.join(dir, `${stamp}.md`), markdown);
