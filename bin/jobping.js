#!/usr/bin/env node
// Entry point of the `jobping` command. Node ≥ 22.18 runs our TypeScript sources directly (type
// stripping); on 22.12–22.17 we re-run ourselves with the flag that enables it.
import { spawn } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `JobPing needs Node.js 22.12 or newer (24 recommended, see .nvmrc); this is ${process.version}.\n`,
  );
  process.exit(1);
}

if (process.features.typescript) await runJobPing();
else respawnWithTypeScript();

/**
 * Runs JobPing in a child with type stripping on, and stays in front of it: a service manager
 * (systemd, pm2, Docker) signals this process, so signals are passed on, and this process exits
 * as the child did, once it has shut down.
 */
function respawnWithTypeScript() {
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  const forward = (signal) => {
    // Ctrl-C in a terminal already reaches the child (same foreground process group); a second
    // SIGINT from us would read as "stop now, without waiting for running jobs".
    if (signal === 'SIGINT' && process.stdin.isTTY) return;
    child.kill(signal);
  };
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (err) => {
    process.stderr.write(`jobping: could not start ${process.execPath}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== null) process.exit(code);
    // Killed by a signal: end the same way, so whoever watches us sees what happened.
    for (const s of signals) process.removeListener(s, forward);
    process.kill(process.pid, signal ?? 'SIGTERM');
  });
}

async function runJobPing() {
  // `jobping sources list | head`: a reader that goes away is not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  const { runCli } = await import('../src/cli.ts');
  const code = await runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  process.exitCode = code;
  // Everything is closed by now; should a stray handle keep the process alive, do not hang.
  setTimeout(() => process.exit(code), 3000).unref();
}
