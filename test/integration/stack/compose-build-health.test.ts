// stack.compose with real containers, the parts the bookshelf file does not exercise: a service
// that is only a build: (built when its image is absent, its build args applied), service_healthy
// on a check that fails once and then passes, the app service's own entrypoint (run, and read by
// the server detection), and a check that never passes (the start stops naming the service and
// the check's output, and leaves nothing behind).
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { InfraError } from '../../../src/errors.js';
import { loadScenario } from '../../../src/scenario/load-scenario.js';
import { startStack } from '../../../src/stack/start-stack.js';
import { Teardown } from '../../../src/util/teardown.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, uniqueRunId } from './helpers.js';

const ready = dockerAvailable && imageExists('localmovies:incident') && imageExists('debian:bookworm-slim');
const BUILT = 'smokestack-build-fixture-web';
const volumesOf = (runId: string) =>
  execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=smokestack.run=${runId}`], {
    encoding: 'utf8',
  }).trim();

describe.skipIf(!ready)('startStack: compose builds and healthchecks', () => {
  const hadImage = ready && imageExists(BUILT);
  afterAll(() => {
    if (!hadImage) execFileSync('docker', ['rmi', '-f', BUILT], { stdio: 'ignore' });
  });

  it('builds the absent image with its args, waits for the healthy neighbour, mounts a fresh volume', async () => {
    if (!hadImage) expect(imageExists(BUILT)).toBe(false);
    const runId = uniqueRunId('stack-compose-build');
    const teardown = new Teardown();
    const progress: string[] = [];
    try {
      const scenario = await loadScenario('test/fixtures/compose/smokestack-build-fixture/scenario.yaml');
      const stack = await startStack(scenario, {
        runId,
        mockUrls: [],
        teardown,
        onProgress: (m) => progress.push(m),
      });
      const res = await fetch(`${stack.baseUrl}/greeting.txt`);
      expect((await res.text()).trim()).toBe('built-by-smokestack');
      if (!hadImage)
        expect(progress.some((m) => m.startsWith(`building ${BUILT} for service web`))).toBe(true);
      expect(progress).toContain('starting web (the app, smokestack-build-fixture-web): cache healthy');
      expect(volumesOf(runId)).toMatch(/scratch$/);
      await stack.stop();
      expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
      expect(volumesOf(runId)).toBe('');
    } finally {
      await teardown.run();
    }
  }, 240_000);

  it("runs the app service's entrypoint (the image's Cmd dropped) and reads the server from it", async () => {
    const runId = uniqueRunId('stack-compose-entrypoint');
    const teardown = new Teardown();
    try {
      const scenario = await loadScenario('test/fixtures/compose/entrypoint/scenario.yaml');
      const stack = await startStack(scenario, { runId, mockUrls: [], teardown });
      // The image's gunicorn would not serve this file; the entrypoint's static server does.
      const res = await fetch(`${stack.baseUrl}/manage.py`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('DJANGO_SETTINGS_MODULE');
      // Not the image's `gunicorn` Cmd (which would say gunicorn, 30 s, from the image).
      expect(stack.server.kind).toBe('unknown');
      expect(stack.server.timeoutSource).not.toBe('image');
      await stack.stop();
      expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
    } finally {
      await teardown.run();
    }
  }, 120_000);

  it('a healthcheck that never passes: NOT_READY naming the service and its check output, nothing left', async () => {
    const runId = uniqueRunId('stack-compose-unhealthy');
    const teardown = new Teardown();
    const scenario = await loadScenario('test/fixtures/compose/unhealthy/scenario.yaml');
    const error = await startStack(scenario, { runId, mockUrls: [], teardown }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await teardown.run();
    expect(error).toBeInstanceOf(InfraError);
    const e = error as InfraError;
    expect(e.code).toBe('NOT_READY');
    expect(e.message).toBe(
      'db (debian:bookworm-slim) never became healthy: web waits for it (service_healthy)',
    );
    expect(e.details).toContain('healthcheck exit 1: no database here');
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
  }, 120_000);
});
