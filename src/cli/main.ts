// The CLI edge: parse argv, wire signals, dispatch to a command handler, map errors to exit codes.
// The only place that reads process.env for defaults and the only place that decides the exit code.
import { createInterface } from 'node:readline/promises';
import createDebug from 'debug';
import { isSmokestackError } from '../errors.js';
import { Teardown } from '../util/teardown.js';
import type { CliContext } from './context.js';
import { parseCommandLine } from './program.js';

type Handler = (args: string[], opts: Record<string, unknown>, ctx: CliContext) => Promise<number>;

const handlers: Record<string, () => Promise<Handler>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  up: async () => (await import('./commands/up.js')).upCommand,
  clean: async () => (await import('./commands/clean.js')).cleanCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  mock: async () => {
    const { mockCommand } = await import('./commands/mock.js');
    return (args, opts, ctx) => mockCommand(args[0] ?? '', opts as Parameters<typeof mockCommand>[1], ctx);
  },
  report: async () => {
    const { reportCommand } = await import('./commands/report.js');
    return (args, opts, ctx) =>
      reportCommand(args[0] ?? '', opts as Parameters<typeof reportCommand>[1], ctx);
  },
  sweep: async () => {
    const { sweepCommand } = await import('./commands/sweep.js');
    return (args, opts, ctx) => sweepCommand(args[0] ?? '', opts, ctx);
  },
  compare: async () => {
    const { compareCommand } = await import('./commands/compare.js');
    return (args, opts, ctx) =>
      compareCommand(args[0] ?? '', args[1] ?? '', opts as Parameters<typeof compareCommand>[2], ctx);
  },
};

/**
 * Testcontainers defaults for a local engine (documented in the README): our own teardown and
 * `smokestack clean` replace the Ryuk reaper, whose image may not be pullable; the host override
 * stops Testcontainers pulling an image just to find the host. A user's own settings win.
 */
function applyEnvironmentDefaults(env: NodeJS.ProcessEnv): void {
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const dockerHost = env.DOCKER_HOST;
  if (!dockerHost || dockerHost.startsWith('unix://')) env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
}

export async function main(argv: string[]): Promise<number> {
  const { stdout, stderr } = process;
  const debugWanted = argv.includes('--debug');
  if (debugWanted)
    createDebug.enable(process.env.DEBUG ? `${process.env.DEBUG},smokestack:*` : 'smokestack:*');
  applyEnvironmentDefaults(process.env);

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      stderr.write(`\nsmokestack: ${signal} received, tearing down (press Ctrl-C again to force)\n`);
      controller.abort(signal);
    } else if (signals === 2) {
      // Still remove what can be removed, all at once and briefly, then say what is left.
      stderr.write(`smokestack: ${signal} again: removing what is left (at most ${FORCE_MS / 1000}s)\n`);
      void Teardown.force(FORCE_MS).then((left) => forcedExit(left, stderr));
    } else {
      forcedExit(Teardown.pending(), stderr);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const ctx: CliContext = {
    stdout,
    stderr,
    signal: controller.signal,
    isTTY: Boolean(stdout.isTTY),
    ci: process.env.CI === 'true' || process.env.CI === '1' || !stdout.isTTY,
    confirm: process.stdin.isTTY && stderr.isTTY ? (q) => askYesNo(q, controller.signal) : undefined,
  };
  try {
    const parsed = parseCommandLine(argv, {
      writeOut: (t) => stdout.write(t),
      writeErr: (t) => stderr.write(t),
    });
    if (parsed.kind === 'printed') return 0;
    const handler = await handlers[parsed.name]!();
    return await handler(parsed.args, parsed.opts, ctx);
  } catch (error) {
    return reportError(error, stderr, debugWanted);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** A second Ctrl-C's forced removal: long enough for `docker rm -f` of a few containers. */
const FORCE_MS = 5_000;

function forcedExit(left: string[], stderr: NodeJS.WritableStream): never {
  stderr.write(
    left.length > 0
      ? `smokestack: forced exit; not torn down: ${left.join(', ')}\n  fix: run \`smokestack clean\` (this run's process is then gone, so clean removes them)\n`
      : 'smokestack: forced exit; everything started was torn down\n',
  );
  process.exit(130);
}

/** One yes/no question on the terminal; anything but y/yes (or Ctrl-C) is no. */
async function askYesNo(question: string, signal: AbortSignal): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  rl.on('SIGINT', () => rl.close());
  // Closing (Ctrl-C, end of input) does not settle a pending question in every Node version.
  const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
  try {
    const answer = await Promise.race([rl.question(question, { signal }), closed]);
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

function reportError(error: unknown, stderr: NodeJS.WritableStream, debugWanted: boolean): number {
  if (isSmokestackError(error)) {
    stderr.write(`smokestack: ${error.message}\n`);
    for (const line of error.details) stderr.write(`  ${line}\n`);
    if (error.fix) stderr.write(`  fix: ${error.fix}\n`);
    if (debugWanted && error.stack) stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`smokestack: unexpected error: ${message}\n`);
  stderr.write(
    debugWanted && error instanceof Error ? `${error.stack}\n` : '  (run with --debug for the stack trace)\n',
  );
  return 3;
}
