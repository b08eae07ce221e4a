// What the verdict reads and what it returns. Plain data: the run's observations in, findings
// (with advice) and one check per budget out; `judge` in ./judge.ts applies the rules.

import type { AccessEntry } from '../observe/access-log.js';
import type { QueueObservation } from '../observe/relevel.js';
import type {
  EndpointStats,
  Finding,
  FlaggedRequest,
  Headroom,
  IntegrityResult,
  PhaseAccount,
  RunResult,
  ServerConfig,
  ServerEvent,
} from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import type { TimeoutChain } from '../server/chain.js';
import type { SlowestWork } from './worker-time.js';

export interface FlowOutcome {
  flow: string;
  /** 1-based copy and iteration, when the flow runs in several copies or repeats. */
  copy?: number;
  iteration?: number;
  ok: boolean;
  failedStep?: string;
  message?: string;
}

/** One call a mock received (from the mock's call sample). */
export interface MockCall {
  mock: string;
  /** The handler's route pattern, e.g. `/3/movie/popular`. */
  route: string;
  /** The query string without `?` (secrets redacted), e.g. `language=en-US&page=3`. */
  query: string;
  /** Epoch milliseconds. */
  startedAt: number;
}

export interface JudgeInput {
  scenario: Pick<Scenario, 'budgets'>;
  server: ServerConfig;
  /** Every limit in front of the worker and T (absent: the server alone). */
  chain?: TimeoutChain;
  /** Epoch ms the last request of the traffic ended: a mock call after it is no live request's. */
  trafficFinishedAt?: number;
  /** The app's access lines (time in the worker), for work that went on after a cut. */
  accessEntries?: readonly AccessEntry[];
  requests: RunResult['requests'];
  /** After correlation: killed requests carry their server event. */
  flagged: FlaggedRequest[];
  flaggedTotal: RunResult['flaggedTotal'];
  serverEvents: ServerEvent[];
  integrity: IntegrityResult[];
  flowOutcomes?: FlowOutcome[];
  /** What each load phase planned and sent (the open model's rate is a promise the verdict checks). */
  phases?: PhaseAccount[];
  /** Stats per phase/flow, for budgets named after a group. */
  byGroup?: EndpointStats[];
  /** CPU cores the server runs on, for the workers-vs-cores advice. */
  cores?: number;
  /** The settle wait before the database checks, when the scenario has one. */
  settle?: { settled: boolean; waitedMs: number; detail?: string };
  /** Time in the worker vs waiting for one, where the server's access log told (src/observe/relevel.ts). */
  queue?: QueueObservation;
  /** The mocks' sampled calls: what the app fetched while a request ran (e.g. during a kill). */
  mockCalls?: MockCall[];
}

/** One budget as a pass/fail line (a JUnit test case). */
export interface Check {
  name: string;
  passed: boolean;
  message: string;
  /** Nothing to check (e.g. a budget for an endpoint that got no requests). */
  skipped?: boolean;
}

export interface Verdict {
  status: 'passed' | 'failed';
  findings: Finding[];
  checks: Check[];
  /** The slowest request's margin against the deadline (./headroom.ts); absent with no traffic. */
  headroom?: Headroom;
}

/** What one rule contributes. */
export interface RuleOutput {
  findings?: Finding[];
  checks?: Check[];
}

/** Facts several rules share, worked out once. */
export interface Evidence {
  timeoutMs: number;
  workerTimeouts: ServerEvent[];
  killed: FlaggedRequest[];
  /** The slowest request seen (killed ones count with the latency observed, a lower bound). */
  worst?: FlaggedRequest;
  /** The worst case over all endpoints' max latency, flagged or not: client latency. */
  worstMs: number;
  /** The slowest work, in the worker when known: what durations in advice are computed from. */
  slowest?: SlowestWork;
}

export type Rule = (input: JudgeInput, evidence: Evidence) => RuleOutput;
