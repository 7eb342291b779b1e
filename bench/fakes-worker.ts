import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startFakeBoards } from '../test/fakes/boards.ts';
import { startFakeOpenAI } from '../test/fakes/openai.ts';
import { generatePostings, greenhouseJob } from './generate.ts';

/**
 * The outside world of the throughput scenario — generated Greenhouse boards and the fake OpenAI
 * server — in a worker thread of its own, so that answering 160 model calls a second does not
 * delay the main thread's timings (Slack acknowledgements, progress polling).
 */

export interface FakesOptions {
  postings: number;
  boards: number;
  duplicateShare: number;
  /** null: no model server (the heuristic analyzer runs). */
  latencyMs: number | null;
}

export interface Fakes {
  boardsUrl: string;
  openaiUrl: string | null;
  /** Greenhouse board tokens. */
  boards: string[];
  uniquePostings: number;
  totalPostings: number;
  close(): Promise<void>;
}

type Ready = Omit<Fakes, 'close'>;

export function startFakes(options: FakesOptions): Promise<Fakes> {
  const worker = new Worker(new URL(import.meta.url), { workerData: options });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (ready: Ready) =>
      resolve({
        ...ready,
        async close() {
          const closed = new Promise((r) => worker.once('message', r));
          worker.postMessage('close');
          await closed;
          await worker.terminate();
        },
      }),
    );
  });
}

async function serve(options: FakesOptions) {
  const scenario = generatePostings(options);
  const boards = await startFakeBoards();
  let id = 4_000_000;
  const tokens: string[] = [];
  for (const [name, postings] of scenario.boards) {
    const token = `bench-${name}`;
    tokens.push(token);
    boards.data.greenhouseBoards[token] = postings.map((p) => greenhouseJob(p, id++));
  }
  const openai = options.latencyMs === null ? null : await startFakeOpenAI({ latencyMs: options.latencyMs });
  const ready: Ready = {
    boardsUrl: boards.url,
    openaiUrl: openai?.url ?? null,
    boards: tokens,
    uniquePostings: scenario.uniquePostings,
    totalPostings: scenario.totalPostings,
  };
  parentPort!.on('message', async () => {
    await boards.close();
    await openai?.close();
    parentPort!.postMessage('closed');
  });
  parentPort!.postMessage(ready);
}

if (!isMainThread) await serve(workerData as FakesOptions);
