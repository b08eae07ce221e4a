// Each way a start can fail gives an InfraError with its code, a one-line message, the last log
// lines and a fix — and the failed start has already removed everything it started (no container
// or network with the run label, nothing left in the run's teardown). Ctrl-C likewise.
// (Lines that must keep their order go to one stream: Docker reads stdout and stderr separately,
// so their relative order is not kept at the source.)

import { describe, expect, it } from 'vitest';
import { InfraError, InterruptedError, type SmokestackError, UsageError } from '../../../src/errors.js';
import type { StackSpec } from '../../../src/scenario/types.js';
import { startStack } from '../../../src/stack/start-stack.js';
import { Teardown } from '../../../src/util/teardown.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, sampleApp, scenarioWith, uniqueRunId } from './helpers.js';

const ready = dockerAvailable && imageExists('localmovies:incident') && imageExists('debian:bookworm-slim');

const httpServer = ['python3', '-m', 'http.server', '8000'];

async function failedStart(
  stack: StackSpec,
  options: { signal?: AbortSignal; image?: string } = {},
): Promise<{ error: SmokestackError; ms: number; runId: string; teardown: Teardown }> {
  const runId = uniqueRunId('stack-fail');
  const teardown = new Teardown();
  const t0 = Date.now();
  try {
    await startStack(scenarioWith(stack), { runId, mockUrls: [], teardown, ...options });
  } catch (error) {
    const ms = Date.now() - t0;
    // What the failed start must have done itself, before the caller's teardown runs.
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
    expect(teardown.size).toBe(0);
    return { error: error as SmokestackError, ms, runId, teardown };
  } finally {
    await teardown.run();
  }
  throw new Error('startStack should have failed');
}

describe.skipIf(!ready)('startStack failures', () => {
  it('a missing image: IMAGE_MISSING at once, nothing started', async () => {
    const { error, ms } = await failedStart({
      app: sampleApp({ image: 'smokestack/no-such-image:0' }),
      postgres: { database: 'app', user: 'u', password: 'p' },
      services: [],
    });
    expect(error).toBeInstanceOf(InfraError);
    expect(error.code).toBe('IMAGE_MISSING');
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('image smokestack/no-such-image:0 not found locally and cannot be pulled');
    expect(error.fix).toMatch(/npm run images/);
    expect(ms).toBeLessThan(5_000);
  });

  it('the default Postgres image missing offline: the fix names SMOKESTACK_POSTGRES_IMAGE and smokestack/postgres:15', async () => {
    const saved = process.env.SMOKESTACK_POSTGRES_IMAGE;
    delete process.env.SMOKESTACK_POSTGRES_IMAGE;
    try {
      // Unless this engine has postgres:16-alpine (a machine with a registry): then nothing is missing.
      if (imageExists('postgres:16-alpine')) return;
      const { error } = await failedStart({
        app: sampleApp(),
        postgres: { database: 'app', user: 'u', password: 'p' },
        services: [],
      });
      expect(error.code).toBe('IMAGE_MISSING');
      expect(error.message).toContain('postgres:16-alpine');
      expect(error.fix).toContain('SMOKESTACK_POSTGRES_IMAGE=smokestack/postgres:15');
    } finally {
      if (saved !== undefined) process.env.SMOKESTACK_POSTGRES_IMAGE = saved;
    }
  });

  it('a missing service image is found before anything starts', async () => {
    const { error } = await failedStart({
      app: sampleApp(),
      services: [{ name: 'cache', image: 'smokestack/no-such-cache:1', env: {} }],
    });
    expect(error.code).toBe('IMAGE_MISSING');
    expect(error.message).toContain('smokestack/no-such-cache:1');
  });

  it('the app exits during start: CONTAINER_DIED with its exit code and last lines', async () => {
    const { error } = await failedStart({
      app: sampleApp({
        command: ['sh', '-c', 'echo config loaded >&2; echo "fatal: no SECRET_KEY" >&2; exit 7'],
      }),
      services: [],
    });
    expect(error).toBeInstanceOf(InfraError);
    expect(error.code).toBe('CONTAINER_DIED');
    expect(error.message).toBe(
      'container app (localmovies:incident) exited with code 7 while the stack was starting',
    );
    expect(error.details).toEqual(['config loaded', 'fatal: no SECRET_KEY']);
    expect(error.fix).toBeTruthy();
  });

  it('a command Docker cannot run: CONTAINER_DIED naming Docker’s reason', async () => {
    const { error } = await failedStart({
      app: sampleApp({ command: ['no-such-binary-here'] }),
      services: [],
    });
    expect(error.code).toBe('CONTAINER_DIED');
    expect(error.message).toMatch(
      /^container app \(localmovies:incident\) (failed to start: .*no-such-binary-here|exited)/,
    );
  });

  it('a service dies while another waits: CONTAINER_DIED for that service, not a timeout', async () => {
    const { error, ms } = await failedStart({
      app: sampleApp({ command: httpServer, ready: { path: '/', withinMs: 30_000 } }),
      services: [
        {
          name: 'broker',
          image: 'debian:bookworm-slim',
          command: ['sh', '-c', 'echo starting broker; sleep 1; echo broker crashed; exit 4'],
          env: {},
          ready: { log: 'never printed', withinMs: 30_000 },
        },
      ],
    });
    expect(error.code).toBe('CONTAINER_DIED');
    expect(error.message).toBe(
      'container broker (debian:bookworm-slim) exited with code 4 while the stack was starting',
    );
    expect(error.details).toEqual(['starting broker', 'broker crashed']);
    expect(ms).toBeLessThan(15_000);
  });

  it('setup fails: SETUP_FAILED with its last output lines', async () => {
    const { error } = await failedStart({
      app: sampleApp({
        command: httpServer,
        setup: [
          'sh',
          '-c',
          'echo Applying 0001... OK >&2; echo "relation movies does not exist" >&2; exit 3',
        ],
        ready: { path: '/', withinMs: 30_000 },
      }),
      services: [],
    });
    expect(error.code).toBe('SETUP_FAILED');
    expect(error.message).toMatch(/^setup `sh -c .*` exited with code 3 in the app container$/);
    expect(error.details).toEqual(['Applying 0001... OK', 'relation movies does not exist']);
  });

  it('the app never answers 2xx: NOT_READY after the deadline with its last log lines', async () => {
    // Without Postgres the sample's /healthz answers 503.
    const { error, ms } = await failedStart({
      app: sampleApp({ ready: { path: '/healthz', withinMs: 4_000 } }),
      services: [],
    });
    expect(error.code).toBe('NOT_READY');
    expect(error.message).toMatch(
      /^app \(localmovies:incident\) did not answer 2xx to GET \/healthz within 4s \(last answer: 503 database unavailable: .+\)$/,
    );
    expect(error.details, error.details.join('\n')).toEqual(
      expect.arrayContaining([expect.stringContaining('Booting worker')]),
    );
    expect(ms).toBeGreaterThanOrEqual(4_000);
    expect(ms).toBeLessThan(12_000);
  });

  it('a service port that never listens: NOT_READY naming the port', async () => {
    const { error } = await failedStart({
      app: sampleApp({ command: httpServer, ready: { path: '/', withinMs: 30_000 } }),
      services: [
        {
          name: 'search',
          image: 'debian:bookworm-slim',
          command: ['sleep', 'infinity'],
          env: {},
          ready: { port: 9200, withinMs: 2_000 },
        },
      ],
    });
    expect(error.code).toBe('NOT_READY');
    expect(error.message).toBe('search (debian:bookworm-slim) not ready within 2s (port 9200)');
  });

  it('Ctrl-C during the start: InterruptedError, everything removed', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 700);
    const { error, ms } = await failedStart(
      {
        app: sampleApp({ ready: { path: '/healthz', withinMs: 60_000 } }),
        services: [{ name: 'idle', image: 'debian:bookworm-slim', command: ['sleep', 'infinity'], env: {} }],
      },
      { signal: controller.signal },
    );
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.exitCode).toBe(130);
    expect(ms).toBeLessThan(10_000);
  });

  it('no image at all is a usage error before anything starts', async () => {
    const teardown = new Teardown();
    await expect(
      startStack(scenarioWith({ app: sampleApp({ image: undefined }), services: [] }), {
        runId: 'x',
        mockUrls: [],
        teardown,
      }),
    ).rejects.toBeInstanceOf(UsageError);
    expect(teardown.size).toBe(0);
  });
});
