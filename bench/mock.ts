// `npm run bench mock`: the mock server's figures, each measured side by side in one run with
// the server in a child process (bench/mock-server.ts) and the load generator here.
//   throughputRatio     zero-delay mock req/s over a bare node:http hello server's, same autocannon
//                       settings (goal >= 0.5); middlewareThroughputRatio is the same for
//                       @mswjs/http-middleware (the serving approach not chosen), tmdbThroughputRatio
//                       for a TMDB popular page (20 movies of JSON) through the full mock
//   delayErrorP99Ms     client p99 minus the configured 200 ms, 1,000 connections, steady state
//                       (goal <= 5); with the floor a bare node:http timer server reaches here
//   rssMbAt10kHanging   RSS of the mock process holding 10,000 concurrent slow requests, answers
//                       due in 10 minutes (goal <= 300); also with 20-movie TMDB pages held, and
//                       with the hang fault (no handler run at all)
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchServerConfig, BenchServerMode } from './mock-server.js';
import { steadyCannon } from './steady-cannon.js';

const CHILD = fileURLToPath(new URL('./mock-server.js', import.meta.url));

export interface BenchMockOptions {
  /** Seconds per throughput measurement. Default 5. */
  seconds?: number;
  /** Concurrent slow requests for the memory figure. Default 10 000. */
  hanging?: number;
  log?: (line: string) => void;
  /** Which figures to measure. Default all. */
  parts?: ('throughput' | 'delay' | 'memory')[];
}

export async function benchMock(options: BenchMockOptions = {}): Promise<Record<string, number>> {
  const seconds = options.seconds ?? 5;
  const log = options.log ?? ((line: string) => process.stderr.write(`  ${line}\n`));
  const figures: Record<string, number> = {};
  const parts = new Set(options.parts ?? ['throughput', 'delay', 'memory']);
  if (parts.has('throughput')) Object.assign(figures, await throughput(seconds, log));
  if (parts.has('delay')) Object.assign(figures, await delayError(seconds, log));
  if (parts.has('memory')) Object.assign(figures, await memory(options.hanging ?? 10_000, log));
  return figures;
}

async function throughput(seconds: number, log: (line: string) => void): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};

  // Throughput: two interleaved rounds so drift on a shared machine hits every mode alike.
  const modes: BenchServerMode[] = ['bare', 'adapter', 'middleware', 'tmdb'];
  const rps: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m, []]));
  for (let round = 0; round < 2; round++) {
    for (const mode of modes) {
      const path = mode === 'tmdb' ? '/3/movie/popular?page=1&api_key=k' : '/hello';
      const value = await withChild({ mode }, async (port) => {
        const url = `http://127.0.0.1:${port}${path}`;
        await cannon({ url, connections: 100, duration: 1 });
        return (await cannon({ url, connections: 100, duration: seconds })).requests.average;
      });
      rps[mode]?.push(value);
      log(`throughput ${mode} round ${round + 1}: ${Math.round(value)} req/s`);
    }
  }
  const mean = (mode: string) => (rps[mode] ?? []).reduce((a, b) => a + b, 0) / (rps[mode]?.length || 1);
  figures.throughputRatio = round3(mean('adapter') / mean('bare'));
  figures.middlewareThroughputRatio = round3(mean('middleware') / mean('bare'));
  figures.tmdbThroughputRatio = round3(mean('tmdb') / mean('bare'));
  for (const mode of modes) figures[`${mode}Rps`] = Math.round(mean(mode));
  return figures;
}

/**
 * Delay accuracy with 1,000 connections, closed loop, client p99 minus the configured 200 ms.
 * Headline: steady state, leaving out each connection's first answer (it carries the handshake
 * of 1,000 connections opening at once: the client's cost). `delayErrorP99MsAll` keeps them.
 * A bare node:http server answering after a 200 ms timer is measured alongside: the floor any
 * Node server reaches on this machine; delayExcessP99Ms is what the mock adds over it.
 */
async function delayError(seconds: number, log: (line: string) => void): Promise<Record<string, number>> {
  const measure = (mode: BenchServerMode) =>
    withChild({ mode, latency: '200ms' }, async (port) => {
      const url = `http://127.0.0.1:${port}/hello`;
      await cannon({ url, connections: 1000, duration: 2 });
      return steadyCannon({ url, connections: 1000, duration: Math.max(seconds, 5) * 2 });
    });
  const floor = await measure('bare');
  const mock = await measure('adapter');
  log(
    `200ms at 1000 connections: mock p99 ${mock.steady.p99} ms steady, ${mock.result.latency.p99} ms all; ` +
      `bare timer p99 ${floor.steady.p99} ms steady, ${floor.result.latency.p99} ms all`,
  );
  return {
    delayErrorP99Ms: round3(mock.steady.p99 - 200),
    delayErrorP50Ms: round3(mock.steady.p50 - 200),
    delayErrorP99MsAll: round3(mock.result.latency.p99 - 200),
    delayFloorP99Ms: round3(floor.steady.p99 - 200),
    delayExcessP99Ms: round3(mock.steady.p99 - floor.steady.p99),
  };
}

async function memory(wanted: number, log: (line: string) => void): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};

  // Memory with many concurrent slow requests (answers due in 10 minutes).
  const count = Math.min(wanted, openFileLimit() - 500);
  if (count < wanted) log(`open-file limit allows only ${count} sockets (raise it with ulimit -n 65536)`);
  figures.hangingConnections = count;
  const held = await withChild({ mode: 'adapter', latency: '10m' }, (port, child) =>
    holdSlowRequests(port, child, count, '/hello'),
  );
  figures.rssMbIdle = held.idleMb;
  figures.rssMbAt10kHanging = held.heldMb;
  log(`rss idle ${held.idleMb} MB, holding ${count} slow requests ${held.heldMb} MB`);
  const tmdb = await withChild({ mode: 'tmdb', latency: '10m' }, (port, child) =>
    holdSlowRequests(port, child, count, '/3/movie/popular?page=1&api_key=k'),
  );
  figures.rssMbAt10kSlowTmdbPages = tmdb.heldMb;
  const hung = await withChild({ mode: 'adapter', fault: 'hang=1' }, (port, child) =>
    holdSlowRequests(port, child, count, '/hello'),
  );
  figures.rssMbAt10kHangFault = hung.heldMb;
  log(`rss holding ${count} requests under the hang fault ${hung.heldMb} MB`);
  log(`rss holding ${count} slow TMDB popular pages ${tmdb.heldMb} MB (idle ${tmdb.idleMb} MB)`);
  return figures;
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ timeout: 30, ...opts });
}

interface Stats {
  rss: number;
  open: number;
}

async function withChild<T>(
  config: BenchServerConfig,
  fn: (port: number, child: ChildProcess) => Promise<T>,
): Promise<T> {
  const child = spawn(process.execPath, ['--expose-gc', CHILD, JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port?: number }) =>
        m.port ? resolve(m.port) : reject(new Error('no port')),
      );
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    return await fn(port, child);
  } finally {
    child.disconnect();
    child.kill();
  }
}

function stats(child: ChildProcess): Promise<Stats> {
  return new Promise((resolve) => {
    child.once('message', (m: Stats) => resolve(m));
    child.send({ cmd: 'stats' });
  });
}

/** Opens `count` keep-alive sockets, sends one request on each, waits until the mock holds them all. */
async function holdSlowRequests(
  port: number,
  child: ChildProcess,
  count: number,
  path: string,
): Promise<{ idleMb: number; heldMb: number }> {
  const idle = await stats(child);
  const sockets: Socket[] = [];
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`;
  try {
    // In batches: a burst of 10,000 SYNs overflows the listen backlog and stalls on retries.
    for (let i = 0; i < count; i += 250) {
      const batch = Array.from(
        { length: Math.min(250, count - i) },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(port, '127.0.0.1', () => {
              s.write(request);
              resolve(s);
            });
            s.on('error', reject);
          }),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    const until = Date.now() + 60_000;
    let held = await stats(child);
    while (held.open < count && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      held = await stats(child);
    }
    if (held.open < count) throw new Error(`only ${held.open} of ${count} slow requests reached the mock`);
    return { idleMb: mb(idle.rss), heldMb: mb(held.rss) };
  } finally {
    for (const s of sockets) s.destroy();
  }
}

/** The soft limit on open files (Linux), or a generous default elsewhere. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) ? soft : 65_536;
  } catch {
    return 65_536;
  }
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
