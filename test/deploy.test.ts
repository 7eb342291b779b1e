import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.ts';

/** No Docker engine runs here, so we check that every command the deploy files name exists. */

async function accepts(args: string[]): Promise<boolean> {
  const err: string[] = [];
  // `--help` makes a known command print usage and exit 0 without starting anything.
  const code = await runCli([...args, '--help'], { out: () => {}, err: (l) => err.push(l), env: {} });
  return code === 0 && !err.join('').includes('unknown command');
}

function splitArgs(command: string) {
  return command.trim().split(/\s+/);
}

describe('deploy files', () => {
  it('fly.toml: every process and the release command are jobping commands, and shutdown waits for jobs', async () => {
    const fly = await fs.readFile('fly.toml', 'utf8');
    const release = /release_command\s*=\s*"([^"]+)"/.exec(fly)?.[1];
    const processes = [...fly.matchAll(/^\s*(web|worker)\s*=\s*"([^"]+)"/gm)].map((m) => m[2]!);
    expect(release).toBe('migrate');
    expect(processes).toEqual(['start --role web', 'start --role worker']);
    for (const command of [release!, ...processes])
      expect(await accepts(splitArgs(command)), command).toBe(true);
    expect(fly).toMatch(/kill_signal\s*=\s*"SIGTERM"/);
    const killTimeout = Number(/kill_timeout\s*=\s*(\d+)/.exec(fly)?.[1]);
    expect(killTimeout * 1000).toBeGreaterThan(20_000); // the default SHUTDOWN_TIMEOUT_MS
    expect(fly).toMatch(/auto_stop_machines\s*=\s*"off"/);
    expect(fly).toMatch(/path\s*=\s*"\/healthz"/);
  });

  it('fly.toml: the worker group has a health check on the port it serves /healthz on', async () => {
    const fly = await fs.readFile('fly.toml', 'utf8');
    const section = /^\[checks\.[\w-]+\]\n((?:[ \t]+.*\n)+)/m.exec(fly)?.[1] ?? '';
    expect(section).toMatch(/processes\s*=\s*\["worker"\]/);
    expect(section).toMatch(/type\s*=\s*"http"/);
    expect(section).toMatch(/path\s*=\s*"\/healthz"/);
    const port = /port\s*=\s*(\d+)/.exec(section)?.[1];
    expect(port).toBe(/PORT\s*=\s*"(\d+)"/.exec(fly)?.[1]);
  });

  it('fly.toml: machines have room for the measured peak memory (686 MiB)', async () => {
    const fly = await fs.readFile('fly.toml', 'utf8');
    const sizes = [...fly.matchAll(/^\s*memory\s*=\s*"(\d+)(mb|gb)"/gm)].map(
      (m) => Number(m[1]) * (m[2] === 'gb' ? 1024 : 1),
    );
    expect(sizes.length).toBeGreaterThan(0);
    for (const mb of sizes) expect(mb).toBeGreaterThanOrEqual(1024);
  });

  it('Dockerfile: the entrypoint runs the jobping CLI and its default command exists', async () => {
    const docker = await fs.readFile('Dockerfile', 'utf8');
    expect(docker).toMatch(/ENTRYPOINT \[.*"node", "bin\/jobping\.js"\]/);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(docker)![1]!) as string[];
    expect(await accepts(cmd)).toBe(true);
    expect(docker).toMatch(/^FROM node:24/m);
    expect(docker).toMatch(/npm ci --omit=dev/);
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toMatch(/HEALTHCHECK .*\/healthz/);
    for (const dir of ['bin', 'src', 'migrations']) await expect(fs.stat(dir)).resolves.toBeTruthy();
  });

  it('an unknown command or option prints usage on stderr and exits 2', async () => {
    const err: string[] = [];
    expect(await runCli(['launch'], { out: () => {}, err: (l) => err.push(l), env: {} })).toBe(2);
    expect(err.join('\n')).toMatch(/unknown command "launch"[\s\S]*Usage: jobping/);
    err.length = 0;
    expect(
      await runCli(['start', '--colour', 'red'], { out: () => {}, err: (l) => err.push(l), env: {} }),
    ).toBe(2);
    expect(err.join('\n')).toMatch(/Unknown option '--colour'[\s\S]*Usage/);
  });
});
