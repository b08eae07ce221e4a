// What the server logs before the traffic is not the traffic's: readiness waits for the setup
// (a readiness path that needs the tables answers 2xx at once, no error logged), and an error
// the server did log before the first request is shown apart and never counted in the verdict.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/types.js';
import { runCli } from '../support/cli.js';
import { dockerAvailable, imageExists } from '../support/docker.js';

const ready = dockerAvailable && imageExists('localmovies:fixed');
const scenario = (name: string) => `test/fixtures/scenarios/before-traffic/${name}.yaml`;
const env = { SMOKESTACK_RUN_TAG: `before-traffic-${process.pid}` };

function resultOf(out: string): RunResult {
  return JSON.parse(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8')) as RunResult;
}

describe.skipIf(!process.env.CI && !ready)('the server log before traffic', () => {
  it('readiness after setup: a path that needs the tables logs no error, the run has no warning', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-before-'));
    const r = await runCli(['run', scenario('ready-needs-tables'), '--out', out, '--no-progress'], { env });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const result = resultOf(out);
    expect(result.serverEvents.filter((e) => e.kind === 'error')).toEqual([]);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.stdout).not.toMatch(/WARN/);
    // The endpoint's default name has no template text, and its histogram is keyed the same.
    expect(result.requests.byEndpoint.map((e) => [e.name, e.path])).toEqual([
      ['GET /api/movies?page=:page', '/api/movies?page={{random 1 3}}'],
    ]);
    expect(Object.keys(result.histograms ?? {})).toEqual(['browse/GET /api/movies?page=:page']);
    const html = readFileSync(path.join(out, 'latest', 'index.html'), 'utf8');
    expect(html).toContain('GET /api/movies?page=:page');
    expect(html).not.toContain('{{random 1 3}}');
  }, 240_000);

  it('an error the server logged before the first request is shown apart and never counted', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-before-'));
    const r = await runCli(['run', scenario('error-before-traffic'), '--out', out, '--no-progress'], { env });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const result = resultOf(out);
    const errors = result.serverEvents.filter((e) => e.kind === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject({ beforeTraffic: true });
    expect(errors[0]!.line).toContain('relation "movies_movie" does not exist');
    expect(result.findings.map((f) => f.code)).not.toContain('server-errors');
    expect(r.stdout).toMatch(
      /^ {2}before traffic: \d+ errors? in the server's log, not counted: .*Internal Server Error: \/api\/movies/m,
    );
    expect(r.stdout).not.toMatch(/WARN/);
    const html = readFileSync(path.join(out, 'latest', 'index.html'), 'utf8');
    expect(html).toContain('id="events-before-traffic"');
  }, 240_000);
});
