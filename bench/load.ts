// `npm run bench load`: what smokestack's load machinery costs over raw autocannon, measured side
// by side against the same loopback node:http server (in a child process, so the server does not
// share the generator's event loop), 50 connections, runs alternating so drift on a shared machine
// hits both alike.
//   ratio           smokestack phase req/s (a static request, every response recorded) over raw
//                   autocannon req/s in the same round; the median of the rounds (goal >= 0.95)
//   templatedRatio  the same with a weighted two-request mix rendering `{{random 1 50}}` and `{{seq}}`
//                   per request — the realistic case
import { type ChildProcess, spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { runPhase } from '../src/load/phases.js';
import { Recorder } from '../src/load/recorder.js';
import type { LoadPhase } from '../src/scenario/types.js';

export interface BenchLoadOptions {
  /** Seconds per measured run. Default 4. */
  seconds?: number;
  /** Rounds of (raw, static, templated). Default 5. */
  rounds?: number;
  connections?: number;
  log?: (line: string) => void;
}

const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('hello'); });
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

export async function benchLoadOverhead(options: BenchLoadOptions = {}): Promise<Record<string, number>> {
  const seconds = options.seconds ?? 4;
  const rounds = options.rounds ?? 5;
  const connections = options.connections ?? 50;
  const log = options.log ?? ((line: string) => process.stderr.write(`  ${line}\n`));
  const { child, port } = await startServer();
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const staticPhase = (ms: number): LoadPhase => ({
      name: 'bench',
      durationMs: ms,
      connections,
      pipelining: 1,
      requests: [{ name: 'hello', weight: 1, method: 'GET', path: '/hello', headers: {} }],
    });
    const templatedPhase = (ms: number): LoadPhase => ({
      ...staticPhase(ms),
      requests: [
        { name: 'list', weight: 8, method: 'GET', path: '/hello?page={{random 1 50}}', headers: {} },
        { name: 'seq', weight: 2, method: 'GET', path: '/hello?i={{seq}}', headers: {} },
      ],
    });
    // Warm up both paths (JIT, connections) before measuring.
    await raw(baseUrl, connections, 1000);
    await phase(baseUrl, templatedPhase(1000));

    // Adjacent runs form a pair; the order flips every round so drift favours neither side, and
    // the median of the per-round ratios shrugs off a round disturbed by other work on the machine.
    const ratios = { static: [] as number[], templated: [] as number[] };
    const rawRps: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const ms = seconds * 1000;
      const measured: Record<string, number> = {};
      const order = round % 2 ? ['raw', 'static', 'templated'] : ['templated', 'static', 'raw'];
      for (const kind of order) {
        measured[kind] =
          kind === 'raw'
            ? await raw(baseUrl, connections, ms)
            : await phase(baseUrl, kind === 'static' ? staticPhase(ms) : templatedPhase(ms));
      }
      const r = measured.raw as number;
      rawRps.push(r);
      ratios.static.push((measured.static as number) / r);
      ratios.templated.push((measured.templated as number) / r);
      log(
        `round ${round}: raw autocannon ${Math.round(r)} req/s, smokestack ${Math.round(measured.static as number)} req/s, templated mix ${Math.round(measured.templated as number)} req/s`,
      );
    }
    return {
      ratio: round3(median(ratios.static)),
      templatedRatio: round3(median(ratios.templated)),
      rawRps: Math.round(median(rawRps)),
    };
  } finally {
    child.kill();
  }
}

/** Raw autocannon: one static request, its own bookkeeping only. Completed requests per second. */
function raw(baseUrl: string, connections: number, ms: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    autocannon(
      // The same stop granularity as smokestack's phases (a 100 ms tick), so both run as long.
      { url: `${baseUrl}/hello`, connections, duration: ms / 1000, sampleInt: 100 },
      (error, result) => {
        if (error) reject(error);
        else resolve(result.requests.total / ((Date.now() - started) / 1000));
      },
    );
  });
}

/** A smokestack phase with recording on. Recorded requests per second. */
async function phase(baseUrl: string, p: LoadPhase): Promise<number> {
  const recorder = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });
  const started = Date.now();
  await runPhase(p, { baseUrl, values: {}, recorder, signal: new AbortController().signal });
  return recorder.finish().requests.total / ((Date.now() - started) / 1000);
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => resolve({ child, port: Number(chunk.toString().trim()) }));
  });
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
