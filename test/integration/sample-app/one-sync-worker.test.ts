// The sample app with ONE sync worker and --timeout 3 (test/fixtures/scenarios/queue/
// one-sync-worker.yaml: a command override of the real localmovies:incident image), hit by 6
// concurrent one-page imports of ~1 s each. They wait in the listen queue one after another, but
// none spends more than ~2 s in the worker, which is all gunicorn's timeout counts: none may be
// flagged critical against it, the wait is the `queueing` finding, and target.server.injected
// says that the harness turned the access log on. On client latency alone (before this), the
// later ones were critical and failed the gate.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import { runScenario } from '../../../src/run/run-scenario.js';
import { loadScenario } from '../../../src/scenario/load-scenario.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';

const SCENARIO = 'test/fixtures/scenarios/queue/one-sync-worker.yaml';
const images = ['localmovies:incident', process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15'];
const ready = dockerAvailable && images.every(imageExists);

describe.skipIf(!ready && !process.env.CI)(
  'one sync worker, 6 requests at once: queue time is not worker time',
  () => {
    let result: RunResult;

    beforeAll(async () => {
      const scenario = await loadScenario(SCENARIO);
      ({ result } = await runScenario(scenario, { signal: new AbortController().signal }));
    }, 240_000);

    it('turns on the access log through GUNICORN_CMD_ARGS and says so', () => {
      expect(result.target.server).toMatchObject({
        kind: 'gunicorn',
        timeoutS: 3,
        workers: 1,
        workerClass: 'sync',
      });
      expect(result.target.server.injected).toEqual([
        expect.stringMatching(/^GUNICORN_CMD_ARGS: --access-logfile - --access-logformat /),
      ]);
    });

    it('the requests queued: the slowest took longer than critical x T in all, more than it spent in a worker', () => {
      const imports = result.requests.byEndpoint.find((e) => e.path.startsWith('/api/import'))!;
      expect(imports.count).toBe(6);
      expect(imports.statusCodes).toEqual({ '200': 6 });
      // Without the split this request alone was critical (and it failed the gate).
      expect(imports.latencyMs.max).toBeGreaterThanOrEqual(0.8 * 3_000);
      const worked = result.flagged.filter((f) => f.latencyBasis === 'worker');
      for (const f of worked) {
        expect(f.workerMs! + f.queueMs!).toBeCloseTo(f.latencyMs, 0);
        expect(f.ratio).toBeCloseTo(f.workerMs! / 3_000, 2);
      }
    });

    it('flags none of them critical against the worker timeout', () => {
      expect(result.flagged.filter((f) => f.level === 'critical')).toEqual([]);
      expect(result.flaggedTotal.critical).toBe(0);
      expect(result.findings.map((f) => f.code)).not.toContain('critical-requests');
    });

    it('reports the wait as its own finding, with capacity advice, not a longer timeout', () => {
      const finding = result.findings.find((f) => f.code === 'queueing');
      expect(finding).toMatchObject({ severity: 'warn' });
      expect(finding!.title).toMatch(
        /^Requests waited up to [\d.]+ s for a free worker: 1 sync worker, \d at once$/,
      );
      expect(finding!.advice).not.toMatch(/--timeout \d/);
    });
  },
);

describe.skipIf(!ready && !process.env.CI)(
  "the same with the image's own access log (%(D)s on stdout)",
  () => {
    let result: RunResult;

    beforeAll(async () => {
      const scenario = await loadScenario('test/fixtures/scenarios/queue/one-sync-worker-own-format.yaml');
      ({ result } = await runScenario(scenario, { signal: new AbortController().signal }));
    }, 240_000);

    it('injects nothing, reads time in the worker from its lines, and flags none critical', () => {
      expect(result.target.server.injected).toBeUndefined();
      expect(result.target.server.detectedFrom).toContain(
        'access log left as configured (GUNICORN_CMD_ARGS: --access-logfile -); time in the worker read from its format',
      );
      expect(result.flaggedTotal.critical).toBe(0);
      expect(result.flagged.every((f) => f.latencyBasis === 'worker')).toBe(true);
      expect(result.findings.map((f) => f.code)).toContain('queueing');
    });
  },
);
