// `npm run bench recorder`: the recorder's memory stays flat as a run grows. Memory held by one
// Recorder (heap plus the typed arrays of its HDR histograms, after a full GC — run node with
// --expose-gc) after 100,000 recorded requests, then after 1,000,000 of the same traffic, at
// 5,000 req/s (the timeline grows with the run) over three endpoints in two groups:
//   rssGrowth1Mvs100k        a passing run: 1 in 10,000 requests flagged, 1 in 10,000 failed (goal <= 1.3)
//   incidentGrowth1Mvs100k   an incident: 1 in 1,000 flagged and 1 in 1,000 failed; those are kept
//                            one by one (up to 10,000 each), so memory grows with them until the caps
import { Recorder, type RequestSample } from '../src/load/recorder.js';
import { mulberry32 } from '../src/util/seeded-random.js';

export interface BenchRecorderOptions {
  log?: (line: string) => void;
}

export async function benchRecorder(options: BenchRecorderOptions = {}): Promise<Record<string, number>> {
  const log = options.log ?? ((line: string) => process.stderr.write(`  ${line}\n`));
  if (!(globalThis as { gc?: () => void }).gc)
    log('global.gc is not exposed (run node with --expose-gc): figures include garbage');
  // Warm up first: code compiled for the recorder would otherwise count as its memory.
  measureGrowth(0.001, 200_000);
  const passing = measureGrowth(0.0001);
  const incident = measureGrowth(0.001);
  for (const [name, m] of [
    ['passing run', passing],
    ['incident', incident],
  ] as const) {
    log(
      `${name}: ${kb(m.at100k)} KB after 100k requests, ${kb(m.at1M)} KB after 1M (${m.rows} timeline rows, ${m.flagged} flagged and ${m.failures} failures kept)`,
    );
  }
  return {
    rssGrowth1Mvs100k: round3(passing.at1M / passing.at100k),
    incidentGrowth1Mvs100k: round3(incident.at1M / incident.at100k),
    memoryKbAt1M: kb(passing.at1M),
  };
}

function measureGrowth(share: number, total = 1_000_000) {
  const t0 = 1_800_000_000_000;
  const base = memory();
  const recorder = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8, now: () => t0 });
  const rnd = mulberry32(5);
  const endpoints = [
    { endpoint: 'GET /api/movies?page={{random 1 50}}', group: 'browse', method: 'GET' },
    { endpoint: 'GET /api/movies/{{pick tmdb.ids}}', group: 'browse', method: 'GET' },
    { endpoint: 'poll import', group: 'import', method: 'GET' },
  ];
  let i = 0;
  const recordUpTo = (n: number) => {
    for (; i < n; i++) {
      const e = endpoints[i % 3]!;
      const u = rnd();
      const sample: RequestSample = {
        endpoint: e.endpoint,
        group: e.group,
        method: e.method,
        path: `/api/movies/${i}`,
        startMs: t0 + i / 5,
        // `share` of requests slow enough to be flagged, another `share` failing without a response.
        latencyMs: u < share ? 16_000 + (u / share) * 10_000 : 5 + u * 200,
      };
      if (u > 1 - share) sample.error = 'ECONNRESET';
      else sample.status = 200;
      recorder.record(sample);
    }
  };
  recordUpTo(Math.min(total, 100_000));
  const at100k = memory() - base;
  recordUpTo(total);
  const at1M = memory() - base;
  const t = recorder.finish();
  return { at100k, at1M, rows: t.timeline.length, flagged: t.flagged.length, failures: t.failures.length };
}

function memory(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function kb(bytes: number): number {
  return Math.round(bytes / 1024);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
