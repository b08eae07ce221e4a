// A small stack without a database (fast): the app answers, services wait for their log line and
// port, the app reaches a host-side server through host.docker.internal with the URL injected in
// its env, logs arrive live and labelled, the setup output is captured, and stop() leaves nothing.

import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LogLine, type Stack, startStack } from '../../../src/stack/start-stack.js';
import { Teardown } from '../../../src/util/teardown.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, sampleApp, scenarioWith, uniqueRunId } from './helpers.js';

const run = promisify(execFile);
const ready = dockerAvailable && imageExists('localmovies:incident') && imageExists('debian:bookworm-slim');
if (dockerAvailable && !ready)
  console.warn('[stack tests] localmovies:incident not built: run `npm run images`');

describe.skipIf(!ready)('startStack: app, services, mocks, logs', () => {
  const runId = uniqueRunId('stack-small');
  const teardown = new Teardown();
  const seen: LogLine[] = [];
  const hostHits: string[] = [];
  const progress: string[] = [];
  let stack: Stack;
  let probe: http.Server;
  let startedAt = 0;

  beforeAll(async () => {
    // A host-side server like a mock: on all interfaces, so the Docker bridge gateway reaches it.
    probe = http.createServer((req, res) => {
      hostHits.push(req.url ?? '');
      res.end('probe ok');
    });
    await new Promise<void>((resolve) => probe.listen(0, '0.0.0.0', resolve));
    const port = (probe.address() as AddressInfo).port;
    startedAt = Date.now();
    stack = await startStack(
      scenarioWith({
        app: sampleApp({
          command: ['python3', '-m', 'http.server', '8000'],
          env: { GREETING: 'hello from the scenario' },
          setup: ['sh', '-c', 'echo "setup saw $PROBE_URL"; echo to-stderr >&2'],
          ready: { path: '/', withinMs: 30_000 },
        }),
        services: [
          {
            name: 'sidecar',
            image: 'debian:bookworm-slim',
            command: ['sh', '-c', 'echo booting; sleep 0.5; echo sidecar ready now; exec sleep infinity'],
            env: {},
            ready: { log: 'ready now$', withinMs: 20_000 },
          },
          {
            name: 'files',
            image: 'app',
            command: ['python3', '-m', 'http.server', '8001'],
            env: { ROLE: 'files' },
            ready: { port: 8001, withinMs: 20_000 },
          },
        ],
      }),
      {
        runId,
        mockUrls: [{ env: 'PROBE_URL', url: `http://host.docker.internal:${port}/from-container` }],
        teardown,
        onLog: (l) => seen.push(l),
        onProgress: (m) => progress.push(m),
      },
    );
  }, 120_000);

  afterAll(async () => {
    await teardown.run();
    await new Promise((resolve) => probe?.close(resolve));
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
  });

  it('answers on a loopback URL and records each container with its start time', async () => {
    expect(stack.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${stack.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(stack.containers.map((c) => c.name).sort()).toEqual(['app', 'files', 'sidecar']);
    for (const c of stack.containers) {
      expect(c.startMs).toBeGreaterThan(0);
      expect(c.startMs).toBeLessThan(Date.now() - startedAt);
    }
    expect(stack.containers.find((c) => c.name === 'files')?.image).toBe('localmovies:incident');
    expect(stack.databaseUrl).toBeUndefined();
    expect(progress.some((m) => m.startsWith('starting sidecar'))).toBe(true);
  });

  it('waited for the service log line and captured the setup output with the injected env', () => {
    const sidecar = seen.filter((l) => l.source === 'sidecar').map((l) => l.line);
    expect(sidecar).toEqual(expect.arrayContaining(['booting', 'sidecar ready now']));
    const setup = seen.filter((l) => l.source === 'setup');
    expect(setup).toContainEqual(
      expect.objectContaining({
        stream: 'stdout',
        line: expect.stringMatching(/^setup saw http:\/\/host\.docker\.internal:\d+\/from-container$/),
      }),
    );
    expect(setup).toContainEqual(expect.objectContaining({ stream: 'stderr', line: 'to-stderr' }));
    expect(stack.setup).toMatchObject({ exitCode: 0, command: ['sh', '-c', expect.any(String)] });
  });

  it('lets the app reach a host-side server through host.docker.internal', async () => {
    const files = await fetch(`${stack.baseUrl}/`).then((r) => r.text());
    expect(files).toContain('manage.py');
    // Asynchronously: the probe server answering the container lives in this process.
    const appId = (
      await run('docker', [
        'ps',
        '-q',
        '--filter',
        `label=smokestack.run=${runId}`,
        '--filter',
        'label=smokestack.container=app',
      ])
    ).stdout.trim();
    const out = await run('docker', [
      'exec',
      appId,
      'python3',
      '-c',
      'import os,urllib.request;print(urllib.request.urlopen(os.environ["PROBE_URL"]).read().decode(), os.environ["GREETING"])',
    ]);
    expect(out.stdout.trim()).toBe('probe ok hello from the scenario');
    expect(hostHits).toContain('/from-container');
  });

  it('streams log lines live, with arrival times, per container and stream', async () => {
    const marker = `/live-${Date.now()}`;
    const before = Date.now();
    expect((await fetch(`${stack.baseUrl}${marker}`)).status).toBe(404);
    const deadline = Date.now() + 5_000;
    let line: LogLine | undefined;
    while (!line && Date.now() < deadline) {
      line = seen.find((l) => l.line.includes(marker));
      if (!line) await new Promise((r) => setTimeout(r, 50));
    }
    expect(line).toMatchObject({ source: 'app', stream: 'stderr' });
    expect(line!.at).toBeGreaterThanOrEqual(before);
    expect(line!.at - before).toBeLessThan(3_000);
    expect(stack.logs().some((l) => l.line.includes(marker))).toBe(true);
    // logs() keeps arrival order.
    const ats = stack.logs().map((l) => l.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
  });

  it('reports an unknown server (python -m http.server) with the assumed 30 s', () => {
    expect(stack.server).toMatchObject({ kind: 'unknown', timeoutS: 30, timeoutSource: 'server-default' });
  });

  it('stop() removes every container and the network of the run', async () => {
    expect(leftovers(runId).containers).toHaveLength(3);
    expect(leftovers(runId).networks).toHaveLength(1);
    await stack.stop();
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
    expect(teardown.size).toBe(0);
  });
});
