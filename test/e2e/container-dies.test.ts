// A container that dies mid-run is an infrastructure error: exit 3 naming it, its exit code and
// its last log lines; the traffic stops at the death (the run ends before its phase would); the
// result is kept with status "error"; nothing is left behind. A one-shot service that exits 0 is
// no death.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/types.js';
import { runCli } from '../support/cli.js';
import { dockerAvailable, imageExists } from '../support/docker.js';

const ready = dockerAvailable && imageExists('localmovies:incident');
const env = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  SMOKESTACK_POSTGRES_IMAGE: process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
};

describe.skipIf(!ready && !process.env.CI)('a container that dies mid-run', () => {
  it('exits 3 naming it, stops the traffic, keeps the result with status error, leaves nothing', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-dies-'));
    const run = await runCli(
      ['run', 'test/fixtures/scenarios/e2e/app-dies.yaml', '--out', out, '--no-progress'],
      { env },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('container app (localmovies:incident) exited with code 7 during the run');
    // Its last log line, with the run's secret masked (the console gets error details too).
    expect(run.stderr).toContain('app: going away now (key ••••)');
    expect(run.stderr).not.toContain('sk-dies-9999');
    expect(run.stderr).not.toContain('seed');

    const dir = path.join(out, 'latest');
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(result.status).toBe('error');
    expect(result.meta?.error).toContain('exited with code 7 during the run');
    // Stopped at the death, not after the 40 s phase: the run as a whole took less than the phase.
    const took = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
    expect(took).toBeLessThan(40_000);
    expect(result.requests.total).toBeGreaterThan(0);

    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=smokestack.run=${result.runId}`], {
      encoding: 'utf8',
    });
    expect(left.trim()).toBe('');
  }, 180_000);
});
