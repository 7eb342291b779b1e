import type { LogPort } from '../../core/ports.ts';

/**
 * Work that outlives the update that started it (a `/jobs fetch` follows its fetch for minutes;
 * holding the update that long would hold the chat's queue and the webhook request). Shutdown
 * waits for it, up to a limit.
 */
export class TaskSet {
  readonly #running = new Set<Promise<void>>();
  readonly #logger: LogPort;

  constructor(logger: LogPort) {
    this.#logger = logger;
  }

  run(name: string, fn: () => Promise<void>): void {
    const task = fn()
      .catch((err) => this.#logger.error({ err, task: name }, 'telegram background task failed'))
      .finally(() => this.#running.delete(task));
    this.#running.add(task);
  }

  get size(): number {
    return this.#running.size;
  }

  /** Resolves when every task is done, or after `timeoutMs`, whichever comes first. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.#running]), timeout]);
    clearTimeout(timer);
  }
}
