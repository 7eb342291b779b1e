import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testLogger } from '../../test/helpers/db.ts';
import { PermanentJobError } from '../core/errors.ts';
import { DEAD_LETTER, InvalidPayloadError, type Queues, startQueues } from './queues.ts';

let db: TestDatabase;
let queues: Queues;

beforeAll(async () => {
  db = await createTestDatabase();
  queues = await startQueues({
    url: db.url,
    logger: testLogger,
    spies: true,
    supervise: false,
    schedule: false,
  });
  // Spies record only from the moment they exist.
  queues.boss.getSpy('analyze');
  queues.boss.getSpy('fetch');
});
afterAll(async () => {
  await queues.stop(5000);
  await db.drop();
});

describe('queue catalogue', () => {
  it('rejects an invalid payload on send with a clear error, and nothing is queued', async () => {
    // @ts-expect-error: deliberately wrong payload
    const sending = queues.send('notify', { deliveryId: 'seven' });
    await expect(sending).rejects.toBeInstanceOf(InvalidPayloadError);
    // @ts-expect-error: deliberately wrong payload
    await expect(queues.send('notify', { deliveryId: 'seven' })).rejects.toThrow(
      /invalid payload for queue "notify": deliveryId: .*number/,
    );
    const queue = await queues.boss.getQueue('notify');
    expect(queue?.queuedCount ?? 0).toBe(0);
  });

  it('a malformed job that reaches the queue anyway never reaches the handler and is dead-lettered', async () => {
    const handled: unknown[] = [];
    await queues.work('analyze', async (payload) => void handled.push(payload), {
      pollingIntervalSeconds: 0.5,
    });
    const badId = await queues.boss.send('analyze', { contentHash: 'not-a-hash' });
    const good = 'a'.repeat(64);
    const goodId = await queues.send('analyze', { contentHash: good });
    await queues.boss.getSpy('analyze').waitForJobWithId(goodId!, 'completed');
    await queues.boss.getSpy('analyze').waitForJobWithId(badId!, 'failed');
    expect(handled).toEqual([{ contentHash: good }]);
    const dead = await queues.boss.findJobs(DEAD_LETTER, { data: { contentHash: 'not-a-hash' } });
    expect(dead).toHaveLength(1);
  });

  it('a permanent job error goes to the dead-letter queue without retries', async () => {
    let calls = 0;
    await queues.work(
      'fetch',
      async () => {
        calls++;
        throw new PermanentJobError('source was deleted');
      },
      { pollingIntervalSeconds: 0.5 },
    );
    const id = await queues.send('fetch', { runId: 42 });
    await queues.boss.getSpy('fetch').waitForJobWithId(id!, 'failed');
    expect(calls).toBe(1);
    const job = await queues.boss.getJobById('fetch', id!);
    expect(job?.state).toBe('failed');
    expect(await queues.boss.findJobs(DEAD_LETTER, { data: { runId: 42 } })).toHaveLength(1);
  });
});
