import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../src/db/embedded.ts';

/**
 * `jobping start` as a real child process (`node bin/jobping.js start`), the way an operator runs
 * it: configured by environment only, ready when GET /readyz answers 200, stopped with SIGTERM.
 * Its resident memory is read from /proc/<pid>/status.
 */

export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const ROOT = path.join(import.meta.dirname, '..');

export interface JobPingProcess {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 from /readyz. */
  readyMs: number;
  /** Resident memory now, in MiB. */
  rssMiB(): number;
  /** The last lines it wrote (for errors). */
  output(): string;
  stop(): Promise<void>;
}

export async function startJobPing(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<JobPingProcess> {
  const port = await freePort();
  const lines: string[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/jobping.js'), 'start'], {
    cwd: ROOT,
    // Only what is given: the bench's own DATABASE_URL must not leak into an embedded-database run.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ADMIN_TOKEN,
      // No scheduled fetch during a measurement.
      FETCH_CRON: '0 0 1 1 *',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, exited, options.timeoutMs ?? 120_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${lines.join('\n')}`);
  }
  const readyMs = performance.now() - started;
  return {
    pid: child.pid!,
    url,
    readyMs,
    rssMiB: () => rssMiB(child.pid!),
    output: () => lines.join('\n'),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitReady(
  url: string,
  child: ChildProcess,
  exited: Promise<number | null>,
  timeoutMs: number,
) {
  const deadline = performance.now() + timeoutMs;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (performance.now() < deadline) {
    if (done) throw new Error(`jobping start exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`jobping start was not ready within ${timeoutMs} ms`);
}

export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Samples a process's resident memory every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 250) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    try {
      samples.push(rssMiB(pid));
    } catch {
      // The process ended; the samples so far stand.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return {
        peak: samples.length ? Math.max(...samples) : Number.NaN,
        mean: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : Number.NaN,
      };
    },
  };
}
