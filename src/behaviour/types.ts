// Parsed forms of the mock behaviour specs shared by scenario files and `smokestack mock`.
// Grammar (parsers live in ./latency.ts and ./faults.ts):
//   LATENCY := DIST ( ';' DIST 'after' DURATION )*
//   DIST    := DURATION                      fixed        `800ms`
//            | DURATION '..' DURATION        uniform      `200ms..2s`
//            | 'p50=' DURATION ',p99=' DURATION   log-normal fitted to the two percentiles
//   e.g. `p50=400ms,p99=1.5s; 2s after 30s` — a dependency that degrades 30 s into the run.

export type LatencyDist =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'lognormal'; p50Ms: number; p99Ms: number };

export interface LatencySpec {
  /** The distribution from the start. */
  base: LatencyDist;
  /** Later distributions, each in force from `afterMs` (since the mock started), ascending. */
  changes: { afterMs: number; dist: LatencyDist }[];
}

/** Injected failures. Probabilities are 0..1 per request; `atRequests` are 1-based call indexes. */
export interface FaultSpec {
  /** Requests over this many per second (sliding 1 s window) get 429 + Retry-After. */
  rateLimitPerSecond?: number;
  /** Share of requests answered with `errorStatus` (default 500). */
  errorRate?: number;
  errorStatus?: number;
  /** Share of requests whose connection is destroyed without a response. */
  resetRate?: number;
  /** Share of requests that never get an answer until the mock closes. */
  hangRate?: number;
  /** Faults on exact call numbers (1-based, counted per mock), e.g. hang the 5th call. */
  atRequests?: { index: number; fault: 'error' | 'reset' | 'hang' | 'rateLimit' }[];
}
