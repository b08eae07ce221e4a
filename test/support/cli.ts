// Runs the built CLI (bin/smokestack.js → dist/) as a user would: a child process, real argv,
// real exit code. `npm test` builds dist first.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/smokestack.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): {
  child: ChildProcess;
  done: Promise<CliRun>;
  output: () => { stdout: string; stderr: string };
} {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, CI: 'true', FORCE_COLOR: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return startCli(args, options).done;
}

/** Resolves once `predicate(output)` holds, polling; rejects after `ms`. */
export async function waitForOutput(
  output: () => { stdout: string; stderr: string },
  predicate: (o: { stdout: string; stderr: string }) => boolean,
  ms = 60_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate(output())) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for output; got:\n${JSON.stringify(output())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
