// One stack for every step of a sweep (src/sweep/reuse-stack.ts), with real containers: the
// database is recreated from its template and the mocks restarted between steps, so a step run
// after a bigger one starts from the same empty, migrated database and fresh mock counters a
// plain run starts from. The integrity check `count(*) = mocks.tmdb.movies` fails if the rows of
// the step before stayed, and the mock's call count shows its log was not carried over. Ctrl-C
// tears the shared stack down and exits 130.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/types.js';
import type { SweepJson } from '../../src/sweep/sweep-json.js';
import { repoRoot, runCli, startCli, waitForOutput } from '../support/cli.js';
import { dockerAvailable, imageExists } from '../support/docker.js';

const ready = dockerAvailable && imageExists('localmovies:incident');
if (!ready && !process.env.CI) console.warn('[e2e] skipped: needs a Docker engine and `npm run images`');
const env = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  SMOKESTACK_POSTGRES_IMAGE: process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
};
const fixture = 'test/fixtures/scenarios/sweep/import-dataset.yaml';

function containersOf(runId: string): number {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=smokestack.run=${runId}`], {
    encoding: 'utf8',
  });
  return ids.split('\n').filter(Boolean).length;
}

describe.skipIf(!ready && !process.env.CI)('sweep with one stack reset between steps', () => {
  it('every step starts from the template database and fresh mocks', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-reuse-'));
    const r = await runCli(
      [
        'sweep',
        fixture,
        '--vary',
        'mocks.tmdb.movies=40..400',
        '--precision',
        '40',
        '--repeats',
        '1',
        '--reuse-stack',
        '--out',
        out,
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('one stack for every step');
    const dir = path.resolve(repoRoot, r.stdout.match(/sweep\s+(\S+)index\.html/)![1]!);
    const sweep = JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepJson;
    expect(sweep.stack).toEqual({ reused: true });
    expect(sweep.steps.length).toBeGreaterThanOrEqual(3);
    // The bisection runs a value below one run before it: the case a stale database would show.
    const order = sweep.steps.map((s) => s.runId).sort();
    const byRun = order.map((id) => sweep.steps.find((s) => s.runId === id)!);
    expect(byRun.some((s, i) => i > 0 && s.value < byRun[i - 1]!.value)).toBe(true);
    const runIds = new Set<string>();
    for (const s of sweep.steps) {
      const result = JSON.parse(readFileSync(path.join(dir, s.result), 'utf8')) as RunResult;
      runIds.add(result.runId);
      const stored = result.integrity.find((i) => i.name === 'the import stored the whole TMDB dataset')!;
      const calls = result.mocks[0]!.calls;
      // Never more rows than this step's dataset, nor more calls than its pages (one a page of 20):
      // the rows or the call log of a bigger step before would exceed them. A step whose import
      // was killed (a busy machine) stores and fetches less; one that passed stores it all.
      expect(Number(stored.actual), `${s.value} movies`).toBeLessThanOrEqual(s.value);
      expect(calls, `${s.value} movies`).toBeLessThanOrEqual(Math.ceil(s.value / 20));
      if (s.status === 'passed') {
        expect(stored, `${s.value} movies`).toMatchObject({ passed: true, actual: String(s.value) });
        expect(calls, `${s.value} movies`).toBe(Math.ceil(s.value / 20));
      }
    }
    expect(runIds.size).toBe(sweep.steps.length);
    expect(containersOf(sweep.steps[0]!.runId)).toBe(0);
  }, 300_000);

  it('Ctrl-C between steps keeps the steps done, tears the shared stack down and exits 130', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-reuse-'));
    const cli = startCli(
      [
        'sweep',
        fixture,
        '--vary',
        'mocks.tmdb.movies=40..400',
        '--precision',
        '40',
        '--repeats',
        '1',
        '--reuse-stack',
        '--out',
        out,
      ],
      { env },
    );
    await waitForOutput(cli.output, (o) => /step 2 {2}mocks\.tmdb\.movies = /.test(o.stderr), 120_000);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    const dir = readdirSync(out).find((d) => d.includes('sweep-'))!;
    const sweep = JSON.parse(readFileSync(path.join(out, dir, 'sweep.json'), 'utf8')) as SweepJson;
    expect(sweep.end).toBe('interrupted');
    expect(sweep.steps.map((s) => s.value)).toEqual([40]);
    expect(containersOf(sweep.steps[0]!.runId)).toBe(0);
  }, 240_000);
});
