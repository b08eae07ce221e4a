// runTraffic: phases in order with flows alongside, into one recorder, with live progress; values
// checked before anything is sent; an abort stops phases and flows alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Recorder, type RecorderSnapshot } from '../../../src/load/recorder.js';
import { runTraffic } from '../../../src/load/traffic.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const scenario = parseScenario(
  `name: traffic
mocks: { tmdb: {} }
load:
  - name: warm-up
    amount: 20
    connections: 2
    requests:
      - { path: /fast }
  - name: browse
    duration: 1500ms
    connections: 4
    rate: 100/s
    requests:
      - { name: detail, path: "/echo?id={{pick tmdb.ids}}" }
flows:
  - name: import
    start: 200ms
    steps:
      - { method: POST, path: /api/import, expect: { status: 202 }, capture: { job: id } }
      - { path: "/api/import/{{job}}", until: "status == 'done'", every: 100ms, within: 5s }
`,
  'traffic.yaml',
);

const recorder = () => new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });

describe('runTraffic', () => {
  it('runs phases in order and flows alongside, into one recorder, with progress', async () => {
    const rec = recorder();
    const progress: [RecorderSnapshot, string][] = [];
    const started = Date.now();
    const { flows } = await runTraffic({
      baseUrl: server.baseUrl,
      phases: scenario.load,
      flows: scenario.flows,
      values: { tmdb: { ids: [550, 603], pages: 1 } },
      recorder: rec,
      signal: new AbortController().signal,
      progressEveryMs: 250,
      onProgress: (s, phase) => progress.push([s, phase]),
    });
    const t = rec.finish();
    expect(flows).toEqual([{ flow: 'import', copy: 1, iteration: 1, ok: true }]);
    expect(t.byGroup.map((g) => [g.name, g.count])).toEqual([
      ['warm-up', 20],
      ['browse', 150],
      ['import', 4],
    ]);
    expect(t.requests.total).toBe(174);
    expect(t.requests.errors).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(new Set(progress.map(([, phase]) => phase))).toContain('browse');
    expect(progress.at(-1)?.[0].total).toBe(174);
  });

  it('checks every template against the values before sending anything', async () => {
    server.seen.length = 0;
    await expect(
      runTraffic({
        baseUrl: server.baseUrl,
        phases: scenario.load,
        flows: scenario.flows,
        values: {},
        recorder: recorder(),
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(
      'load phase browse, request detail: {{pick tmdb.ids}}: tmdb.ids is not a non-empty list',
    );
    expect(server.seen).toHaveLength(0);
  });

  it('stops phases and flows when the signal aborts', async () => {
    const long = parseScenario(
      `name: long
load:
  - { name: browse, duration: 1m, connections: 2, requests: [ { path: /fast } ] }
flows:
  - { name: hang, steps: [ { path: /hang } ] }
`,
      'long.yaml',
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const rec = recorder();
    const started = Date.now();
    const { flows } = await runTraffic({
      baseUrl: server.baseUrl,
      phases: long.load,
      flows: long.flows,
      values: {},
      recorder: rec,
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(flows).toEqual([]);
    expect(rec.finish().requests.total).toBeGreaterThan(0);
  });
});
