// The `smokestack mock` handler called directly (no build needed): option validation, what it
// prints, serving until the signal aborts, and the exit code.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mockCommand } from '../../../src/cli/commands/mock.js';
import { UsageError } from '../../../src/errors.js';

function context() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  const controller = new AbortController();
  return { ctx: { stdout, stderr, signal: controller.signal }, controller, out: () => out, err: () => err };
}

describe('mockCommand', () => {
  it('serves TMDB until the signal aborts, then stops and returns 130', async () => {
    const { ctx, controller, out, err } = context();
    const running = mockCommand(
      'tmdb',
      { port: '0', host: '127.0.0.1', movies: '30', latency: '10ms', seed: '3' },
      ctx,
    );
    while (!/tmdb {2}http/.test(out())) await new Promise((r) => setTimeout(r, 20));
    const url =
      /tmdb {2}(http:\/\/127\.0\.0\.1:\d+) {2}\(containers: http:\/\/host\.docker\.internal:\d+\)/.exec(
        out(),
      )?.[1];
    expect(url).toBeDefined();
    expect(err()).toContain('30 movies, seed 3; latency 10ms; no faults');
    expect(err()).toContain('bound to 127.0.0.1: containers cannot reach it');
    const page = (await (await fetch(`${url}/3/movie/popular?api_key=k`)).json()) as {
      total_results: number;
    };
    expect(page.total_results).toBe(30);
    controller.abort('SIGINT');
    expect(await running).toBe(130);
    expect(err()).toContain('tmdb: 1 calls, 20 movies served');
    await expect(fetch(`${url}/3/configuration?api_key=k`)).rejects.toThrow();
  });

  it.each([
    ['kind', 'imdb', {}, 'mock: unknown kind "imdb" (known: tmdb)'],
    ['port', 'tmdb', { port: '-1' }, '--port: expected a whole number from 0 to 65535, e.g. 18471, got "-1"'],
    [
      'movies',
      'tmdb',
      { movies: '0' },
      '--movies: expected a whole number from 1 to 1000000, e.g. 10000, got "0"',
    ],
    ['seed', 'tmdb', { seed: '1.5' }, '--seed: expected a whole number'],
    ['latency', 'tmdb', { latency: '200' }, '--latency: expected a latency like 800ms, 200ms..2s'],
    ['fault', 'tmdb', { fault: 'boom=1' }, '--fault: unknown fault "boom"'],
  ])('refuses a bad %s with a UsageError before starting anything', async (_what, kind, opts, message) => {
    const { ctx } = context();
    const error = await mockCommand(kind, opts, ctx).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(message);
    expect(error.fix).toBeTruthy();
  });
});
