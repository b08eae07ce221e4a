// Child process for the mock benchmark (bench/mock.ts): serves one kind of server on
// loopback so the load generator never shares an event loop with it, reports its port over IPC,
// answers `{ cmd: 'stats' }` with its RSS and open calls, and exits when the parent goes away.
//   node dist-bench/bench/mock-server.js '{"mode":"adapter","latency":"200ms"}'
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpResponse, http } from 'msw';
import { parseFaultSpec } from '../src/behaviour/faults.js';
import { parseLatencySpec } from '../src/behaviour/latency.js';
import { type MockServer, startMockServer, startTmdbMock } from '../src/mocks/index.js';

export type BenchServerMode = 'bare' | 'adapter' | 'middleware' | 'tmdb';

export interface BenchServerConfig {
  mode: BenchServerMode;
  latency?: string;
  fault?: string;
}

export const HELLO = 'hello world';
const helloHandlers = () => [http.get('/hello', () => HttpResponse.text(HELLO))];

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as BenchServerConfig;
  const latency = config.latency ? parseLatencySpec(config.latency) : undefined;
  const faults = config.fault ? parseFaultSpec(config.fault) : undefined;
  let mock: MockServer | undefined;
  let plain: Server | undefined;
  if (config.mode === 'bare') {
    // With a latency: the floor any Node server reaches, a plain timer before the answer.
    const waitMs = latency?.base.kind === 'fixed' ? latency.base.ms : 0;
    plain = createServer((_req, res) => {
      const answer = () => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': HELLO.length });
        res.end(HELLO);
      };
      if (waitMs > 0) setTimeout(answer, waitMs);
      else answer();
    });
  } else if (config.mode === 'middleware') {
    // @mswjs/http-middleware is a dev dependency: only the benchmark loads it.
    const { createServer: createMiddlewareApp } = await import('@mswjs/http-middleware');
    // Its typings resolve msw's CommonJS declarations, ours the ESM ones: same classes at run time.
    const handlers = helloHandlers() as unknown as Parameters<typeof createMiddlewareApp>;
    plain = createServer(createMiddlewareApp(...handlers));
  } else if (config.mode === 'tmdb') {
    mock = await startTmdbMock({ host: '127.0.0.1', movies: 10_000, latency, faults, sampleCap: 100 });
  } else {
    mock = await startMockServer({
      name: 'bench',
      host: '127.0.0.1',
      handlers: helloHandlers(),
      latency,
      faults,
    });
  }
  let port = mock?.port ?? 0;
  if (plain) {
    const server = plain;
    server.requestTimeout = 0;
    await new Promise<void>((resolve) =>
      server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
    );
    port = (server.address() as AddressInfo).port;
  }
  process.on('message', (message: { cmd?: string }) => {
    if (message.cmd !== 'stats') return;
    global.gc?.();
    const open = mock ? mock.summary().byRoute.reduce((n, r) => n + (r.statusCodes.pending ?? 0), 0) : 0;
    const latency = mock?.summary().latencyMs;
    process.send?.({
      rss: process.memoryUsage().rss,
      open,
      p50: latency?.p50,
      p99: latency?.p99,
      max: latency?.max,
    });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
