// nginx as a service in front of a gunicorn service: the app under test is an nginx image whose
// location passes to `web`, a gunicorn service of the stack. The chain must follow the request
// there: nginx's 5 s read its config tree copied out of the image, then web's --timeout 20 from its
// command; the deadline is the smaller, and traffic through nginx reaches gunicorn.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import { runScenario } from '../../../src/run/run-scenario.js';
import { loadScenario } from '../../../src/scenario/load-scenario.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';

const DIR = 'test/fixtures/scenarios/chain/nginx-front';
// A tag of this test's own, built from the fixture and removed after it (other runs share the engine).
const TAG = `smokestack-test/nginx-front:${process.pid}`;
const images = [
  'localmovies:incident',
  'smokestack/nginx:1.22',
  process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
];
const ready = dockerAvailable && images.every(imageExists);

describe.skipIf(!ready && !process.env.CI)(
  'nginx as a service in front of a gunicorn service (real containers)',
  () => {
    let result: RunResult;

    beforeAll(async () => {
      execFileSync('docker', ['build', '-q', '-t', TAG, DIR], { stdio: 'pipe' });
      const scenario = await loadScenario(`${DIR}/scenario.yaml`);
      scenario.stack.app!.image = TAG;
      ({ result } = await runScenario(scenario, { signal: new AbortController().signal }));
    }, 240_000);

    afterAll(() => {
      execFileSync('docker', ['rmi', '-f', TAG], { stdio: 'pipe' });
    });

    it('reads the chain from nginx to the service it passes to: nginx 5 s, then gunicorn 20 s of web', () => {
      expect(result.status).toBe('passed');
      expect(result.target.chain?.map((l) => [l.layer, l.kind, l.timeoutS])).toEqual([
        ['proxy', 'nginx', 5],
        ['server', 'gunicorn', 20],
      ]);
      expect(result.target.deadlineS).toBe(5);
      expect(result.target.server.detectedFrom?.[0]).toBe("service web (behind the app's nginx)");
    });

    it('sends the traffic through nginx to gunicorn', () => {
      expect(result.requests).toMatchObject({ total: 5, ok: 5, errors: 0 });
    });
  },
);
