// The mock server over real loopback HTTP: injected latency (wide bounds: a shared machine),
// faults as a client sees them, seed determinism, per-route overrides, hanging requests ended
// by stop(), served movies counted on delivery, and a user's own msw module.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpHandler, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../src/behaviour/faults.js';
import { parseLatencySpec } from '../../../src/behaviour/latency.js';
import { UsageError } from '../../../src/errors.js';
import { type MockServer, startMockServer, startMocks, startTmdbMock } from '../../../src/mocks/index.js';
import type { MockSpec } from '../../../src/scenario/types.js';

const fixtures = path.dirname(fileURLToPath(new URL('./fixtures/payments.mjs', import.meta.url)));
const started: MockServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.stop()));
});

async function tmdb(opts: Parameters<typeof startTmdbMock>[0] = {}): Promise<MockServer> {
  const m = await startTmdbMock({ host: '127.0.0.1', movies: 100, ...opts });
  started.push(m);
  return m;
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number; body: string }> {
  const t = performance.now();
  const res = await fetch(url, init);
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, body };
}

describe('mock server over HTTP', () => {
  it('binds 127.0.0.1 alone by default and gives host and container URLs', async () => {
    const m = await startTmdbMock({ movies: 20 });
    started.push(m);
    expect(m.listening).toEqual([{ address: '127.0.0.1', port: m.port }]);
    expect(m.url).toBe(`http://127.0.0.1:${m.port}`);
    expect(m.containerUrl()).toBe(`http://host.docker.internal:${m.port}`);
    expect(m.containerUrl('172.17.0.1')).toBe(`http://172.17.0.1:${m.port}`);
    expect((await timed(`${m.url}/3/configuration?api_key=k`)).status).toBe(200);
  });

  it('listens on the extra address it is given, on the same port, and nowhere else', async () => {
    // 127.0.0.2 stands in for the Docker bridge gateway: a second address of this host.
    const m = await startTmdbMock({ movies: 20, alsoOn: ['127.0.0.2'] });
    started.push(m);
    expect(m.listening).toEqual([
      { address: '127.0.0.1', port: m.port },
      { address: '127.0.0.2', port: m.port },
    ]);
    expect((await timed(`http://127.0.0.2:${m.port}/3/configuration?api_key=k`)).status).toBe(200);
    expect(m.summary().calls).toBe(1);
    const elsewhere = [
      '127.0.0.3',
      ...Object.values(networkInterfaces())
        .flatMap((l) => l ?? [])
        .filter((i) => i.family === 'IPv4' && !i.internal)
        .map((i) => i.address),
    ];
    for (const address of elsewhere) {
      await expect(fetch(`http://${address}:${m.port}/3/configuration`), address).rejects.toThrow();
    }
  });

  it('delays each answer by the configured latency', async () => {
    const m = await tmdb({ latency: parseLatencySpec('150ms') });
    for (let i = 0; i < 5; i++) {
      const r = await timed(`${m.url}/3/movie/popular?api_key=k`);
      expect(r.status).toBe(200);
      expect(r.ms).toBeGreaterThanOrEqual(148);
      expect(r.ms).toBeLessThan(600);
    }
    expect(m.calls().every((c) => c.delayMs === 150 && (c.durationMs ?? 0) >= 149)).toBe(true);
  });

  it('follows a distribution over many concurrent calls', async () => {
    const m = await tmdb({ latency: parseLatencySpec('p50=40ms,p99=120ms'), sampleCap: 1000 });
    await Promise.all(Array.from({ length: 400 }, () => timed(`${m.url}/3/configuration?api_key=k`)));
    const delays = m
      .calls()
      .map((c) => c.delayMs)
      .sort((a, b) => a - b);
    expect(delays).toHaveLength(400);
    expect(delays[200]).toBeGreaterThan(30);
    expect(delays[200]).toBeLessThan(53);
    const { latencyMs } = m.summary();
    // Served time = injected delay + serving; on a shared machine allow generous slack.
    expect(latencyMs.p50).toBeGreaterThanOrEqual(delays[200]! - 1);
    expect(latencyMs.p50).toBeLessThan(delays[200]! + 150);
  });

  it('degrades mid-run, timed from the first call', async () => {
    const m = await tmdb({ latency: parseLatencySpec('5ms; 300ms after 400ms') });
    await new Promise((r) => setTimeout(r, 500)); // idle time before traffic does not count
    expect((await timed(`${m.url}/3/genre/movie/list?api_key=k`)).ms).toBeLessThan(250);
    await new Promise((r) => setTimeout(r, 450));
    expect((await timed(`${m.url}/3/genre/movie/list?api_key=k`)).ms).toBeGreaterThanOrEqual(295);
  });

  it('gives per-route latency and faults precedence over the mock-wide ones', async () => {
    const m = await tmdb({
      latency: parseLatencySpec('0ms'),
      routes: [
        { path: '/3/movie/:id', latency: parseLatencySpec('250ms') },
        { path: '/3/search/*', faults: parseFaultSpec('errors=1,status=504') },
      ],
    });
    const id = (m.values().ids as number[])[0];
    expect((await timed(`${m.url}/3/movie/popular?api_key=k`)).ms).toBeLessThan(200);
    expect((await timed(`${m.url}/3/movie/${id}?api_key=k`)).ms).toBeGreaterThanOrEqual(248);
    const failed = await timed(`${m.url}/3/search/movie?query=x&api_key=k`);
    expect(failed.status).toBe(504);
    expect(JSON.parse(failed.body)).toMatchObject({ status_code: 24, success: false });
  });
});

describe('faults over HTTP', () => {
  it('rate-limits with 429, Retry-After and TMDB body', async () => {
    const m = await tmdb({ faults: parseFaultSpec('rateLimit=5/s') });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const r = await fetch(`${m.url}/3/movie/popular?api_key=k`);
        return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() };
      }),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(5);
    expect(limited).toHaveLength(15);
    expect(limited[0]?.retryAfter).toBe('1');
    expect(JSON.parse(limited[0]?.body ?? '')).toEqual({
      status_code: 25,
      status_message: 'Your request count (#) is over the allowed limit of (5).',
      success: false,
    });
    expect(m.summary().faults.rateLimit).toBe(15);
  });

  it('answers an error share with the chosen status and TMDB body', async () => {
    const m = await tmdb({ faults: parseFaultSpec('errors=1,status=503') });
    const r = await timed(`${m.url}/3/movie/popular?api_key=k`);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toMatchObject({ status_code: 9, success: false });
  });

  it('resets the connection without an answer', async () => {
    const m = await tmdb({ faults: parseFaultSpec('resetAt=1'), latency: parseLatencySpec('50ms') });
    await expect(fetch(`${m.url}/3/movie/popular?api_key=k`)).rejects.toThrow();
    expect((await timed(`${m.url}/3/movie/popular?api_key=k`)).status).toBe(200);
    expect(m.summary().byRoute.find((r) => r.route === '/3/movie/popular')?.statusCodes).toEqual({
      200: 1,
      reset: 1,
    });
  });

  it('hangs until the mock stops, and stop() ends hanging requests promptly', async () => {
    const m = await tmdb({ faults: parseFaultSpec('hang=1') });
    const hanging = Array.from({ length: 20 }, () =>
      fetch(`${m.url}/3/movie/popular?api_key=k`).then(
        () => 'answered',
        () => 'ended',
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(m.summary().byRoute[0]?.statusCodes).toEqual({ pending: 20 });
    const t = performance.now();
    await m.stop();
    expect(await Promise.all(hanging)).toEqual(Array(20).fill('ended'));
    expect(performance.now() - t).toBeLessThan(1000);
    expect(m.summary().faults.hang).toBe(20);
    expect(m.summary().byRoute[0]?.statusCodes).toEqual({ hang: 20 });
  });

  it('ends delayed requests at stop() too, without waiting for their timers', async () => {
    const m = await tmdb({ latency: parseLatencySpec('30s') });
    const pending = fetch(`${m.url}/3/movie/popular?api_key=k`).catch(() => 'ended');
    await new Promise((r) => setTimeout(r, 200));
    const t = performance.now();
    await m.stop();
    expect(await pending).toBe('ended');
    expect(performance.now() - t).toBeLessThan(1000);
    expect(m.calls()[0]?.outcome).toBe('stopped');
  });

  it('draws the same latencies and faults for the same seed', async () => {
    const run = async (seed: number) => {
      const m = await tmdb({
        seed,
        latency: parseLatencySpec('1ms..20ms'),
        faults: parseFaultSpec('errors=0.3'),
      });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await timed(`${m.url}/3/configuration?api_key=k`)).status);
      return { statuses: statuses.join(','), delays: m.calls().map((c) => c.delayMs) };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b).toEqual(a);
    expect(a.statuses).toContain('500');
    expect(c.delays).not.toEqual(a.delays);
  });
});

describe('served movies and the call log', () => {
  it('counts movies only when the answer reached the client', async () => {
    const m = await tmdb({ latency: parseLatencySpec('300ms') });
    const abort = new AbortController();
    const gaveUp = fetch(`${m.url}/3/movie/popular?page=1&api_key=k`, { signal: abort.signal }).catch(
      () => 'aborted',
    );
    setTimeout(() => abort.abort(), 100);
    expect(await gaveUp).toBe('aborted');
    await new Promise((r) => setTimeout(r, 400));
    expect(m.summary().served).toEqual({ movies: 0 });
    expect(m.calls()[0]?.outcome).toBe('closed');
    await timed(`${m.url}/3/movie/popular?page=2&api_key=k`);
    expect(m.summary().served).toEqual({ movies: 20 });
    expect(m.servedIds?.()).toHaveLength(20);
  });

  it('logs route, method, path, query, status, delay and times of each call', async () => {
    const m = await tmdb({ latency: parseLatencySpec('20ms') });
    const id = (m.values().ids as number[])[3];
    await timed(`${m.url}/3/movie/${id}?api_key=secret&language=fr`);
    await timed(`${m.url}/3/nothing?api_key=k`);
    const [first, second] = m.calls();
    expect(first).toMatchObject({
      index: 1,
      route: '/3/movie/:id',
      method: 'GET',
      path: `/3/movie/${id}`,
      query: 'api_key=••••&language=fr',
      status: 200,
      outcome: '200',
      delayMs: 20,
    });
    expect(first!.endedAt! - first!.startedAt).toBeCloseTo(first!.durationMs!, 0);
    expect(second).toMatchObject({ route: '*', status: 404 });
    const summary = m.summary();
    expect(summary).toMatchObject({ name: 'tmdb', baseUrl: m.url, calls: 2 });
    expect(summary.byRoute.map((r) => r.route).sort()).toEqual(['*', '/3/movie/:id']);
  });
});

describe('user msw modules and scenario mocks', () => {
  const spec = (over: Partial<MockSpec>): MockSpec => ({
    name: 'payments',
    kind: 'handlers',
    seed: 1,
    ...over,
  });

  it('serves a module of handlers, absolute-URL ones included, with the mock latency', async () => {
    const mocks = await startMocks(
      [
        spec({ module: './payments.mjs', latency: parseLatencySpec('50ms') }),
        { name: 'tmdb', kind: 'tmdb', seed: 1, movies: 40 },
      ],
      { scenarioDir: fixtures, host: '127.0.0.1' },
    );
    started.push(...mocks);
    const [payments, movies] = mocks;
    const charge = await timed(`${payments!.url}/v1/charges`, { method: 'POST', body: 'amount=42' });
    expect(charge.status).toBe(200);
    expect(charge.ms).toBeGreaterThanOrEqual(49);
    expect(JSON.parse(charge.body)).toMatchObject({
      id: 'ch_1',
      received: 'amount=42',
      url: 'https://api.payments.example/v1/charges',
    });
    expect((await timed(`${payments!.url}/v1/balance`)).status).toBe(200);
    const broken = await timed(`${payments!.url}/v1/broken`);
    expect(broken.status).toBe(500);
    expect(JSON.parse(broken.body).error).toContain('database of fake charges is on fire');
    expect((await timed(`${payments!.url}/v2/unknown`)).status).toBe(404);
    expect(
      payments!
        .summary()
        .byRoute.map((r) => `${r.method} ${r.route}`)
        .sort(),
    ).toEqual(['GET (unmatched)', 'GET /v1/balance', 'GET /v1/broken', 'POST /v1/charges']);
    expect(movies!.values().ids).toHaveLength(40);
  });

  it("plugs a module's own extension into the mock server: values for templates, served counted on delivery", async () => {
    const [catalogue] = await startMocks([spec({ name: 'catalogue', module: './catalogue.mjs' })], {
      scenarioDir: fixtures,
      host: '127.0.0.1',
    });
    started.push(catalogue!);
    expect(catalogue!.values()).toEqual({ skus: [101, 102, 103] });
    expect(catalogue!.summary().served).toEqual({ items: 0 });
    expect((await timed(`${catalogue!.url}/v1/items/102`)).status).toBe(200);
    expect((await timed(`${catalogue!.url}/v1/items/101`)).status).toBe(200);
    expect(catalogue!.summary().served).toEqual({ items: 2 });
    expect(catalogue!.servedIds?.()).toEqual([101, 102]);
  });

  it('refuses an extension hook it does not know, naming it', async () => {
    const error = await startMocks([spec({ module: './bad-extension.mjs' })], {
      scenarioDir: fixtures,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/bad-extension\.mjs extension\.value: not a hook the mock server knows/);
    expect(error.fix).toMatch(/values, served, servedIds, onAnswer/);
  });

  it.each([
    ['./missing.mjs', /mocks\.payments\.module: .*missing\.mjs does not exist/],
    ['./not-handlers.mjs', /exports no msw handlers \(default: object, handlers: none\)/],
    ['./broken.mjs', /failed to load: this module fails at import/],
    ['./handlers.ts', /is TypeScript, which Node cannot import as is/],
  ])('refuses %s with a UsageError naming the file', async (module, message) => {
    const error = await startMocks([spec({ module })], { scenarioDir: fixtures }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(message);
    expect(error.fix).toBeTruthy();
  });

  it('stops the mocks already started when a later one fails', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    const firstPort = await freePort();
    const first = spec({ name: 'first', module: './payments.mjs', port: firstPort });
    const error = await startMocks([first, { name: 'tmdb', kind: 'tmdb', seed: 1, port }], {
      scenarioDir: fixtures,
      host: '127.0.0.1',
    }).catch((e) => e);
    blocker.close();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('PORT_IN_USE');
    expect(error.message).toBe(`mock tmdb: port ${port} on 127.0.0.1 is in use`);
    // The first mock was listening on firstPort; it is closed again.
    await expect(fetch(`http://127.0.0.1:${firstPort}/v1/balance`)).rejects.toThrow();
  });

  it('serves plain msw handlers given in code', async () => {
    const m = await startMockServer({
      name: 'inline',
      host: '127.0.0.1',
      handlers: [http.get('/ping', () => HttpResponse.text('pong'))],
      faults: parseFaultSpec('errorAt=2,status=502'),
    });
    started.push(m);
    expect((await timed(`${m.url}/ping`)).body).toBe('pong');
    const second = await timed(`${m.url}/ping`);
    expect(second.status).toBe(502);
    expect(JSON.parse(second.body)).toMatchObject({ error: 'injected fault', status: 502 });
    expect(m.values()).toEqual({});
    expect(m.servedIds).toBeUndefined();
  });
});

class EventStreamHandler extends HttpHandler {
  constructor(path: string, resolver: () => Response) {
    super('GET', path, resolver);
  }
  override async predicate(args: Parameters<HttpHandler['predicate']>[0]): Promise<boolean> {
    return args.request.headers.get('accept') === 'text/event-stream' && super.predicate(args);
  }
}

describe('streamed answers', () => {
  it('pipes stream, Blob and server-sent-event bodies after the delay', async () => {
    const m = await startMockServer({
      name: 'streams',
      host: '127.0.0.1',
      latency: parseLatencySpec('100ms'),
      handlers: [
        http.get('/blob', () => new HttpResponse(new Blob(['blob body']))),
        http.get('/chunks', () => {
          const encoder = new TextEncoder();
          const stream = new ReadableStream({
            start(c) {
              c.enqueue(encoder.encode('one,'));
              c.enqueue(encoder.encode('two'));
              c.close();
            },
          });
          return new HttpResponse(stream, { headers: { 'content-type': 'text/plain' } });
        }),
        // Like msw's sse() (which needs EventSource, absent from Node 20): a subclass that also checks Accept.
        new EventStreamHandler(
          '/events',
          () => new HttpResponse('data:hello\n\n', { headers: { 'content-type': 'text/event-stream' } }),
        ),
      ],
    });
    started.push(m);
    const blob = await timed(`${m.url}/blob`);
    expect(blob).toMatchObject({ status: 200, body: 'blob body' });
    expect(blob.ms).toBeGreaterThanOrEqual(99);
    expect((await timed(`${m.url}/chunks`)).body).toBe('one,two');
    const events = await timed(`${m.url}/events`, { headers: { accept: 'text/event-stream' } });
    expect(events.body).toContain('data:hello');
    // The subclass's own predicate is honoured: without the Accept header no handler answers.
    expect((await timed(`${m.url}/events`)).status).toBe(404);
    expect(m.summary().byRoute.find((r) => r.route === '/events')?.statusCodes).toEqual({ 200: 1 });
  });
});
