// Stand-in for the types src/load/recorder.ts exports (RequestSample, Traffic), written against
// the recorder's agreed shape so observe/ and verdict/ build before the recorder lands.
// Replaced by `export type { ... } from '../load/recorder.js'` once it exists.
import type { EndpointStats, FlaggedRequest, RunResult } from '../result/types.js';

/** One request as the client saw it. */
export interface RequestSample {
  endpoint: string;
  /** The phase or flow it belongs to. */
  group: string;
  method: string;
  /** The concrete path sent, templates filled in. */
  path: string;
  /** Epoch ms the request started. */
  startMs: number;
  latencyMs: number;
  /** Absent when there was no response. */
  status?: number;
  /** `ECONNRESET`, `socket hang up`, ... */
  error?: string;
}

export interface Traffic {
  startedAt: number;
  finishedAt: number;
  requests: RunResult['requests'];
  timeline: RunResult['timeline'];
  histogram: NonNullable<RunResult['histogram']>;
  flagged: FlaggedRequest[];
  flaggedDropped: number;
  flaggedTotal: RunResult['flaggedTotal'];
  /** Requests with no response or a status >= 500 (capped). */
  failures: RequestSample[];
  failuresDropped: number;
  byGroup: EndpointStats[];
}
