#!/usr/bin/env node
// Entry point of the `jobping` command. Node ≥ 22.18 runs our TypeScript sources directly (type
// stripping); on 22.12–22.17 we re-run ourselves with the flag that enables it.
import { spawnSync } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `JobPing needs Node.js 22.12 or newer (24 recommended, see .nvmrc); this is ${process.version}.\n`,
  );
  process.exit(1);
}

if (!process.features.typescript) {
  const result = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', ...process.argv.slice(1)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(result.status ?? 1);
}

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
