import type { DeliveryFigures } from './delivery.ts';
import type { FanoutFigures } from './fanout.ts';
import type { StartupFigures } from './footprint.ts';
import type { AckFigures } from './responsiveness.ts';
import type { ThroughputFigures } from './throughput.ts';

/** The markdown report of `npm run bench`: one table per scenario, each beside its baseline. */

export interface Results {
  throughput: ThroughputFigures[];
  fanout: FanoutFigures[];
  delivery: (DeliveryFigures & { label: string })[];
  startup: StartupFigures[];
}

const n = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x)
    ? '—'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (x: number | null) => (x === null ? '—' : `$${x < 1 ? x.toFixed(3) : n(x, 2)}`);

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function throughputTable(rs: ThroughputFigures[]): string {
  const model = rs.find((r) => r.concurrency !== null);
  const rows: [string, (r: ThroughputFigures) => string, string][] = [
    ['first fetch → every posting analysed and matched (s)', (r) => n(r.fetchSeconds[0], 1), '—'],
    ['unique postings per second', (r) => n(r.postingsPerSecond, 1), '—'],
    [
      'analysed per second (ideal = concurrency ÷ latency)',
      (r) =>
        r.idealPerSecond
          ? `${n(r.analysedPerSecond, 1)} of ${n(r.idealPerSecond)} (${n((r.analysedPerSecond / r.idealPerSecond) * 100)}%), concurrency ${r.concurrency}`
          : n(r.analysedPerSecond, 1),
      '—',
    ],
    [
      '2nd and 3rd fetch, nothing new (s)',
      (r) =>
        r.fetchSeconds
          .slice(1)
          .map((s) => n(s, 1))
          .join(', '),
      '—',
    ],
    [
      'model calls over the three fetches',
      (r) => (r.concurrency ? n(r.modelCalls) : '—'),
      model ? n(model.oldDesignCalls) : '—',
    ],
    [
      'model calls per unique posting',
      (r) => (r.concurrency ? n(r.callsPerUniquePosting, 2) : '—'),
      model ? n(model.oldDesignCalls / model.uniquePostings, 0) : '—',
    ],
    ['… per unique posting the pre-filter let through (target 1.00)', (r) => n(r.callsPerAnalysed, 2), '—'],
    [
      'model calls on the 2nd and 3rd fetch',
      (r) => (r.concurrency ? n(r.repeatFetchCalls) : '—'),
      model ? n((model.oldDesignCalls * 2) / 3) : '—',
    ],
    ['pre-filter skip rate (no user could want it)', (r) => `${n(r.preFilterSkipRate * 100, 1)}%`, '0%'],
    ['a model call as JobPing timed it (ms)', (r) => n(r.callMs), '—'],
    [
      'input tokens per call',
      (r) => n(r.inputTokensPerCall),
      model ? `≥ ${n(model.inputTokensPerCall)}` : '—',
    ],
    [
      'model cost per 1,000 postings, three fetches',
      (r) => usd(r.costPer1000),
      model ? `≥ ${usd(model.oldDesignCostPer1000)}` : '—',
    ],
    ['matches stored', (r) => n(r.matches), '—'],
  ];
  return table(
    [
      '',
      ...rs.map((r) => (r.concurrency ? `${r.analyzer}` : r.analyzer)),
      'old design (one call per posting per user per fetch)',
    ],
    rows.map(([label, f, old]) => [label, ...rs.map(f), old]),
  );
}

function fanoutTable(rs: FanoutFigures[]): string {
  const base = rs[0]!;
  return table(
    [
      'users',
      'new postings',
      'seconds',
      'pairs past the filters',
      'matches stored',
      'SQL round trips',
      'growth',
      'where the time went (s)',
    ],
    rs.map((r) => [
      n(r.users),
      n(r.postings),
      n(r.seconds, 1),
      n(r.candidates),
      n(r.matches),
      n(r.queries),
      r === base ? '—' : `${n(r.seconds / base.seconds, 1)}× time for ${n(r.users / base.users)}× users`,
      `filters ${n(r.timings.candidatesMs / 1000, 1)}, scoring ${n(r.timings.scoreMs / 1000, 1)}, storing ${n(r.timings.storeMs / 1000, 1)}`,
    ]),
  );
}

function deliveryTable(rs: Results['delivery']): string {
  return table(
    [
      'notify',
      'alerts (users)',
      'seconds',
      'floor at 30/s',
      'messages/s',
      '429s received',
      'duplicates',
      'lost',
    ],
    rs.map((r) => [
      r.label,
      `${n(r.alerts)} (${n(r.users)})`,
      n(r.seconds, 1),
      n(r.floorSeconds, 1),
      n(r.messagesPerSecond, 1),
      n(r.tooManyRequests),
      n(r.duplicates),
      n(r.lost),
    ]),
  );
}

function ackTable(rs: ThroughputFigures[]): string {
  const cols: [string, AckFigures][] = [];
  if (rs[0]) cols.push(['idle', rs[0].slackIdle]);
  for (const r of rs) cols.push([`during scenario 1, ${r.analyzer}`, r.slackLoad]);
  const ms = (x: number) => n(x, 1);
  return table(
    ['Slack `/jobs` (ms)', ...cols.map(([c]) => c)],
    [
      ['acknowledgement p50', ...cols.map(([, f]) => ms(f.ackP50))],
      ['acknowledgement p99', ...cols.map(([, f]) => ms(f.ackP99))],
      ['answer at the response_url p50', ...cols.map(([, f]) => ms(f.answerP50))],
      ['answer at the response_url p99', ...cols.map(([, f]) => ms(f.answerP99))],
      ['requests (unanswered)', ...cols.map(([, f]) => `${f.requests} (${f.unanswered})`)],
    ],
  );
}

function footprintTables(r: Results): string[] {
  const out: string[] = [];
  if (r.throughput.length) {
    out.push(
      table(
        [
          'resident memory of `jobping start` (MiB)',
          'idle',
          'mean under scenario 1',
          'peak under scenario 1',
        ],
        r.throughput.map((t) => [t.analyzer, n(t.rssIdle), n(t.rssMean), n(t.rssPeak)]),
      ),
    );
  }
  if (r.startup.length) {
    out.push(
      table(
        ['start → /readyz 200', 'first start (ms)', 'restart (ms)', 'idle memory (MiB)'],
        r.startup.map((s) => [s.database, n(s.firstStartMs), n(s.restartMs), n(s.idleRssMiB)]),
      ),
    );
  }
  return out;
}

export function renderReport(r: Results, header: string[]): string {
  const parts = [...header];
  const t = r.throughput;
  if (t.length) {
    parts.push(`### 1–2. Throughput and model economy\n\n${throughputTable(t)}`);
    parts.push(`### 5. Responsiveness while scenario 1 runs\n\n${ackTable(t)}`);
  }
  if (r.fanout.length)
    parts.push(
      `### 3. Fan-out: matching ${n(r.fanout[0]!.postings)} new postings\n\n${fanoutTable(r.fanout)}`,
    );
  if (r.delivery.length)
    parts.push(`### 4. Delivery: Telegram DMs under flood limits\n\n${deliveryTable(r.delivery)}`);
  const foot = footprintTables(r);
  if (foot.length) parts.push(`### 6. Footprint\n\n${foot.join('\n\n')}`);
  return `${parts.join('\n\n')}\n`;
}
