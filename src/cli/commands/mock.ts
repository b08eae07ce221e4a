// `smokestack mock tmdb [--port N] [--host ADDR] [--movies N] [--latency SPEC] [--fault SPEC] [--seed N]`:
// serves the built-in TMDB mock alone until Ctrl-C, then stops it (ending any hanging request)
// and returns 130. Bad option values are UsageErrors (exit 2) naming the option, with an example.

import { formatFaultSpec, parseFaultSpec } from '../../behaviour/faults.js';
import { formatLatencySpec, parseLatencySpec } from '../../behaviour/latency.js';
import type { FaultSpec, LatencySpec } from '../../behaviour/types.js';
import { UsageError } from '../../errors.js';
import { startTmdbMock } from '../../mocks/index.js';
import { waitForSignal } from '../wait.js';

export interface MockCommandOptions {
  port?: string;
  host?: string;
  movies?: string;
  latency?: string;
  fault?: string;
  seed?: string;
}

export interface MockCommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

const KINDS = ['tmdb'];

export async function mockCommand(
  kind: string,
  opts: MockCommandOptions,
  ctx: MockCommandContext,
): Promise<number> {
  if (!KINDS.includes(kind)) {
    throw new UsageError(`mock: unknown kind ${JSON.stringify(kind)} (known: ${KINDS.join(', ')})`, {
      fix: 'run `smokestack mock tmdb`; serve your own msw handlers from a scenario (mocks.<name>.module) with `smokestack up`',
    });
  }
  const port = integer('--port', opts.port ?? '0', 0, 65_535, '18471');
  const movies = integer('--movies', opts.movies ?? '10000', 1, 1_000_000, '10000');
  const seed = integer('--seed', opts.seed ?? '1', 0, Number.MAX_SAFE_INTEGER, '42');
  const latency =
    opts.latency === undefined
      ? undefined
      : spec<LatencySpec>('--latency', opts.latency, parseLatencySpec, '200ms..2s');
  const faults =
    opts.fault === undefined
      ? undefined
      : spec<FaultSpec>('--fault', opts.fault, parseFaultSpec, 'rateLimit=40/s,errors=0.01');
  const host = opts.host ?? '127.0.0.1';

  const mock = await startTmdbMock({ port, host, movies, seed, latency, faults });
  try {
    ctx.stdout.write(`${mock.name}  ${mock.url}  (containers: ${mock.containerUrl()})\n`);
    const behaviour = [
      `${movies} movies, seed ${seed}`,
      latency ? `latency ${formatLatencySpec(latency)}` : 'no added latency',
      faults ? `faults ${formatFaultSpec(faults)}` : 'no faults',
    ];
    ctx.stderr.write(`${behaviour.join('; ')}\n`);
    if (host === '127.0.0.1' || host === 'localhost' || host === '::1')
      ctx.stderr.write(
        `bound to ${host}: containers cannot reach it (use --host with the Docker bridge gateway, e.g. 172.17.0.1)\n`,
      );
    ctx.stderr.write(`try: curl '${mock.url}/3/movie/popular?page=1&api_key=k'   (Ctrl-C stops)\n`);
    await waitForSignal(ctx.signal);
  } finally {
    await mock.stop();
  }
  const s = mock.summary();
  ctx.stderr.write(`${mock.name}: ${s.calls} calls, ${s.served?.movies ?? 0} movies served\n`);
  return 130;
}

function integer(option: string, text: string, min: number, max: number, example: string): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${option}: expected a whole number from ${min} to ${max}, e.g. ${example}, got ${JSON.stringify(text)}`,
      {
        fix: `pass ${option} ${example}`,
      },
    );
  }
  return n;
}

function spec<T>(option: string, text: string, parse: (t: string) => T, example: string): T {
  try {
    return parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${option}: ${message}`, { fix: `pass a valid value, e.g. ${option} '${example}'` });
  }
}
