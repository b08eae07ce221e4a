// Good scenario files normalise to the Scenario every later stage reads: durations in ms, rates per
// second, maps turned into named lists, defaults filled in. JSON (by extension or content) too.
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../../src/scenario/load-scenario.js';

const good = 'test/fixtures/scenarios/good';

describe('good scenario files', () => {
  it('normalises every field of the shape', async () => {
    const s = await loadScenario(`${good}/full.yaml`);
    expect(s.file).toBe(`${good}/full.yaml`);
    expect(s.stack.app).toEqual({
      image: 'localmovies:incident',
      port: 8080,
      env: { TMDB_API_KEY: 'test-key', WORKERS: '3', DEBUG: 'false' },
      command: ['gunicorn', 'localmovies.wsgi', '--bind', '0.0.0.0:8080'],
      setup: ['python3', 'manage.py', 'migrate', '--noinput'],
      ready: { path: '/healthz', withinMs: 90_000 },
    });
    expect(s.stack.postgres).toEqual({ database: 'movies', user: 'movies', password: 's3cret' });
    expect(s.stack.services).toEqual([
      { name: 'redis', image: 'smokestack/redis:7', env: {}, ready: { port: 6379, withinMs: 30_000 } },
      {
        name: 'worker',
        image: 'app',
        command: ['celery', '-A', 'localmovies', 'worker'],
        env: { REDIS_URL: 'redis://redis:6379/0' },
        ready: { log: 'celery@\\S+ ready', withinMs: 60_000 },
      },
    ]);
    expect(s.server).toEqual({ timeoutMs: 30_000 });
    expect(s.mocks).toEqual([
      {
        name: 'tmdb',
        kind: 'tmdb',
        movies: 2000,
        latency: {
          base: { kind: 'lognormal', p50Ms: 400, p99Ms: 1500 },
          changes: [{ afterMs: 30_000, dist: { kind: 'fixed', ms: 2000 } }],
        },
        faults: {
          rateLimitPerSecond: 40,
          errorRate: 0.01,
          errorStatus: 503,
          atRequests: [{ index: 5, fault: 'hang' }],
        },
        routes: [
          {
            path: '/3/movie/:id',
            latency: { base: { kind: 'fixed', ms: 800 }, changes: [] },
            faults: { resetRate: 0.1 },
          },
        ],
        env: 'TMDB_API_BASE',
        port: 18471,
        seed: 7,
        reconcile: { table: 'movies_movie', idColumn: 'tmdb_id', requiredColumns: ['title'] },
      },
      {
        name: 'stripe',
        kind: 'handlers',
        module: './mocks/stripe.js',
        latency: { base: { kind: 'uniform', minMs: 200, maxMs: 2000 }, changes: [] },
        env: 'STRIPE_API_BASE',
        seed: 1,
      },
    ]);
    const [warmUp, browse, ramp] = s.load;
    expect(warmUp).toEqual({
      name: 'warm-up',
      amount: 100,
      connections: 5,
      pipelining: 2,
      requests: [{ name: 'GET /healthz', weight: 1, method: 'GET', path: '/healthz', headers: {} }],
    });
    expect(browse).toMatchObject({
      durationMs: 60_000,
      connections: 20,
      maxConnections: 40,
      pipelining: 1,
      ratePerSecond: 10,
    });
    expect(browse?.requests.map((r) => [r.name, r.weight])).toEqual([
      ['list', 8],
      ['GET /api/movies/:id', 2],
    ]);
    expect(browse?.requests[1]?.headers).toEqual({ accept: 'application/json', 'x-seq': '{{seq}}' });
    expect(ramp?.ramp).toEqual([
      { durationMs: 10_000, ratePerSecond: 50 },
      { durationMs: 10_000, ratePerSecond: 100 },
    ]);
    expect(ramp?.requests[0]?.body).toEqual({ query: 'q{{seq}}', id: '{{pick tmdb.ids}}', tags: ['a', 'b'] });
    expect(s.flows).toEqual([
      {
        name: 'import',
        startMs: 5000,
        copies: 2,
        repeat: 3,
        steps: [
          {
            name: 'POST /api/import',
            method: 'POST',
            path: '/api/import',
            headers: {},
            follow: false,
            expect: { status: [200, 202] },
            capture: { job: { json: 'id' }, state: { json: 'job.state' } },
          },
          {
            name: 'poll import',
            method: 'GET',
            path: '/api/import/{{job}}',
            headers: {},
            follow: false,
            expect: { status: [200] },
            capture: {},
            until: "status == 'done' || status == 'failed'",
            everyMs: 2000,
            withinMs: 600_000,
          },
        ],
      },
    ]);
    expect(s.budgets).toEqual({
      warnAt: 0.4,
      criticalAt: 0.8,
      workerTimeouts: 1,
      errorRate: 0.02,
      rateShortfall: 0.1,
      failOnCritical: false,
      endpoints: {
        browse: { p99Ms: 500 },
        list: { p50Ms: 100, p95Ms: 300, maxMs: 2000, errorRate: 0.01 },
        'poll import': { maxMs: 1000 },
      },
    });
    expect(s.integrity.map((c) => Object.keys(c).at(-1))).toEqual(['equals', 'atLeast', 'atMost', 'zero']);
    expect(s.settle).toEqual({
      sql: "SELECT count(*) = 0 FROM import_job WHERE state = 'running'",
      withinMs: 300_000,
      everyMs: 2000,
    });
  });

  it('fills in the defaults of a minimal JSON file (with a $schema key)', async () => {
    expect(await loadScenario(`${good}/minimal.json`)).toEqual({
      name: 'minimal-json',
      file: `${good}/minimal.json`,
      stack: { services: [] },
      server: {},
      mocks: [],
      load: [
        {
          name: 'browse',
          durationMs: 2000,
          connections: 10,
          pipelining: 1,
          requests: [{ name: 'GET /', weight: 1, method: 'GET', path: '/', headers: {} }],
        },
      ],
      flows: [],
      budgets: {
        warnAt: 0.5,
        criticalAt: 0.8,
        workerTimeouts: 0,
        errorRate: 0.01,
        rateShortfall: 0.05,
        failOnCritical: true,
        endpoints: {},
      },
      integrity: [],
    });
  });

  it('reads JSON by content whatever the extension (tabs included)', async () => {
    const s = await loadScenario(`${good}/json-content.scenario`);
    expect(s.flows[0]?.steps[0]).toMatchObject({ name: 'GET /healthz', method: 'GET', path: '/healthz' });
  });

  it.each(['smoke', 'tmdb-import-incident', 'tmdb-import-fixed', 'tmdb-degrading', 'tmdb-rate-limited'])(
    'loads the shipped scenarios/%s.yaml',
    async (name) => {
      const s = await loadScenario(`scenarios/${name}.yaml`);
      expect(s.name).toBe(name);
      expect(s.load.length + s.flows.length).toBeGreaterThan(0);
    },
  );

  it('a stack app needs no image (it may come from --image) and a mock no settings', () => {
    const s = parseScenario('name: x\nstack: { app: {}, postgres: {} }\nmocks: { tmdb: {} }\n', 'x.yaml');
    expect(s.stack.app).toEqual({ port: 8000, env: {}, ready: { path: '/', withinMs: 60_000 } });
    expect(s.stack.postgres).toEqual({ database: 'app', user: 'smokestack', password: 'smokestack' });
    expect(s.mocks).toEqual([{ name: 'tmdb', kind: 'tmdb', seed: 1 }]);
  });
});
